/**
 * What the Dynamo 0.9.0 operator and the runtime images do with a DynamoGraphDeployment service at run time, as far
 * as the graph tests need it (read in ai-dynamo/dynamo at 233a1e9):
 * - env (deploy/operator/internal/dynamo/graph.go, GenerateBasePodSpec / GeneratePodSpecForComponent, MergeEnvs):
 *   the service's envs = graph `spec.envs` overridden by the service's `envs`; the container's env
 *   (`extraPodSpec.mainContainer.env`) is then overridden by those; the operator's own variables (NATS_SERVER,
 *   ETCD_ENDPOINTS, ...) only fill names still unset. `envFromSecret` becomes an `envFrom` secretRef.
 * - container (graph.go GenerateBasePodSpec): `mergo.Merge(&container, mainContainer, WithOverride)` over a base
 *   container without securityContext or mounts, so `extraPodSpec.mainContainer.securityContext` is the
 *   container's, and its volumeMounts are the container's own.
 * - mounts: the main container's own volumeMounts, then `volumeMounts` of the service (claims, read-write; a
 *   compilation cache without mountPoint at the backend's default), /dev/shm (generateSharedMemoryVolumeAndMount,
 *   on every service unless disabled), and on multinode TRT-LLM the SSH key Secret at /ssh-pk, read-only
 *   (backend_trtllm.go addSSHVolumeMount).
 * - images (container/templates/*.Dockerfile): HOME=/home/dynamo (`useradd -m`; the SGLang image sets no HOME, so
 *   uid 1000's passwd entry gives the same path); no TMPDIR. With a writable root uid 1000 could write its home,
 *   /opt/dynamo and /workspace; with a read-only root only its mounts.
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
const svcOf = (dgd: DgdJson, service: string): Svc => dgd.spec.services[service]!;
const mainOf = (dgd: DgdJson, service: string): Svc => svcOf(dgd, service)['extraPodSpec']?.['mainContainer'] ?? {};

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
  const ssh = trtllmMultinode(dgd, service) ? [{ path: '/ssh-pk', readOnly: true }] : [];
  return [...claimMounts, ...own, { path: '/dev/shm', readOnly: false }, ...ssh];
}

const trtllmMultinode = (dgd: DgdJson, service: string) => dgd.spec.backendFramework === 'trtllm' && svcOf(dgd, service)['multinode'] !== undefined;

/** The main container runs with a read-only root filesystem (the operator keeps mainContainer's securityContext). */
export const readOnlyRoot = (dgd: DgdJson, service: string): boolean => mainOf(dgd, service)['securityContext']?.['readOnlyRootFilesystem'] === true;

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
  TORCHINDUCTOR_CACHE_DIR: (e) => `${e.get('TMPDIR') ?? '/tmp'}/torchinductor_dynamo`,
  CUDA_CACHE_PATH: () => `${IMAGE_HOME}/.nv/ComputeCache`,
  XDG_CONFIG_HOME: () => `${IMAGE_HOME}/.config`,
  MODEL_EXPRESS_CACHE_PATH: (e) => `${e.get('HF_HOME') ?? `${IMAGE_HOME}/.cache/huggingface`}/hub`,
  DYN_FILE_KV: (e) => `${e.get('TMPDIR') ?? '/tmp'}/dynamo_store_kv`,
};

/** Where a service's cache variables resolve, explicit or by default. */
export function cachePaths(env: ReadonlyMap<string, EnvJson>): { name: string; path: string; explicit: boolean }[] {
  const values = new Map([...env].filter(([, e]) => e.value !== undefined).map(([k, e]) => [k, e.value!]));
  return Object.entries(CACHE_VARS).map(([name, dflt]) => ({ name, path: values.get(name) ?? dflt(values), explicit: values.has(name) }));
}

/** A path the image user can write without a volume, when the root filesystem is writable. */
export const imageWritable = (path: string): boolean => IMAGE_WRITABLE.some((d) => under(path, d)) || under(path, '/tmp');

export interface WritePath {
  readonly what: string;
  readonly path: string;
}

/**
 * Every directory the processes of a service write at run time (0.9.0 images and operator):
 * - $HOME: ~/.cache (hub, vLLM, FlashInfer and DeepGEMM JIT kernels), ~/.triton, ~/.nv, ~/.config;
 * - $TMPDIR or /tmp: Python's tempfile, vLLM's and SGLang's ZMQ ipc sockets, torch inductor, OpenMPI's session
 *   directory;
 * - each cache variable, explicit or at its default (CACHE_VARS); /dev/shm (NCCL, multiprocessing, Ray's store);
 * - multinode vLLM through Ray (backend_vllm.go `ray start`): Ray's session directory `$TMPDIR/ray`;
 * - multinode TRT-LLM (backend_trtllm.go setupLeaderContainer / setupWorkerContainer): `$HOME/.ssh` (keys, config,
 *   host keys, sshd pid), and `mkdir -p /run/sshd`, which as uid 1000 succeeds only when the directory exists.
 */
export function writePaths(dgd: DgdJson, service: string): WritePath[] {
  const env = effectiveEnv(dgd, service);
  const value = (name: string, dflt: string) => env.get(name)?.value ?? dflt;
  const home = value('HOME', IMAGE_HOME);
  const tmp = value('TMPDIR', '/tmp');
  const svc = svcOf(dgd, service);
  const multinode = svc['multinode'] !== undefined;
  return [
    { what: 'HOME', path: home },
    { what: 'TMPDIR', path: tmp },
    ...cachePaths(env).map((c) => ({ what: c.name, path: c.path })),
    { what: 'shared memory', path: '/dev/shm' },
    ...(multinode && dgd.spec.backendFramework === 'vllm' ? [{ what: 'Ray session directory', path: `${tmp}/ray` }] : []),
    ...(trtllmMultinode(dgd, service) ? [{ what: 'SSH keys and sshd files', path: `${home}/.ssh` }, { what: 'sshd directory (mkdir -p)', path: '/run/sshd' }] : []),
  ];
}

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
