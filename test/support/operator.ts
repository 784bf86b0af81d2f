/**
 * What the Dynamo 0.9.0 operator and the runtime images do with a DynamoGraphDeployment service at run time, as far
 * as the graph tests need it (read in ai-dynamo/dynamo at 233a1e9):
 * - env (deploy/operator/internal/dynamo/graph.go, GenerateBasePodSpec / GeneratePodSpecForComponent, MergeEnvs):
 *   the service's envs = graph `spec.envs` overridden by the service's `envs`; the container's env
 *   (`extraPodSpec.mainContainer.env`) is then overridden by those; the operator's own variables (NATS_SERVER,
 *   ETCD_ENDPOINTS, ...) only fill names still unset. `envFromSecret` becomes an `envFrom` secretRef.
 * - mounts: `volumeMounts` of the service (claims; a compilation cache without mountPoint at the backend's
 *   default), the main container's own volumeMounts, and /dev/shm.
 * - images (container/templates/*.Dockerfile): HOME=/home/dynamo; writable by uid 1000: its home (`useradd -m`
 *   in the frontend image, `chown dynamo:0 /home/dynamo /home/dynamo/.cache` in the runtime images), /opt/dynamo
 *   and /workspace. Nothing else: /opt/models in particular exists only as a mount.
 * - multinode command rewrite (backend_vllm.go, backend_sglang.go, backend_trtllm.go, utils.go).
 */
type Svc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface DgdJson {
  readonly metadata: { readonly name: string };
  readonly spec: { backendFramework: string; envs?: EnvJson[]; pvcs?: Svc[]; services: Record<string, Svc> };
}
export interface EnvJson {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}

/** The operator's default compilation cache mount point per backend (graph.go getDefaultCompilationCacheMountPoint). */
const OPERATOR_COMPILATION_DEFAULT: Record<string, string | undefined> = { vllm: '/root/.cache/vllm' };

export const IMAGE_HOME = '/home/dynamo';
export const IMAGE_WRITABLE = [IMAGE_HOME, '/opt/dynamo', '/workspace'];

/** MergeEnvs(common, specific): specific wins, by name. */
const mergeEnvs = (common: readonly EnvJson[], specific: readonly EnvJson[]): Map<string, EnvJson> => new Map([...common, ...specific].map((e) => [e.name, e]));

/** The main container's environment as the operator builds it (without its own NATS/etcd variables). */
export function effectiveEnv(dgd: DgdJson, service: string): Map<string, EnvJson> {
  const svc = dgd.spec.services[service]!;
  const component = mergeEnvs(dgd.spec.envs ?? [], (svc['envs'] ?? []) as EnvJson[]);
  const container = (svc['extraPodSpec']?.['mainContainer']?.['env'] ?? []) as EnvJson[];
  const merged = mergeEnvs(container, [...component.values()]);
  // backend_vllm.go appends VLLM_CACHE_ROOT (the compilation cache mount) after the merge: the last entry wins.
  const cc = ((svc['volumeMounts'] ?? []) as Svc[]).find((m) => m['useAsCompilationCache'] === true);
  if (dgd.spec.backendFramework === 'vllm' && cc?.['mountPoint']) merged.set('VLLM_CACHE_ROOT', { name: 'VLLM_CACHE_ROOT', value: cc['mountPoint'] as string });
  return merged;
}

export interface Mount {
  readonly path: string;
  readonly readOnly: boolean;
}

/** Every mount of the service's main container. */
export function mountsOf(dgd: DgdJson, service: string): Mount[] {
  const svc = dgd.spec.services[service]!;
  const claimMounts = ((svc['volumeMounts'] ?? []) as Svc[]).map((m) => ({
    path: (m['mountPoint'] as string | undefined) ?? OPERATOR_COMPILATION_DEFAULT[dgd.spec.backendFramework] ?? '',
    readOnly: false,
  }));
  const own = ((svc['extraPodSpec']?.['mainContainer']?.['volumeMounts'] ?? []) as Svc[]).map((m) => ({ path: m['mountPath'] as string, readOnly: m['readOnly'] === true }));
  return [...claimMounts, ...own, { path: '/dev/shm', readOnly: false }];
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);

/** The innermost mount that holds a path (the kernel resolves the longest mount prefix). */
export const mountHolding = (mounts: readonly Mount[], path: string): Mount | undefined =>
  [...mounts].filter((m) => m.path && under(path, m.path)).sort((a, b) => b.path.length - a.path.length)[0];

/** Variables naming a directory a process writes caches into, and the path each resolves to when unset. */
export const CACHE_VARS: Readonly<Record<string, (env: ReadonlyMap<string, string>) => string>> = {
  XDG_CACHE_HOME: () => `${IMAGE_HOME}/.cache`,
  HF_HOME: (e) => `${e.get('XDG_CACHE_HOME') ?? `${IMAGE_HOME}/.cache`}/huggingface`,
  HF_HUB_CACHE: (e) => `${e.get('HF_HOME') ?? `${IMAGE_HOME}/.cache/huggingface`}/hub`,
  TRANSFORMERS_CACHE: (e) => `${e.get('HF_HOME') ?? `${IMAGE_HOME}/.cache/huggingface`}/hub`,
  VLLM_CACHE_ROOT: (e) => `${e.get('XDG_CACHE_HOME') ?? `${IMAGE_HOME}/.cache`}/vllm`,
  TRITON_CACHE_DIR: () => `${IMAGE_HOME}/.triton/cache`,
  TORCHINDUCTOR_CACHE_DIR: () => '/tmp/torchinductor_dynamo',
};

/** Where a service's cache variables resolve, explicit or by default. */
export function cachePaths(env: ReadonlyMap<string, EnvJson>): { name: string; path: string; explicit: boolean }[] {
  const values = new Map([...env].filter(([, e]) => e.value !== undefined).map(([k, e]) => [k, e.value!]));
  return Object.entries(CACHE_VARS).map(([name, dflt]) => ({ name, path: values.get(name) ?? dflt(values), explicit: values.has(name) }));
}

/** A path the image user can write without a volume. */
export const imageWritable = (path: string): boolean => IMAGE_WRITABLE.some((d) => under(path, d)) || under(path, '/tmp');

// ------------------------------------------------------------------ multinode command rewrite (0.9.0)

export const isPythonCommand = (cmd: string): boolean => /^(.*\/)?(python\d*(\.\d+)*)$/.test(cmd);

/** utils.go injectFlagsIntoPythonCommand, as a JS regex (same syntax for this pattern). */
export function injectFlagsIntoPythonCommand(arg: string, flags: string, framework: string): string {
  const re = new RegExp(`(python[0-9.]*\\s+[^|&;]*${framework}[^|&;]*?)(\\s|$|[|&;])`, 'g');
  return arg.replace(re, (_m, cmd: string, delim: string) => `${cmd} ${flags}${delim}`);
}

/** utils.go injectFlagsIntoContainerCommand: the container command and args after the operator's flag injection. */
export function injectFlags(command: readonly string[], args: readonly string[], flags: string, needsShell: boolean, framework: string): { command: string[]; args: string[] } {
  if (command.length && isPythonCommand(command[0]!)) {
    if (needsShell) return { command: ['sh', '-c'], args: [`exec ${command.join(' ')} ${args.join(' ')} ${flags}`] };
    return { command: [...command], args: [...args, ...flags.split(/\s+/)] };
  }
  const out = [...args];
  const i = out.findIndex((a) => injectFlagsIntoPythonCommand(a, flags, framework) !== a);
  if (i >= 0) out[i] = injectFlagsIntoPythonCommand(out[i]!, flags, framework);
  return { command: [...command], args: out };
}

/** Keys Grove v0.1.0-alpha.6 owns on every PodClique and its pods (api/common/labels.go). */
export const GROVE_OWNED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'] as const;

/** Whether the operator deploys the graph through Grove: Grove on in the platform, and not turned off on the graph. */
export const runsOnGrove = (dgd: DgdJson & { metadata: { annotations?: Record<string, string> } }, platformGrove: boolean): boolean =>
  platformGrove && dgd.metadata.annotations?.['nvidia.com/enable-grove'] !== 'false';

/**
 * The labels of a service's pods at run time. The operator copies `extraPodMetadata.labels` onto the pod template
 * (graph.go generateLabels). Through Grove, the PodClique's labels are assign(template labels, {managed-by:
 * grove-operator, part-of: <PodCliqueSet>}, {name: <PodClique>, component: pcs-podclique | pcsg-podclique, ...}) and
 * its pods carry them (podcliqueset/components/podclique/podclique.go and podclique/components/pod/pod.go getLabels):
 * later maps win, so Grove's keys replace ours.
 */
export function podLabels(dgd: DgdJson, service: string, grove: boolean): Record<string, string> {
  const svc = dgd.spec.services[service]!;
  const ours = { ...((svc['extraPodMetadata']?.['labels'] ?? {}) as Record<string, string>) };
  if (!grove) return ours;
  const clique = `${dgd.metadata.name}-0-${service.toLowerCase()}`;
  return {
    ...ours,
    'app.kubernetes.io/managed-by': 'grove-operator',
    'app.kubernetes.io/part-of': dgd.metadata.name,
    'app.kubernetes.io/name': clique,
    'app.kubernetes.io/component': svc['multinode'] ? 'pcsg-podclique' : 'pcs-podclique',
    'grove.io/podclique': clique,
  };
}

/**
 * The labels the operator itself puts on every pod of a service, before `extraPodMetadata` (graph.go
 * generateLabels): the graph, the service key as spelled in `spec.services`, its component type and sub-type. Grove
 * leaves these keys alone.
 */
export function operatorPodLabels(dgd: DgdJson, service: string): Record<string, string> {
  const svc = dgd.spec.services[service]!;
  return {
    'nvidia.com/selector': `${dgd.metadata.name}-${service.toLowerCase()}`,
    'nvidia.com/dynamo-graph-deployment-name': dgd.metadata.name,
    'nvidia.com/dynamo-component': service,
    ...(svc['componentType'] && { 'nvidia.com/dynamo-component-type': svc['componentType'] as string }),
    ...(svc['subComponentType'] && { 'nvidia.com/dynamo-sub-component-type': svc['subComponentType'] as string }),
  };
}
