/**
 * DynamoGraphDeployment: one inference graph (`nvidia.com/v1alpha1`), built from typed services: a Frontend (with
 * the KV router when asked), GPU workers (aggregated, or prefill and decode), and optionally the SLA Planner.
 *
 * The construct knows the runtime containers of each backend (image from the version matrix, command, arguments),
 * sets explicit health probes and the canary health check, mounts the shared model cache, references the Hugging
 * Face token Secret by name only, places workers on the GPU pools that fit them (tolerations, node affinity, driver
 * path, fast network), and runs every container non-root without privilege escalation and with all capabilities
 * dropped. Anything else upstream's schema allows stays reachable through `envs` and `extraPodSpec`.
 *
 * Every rule is checked at synth time (node.addValidation); each message names the field, the value and the rule.
 */
import { ApiObject, Chart } from 'cdk8s';
import { KubeConfigMap, type EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import {
  dynamoNamespaceProblem,
  type EndpointRef,
  formatEndpoint,
  FRONTEND_SERVICE_NAME,
  graphServiceNameProblem,
  PLANNER_SERVICE_NAME,
  ROUTER_MODES,
  type RouterMode,
  workerServiceName,
} from '../../../spec/naming.js';
import { ENABLE_GROVE_ANNOTATION, KAI_QUEUE_ANNOTATION, KAI_QUEUE_LABEL, schedulingDecision, type SchedulingDecision } from '../../../spec/scheduling.js';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { checksum } from '../common/checksum.js';
import { MANAGED_BY } from '../common/labels.js';
import { podPlacement, type WorkloadPlacement } from '../common/placement.js';
import { type Backend, RUNTIMES, TRTLLM_ENGINE_DIR, trtllmEngineConfig, workerCommand, type WorkerRole } from './backends.js';
import {
  DGD_API_VERSION,
  type DgdEnv,
  type DgdPvc,
  type DgdService,
  type DgdVolumeMount,
  envsJson,
  type ExtraPodSpec,
  extraPodSpecJson,
  type JsonObject,
  mergeJson,
} from './dgd-types.js';
import { type GpuPlacement, renderGpuPlacement } from './gpu-placement.js';
import { canaryEnv, frontendProbes, FRONTEND_HTTP_PORT, type HealthProps, healthProblems, workerProbes } from './health.js';
import { graphObjectLabels, type GraphComponent, graphPodSelector } from './pod-labels.js';

/** The image user of Dynamo's runtime images (`dynamo`, uid 1000, group 0). */
export const RUNTIME_UID = 1000;
/** Where the model cache is mounted; `HF_HOME` points there, so downloads land on the shared volume. */
export const MODEL_CACHE_MOUNT = '/opt/models';
/** Where the Planner reads the profiling results (upstream's path). */
export const PLANNER_PROFILE_DIR = '/workspace/profiling_results';
/** The ConfigMap the SLA profiler writes and the Planner reads. */
export const PLANNER_PROFILE_CONFIGMAP = 'planner-profile-data';


/** Container requests and limits (CPU and memory; GPUs are counted by `gpus`). */
export interface ComputeResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface FrontendProps {
  /** Service name. @default 'Frontend' */
  readonly name?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** How the frontend picks a worker (`DYN_ROUTER_MODE`). `kv` routes by KV-cache overlap. @default 'round-robin' */
  readonly router?: RouterMode;
  /** @default - the version matrix's dynamo-frontend image */
  readonly image?: ImageRef;
  /** @default requests 1 CPU / 2Gi, limits 4 CPU / 8Gi */
  readonly resources?: ComputeResources;
  readonly envs?: readonly EnvVar[];
  readonly extraPodSpec?: ExtraPodSpec;
}

export interface WorkerProps {
  /** @default 'aggregated' */
  readonly role?: WorkerRole;
  /** Service name. @default - the backend's name for the role, e.g. VllmDecodeWorker */
  readonly name?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** GPUs per pod (per node for a multinode worker). @default 1 */
  readonly gpus?: number;
  /** Nodes one replica spans (multinode); at least 2. @default - single node */
  readonly nodeCount?: number;
  /** @default gpus x nodeCount */
  readonly tensorParallelSize?: number;
  /** GPU pools, taints, driver path and fast network, from the cloud profile (see gpuPlacement). @default - any GPU node */
  readonly placement?: GpuPlacement;
  /** Appended to the generated arguments. */
  readonly extraArgs?: readonly string[];
  readonly envs?: readonly EnvVar[];
  /** CPU and memory. @default - none (the GPU limit is always set) */
  readonly resources?: ComputeResources;
  /** Size of /dev/shm. @default - the operator's (8Gi) */
  readonly sharedMemorySize?: string;
  /** TRT-LLM: keys merged over the generated engine configuration. */
  readonly engineConfig?: Readonly<Record<string, unknown>>;
  /** @default - the version matrix's runtime image of the backend */
  readonly image?: ImageRef;
  readonly extraPodSpec?: ExtraPodSpec;
}

export interface PlannerProps {
  /** Seconds between scaling decisions. @default 60 */
  readonly adjustmentIntervalSeconds?: number;
  /** ConfigMap with the profiling results. @default 'planner-profile-data' */
  readonly profileDataConfigMap?: string;
  /** Prometheus the Planner reads metrics from. @default - the operator's `--prometheus-endpoint` */
  readonly prometheusEndpoint?: string;
  readonly extraArgs?: readonly string[];
  readonly envs?: readonly EnvVar[];
  readonly extraPodSpec?: ExtraPodSpec;
}

export interface ModelCacheMount {
  /** An existing ReadWriteMany claim in the graph's namespace. */
  readonly claimName: string;
  /** @default '/opt/models' */
  readonly mountPoint?: string;
}

export interface CompilationCacheProps {
  /** Claim name. @default '<graph>-compilation-cache' */
  readonly claimName?: string;
  /** Let the operator create the claim with these settings (deleted with the graph). @default - the claim exists */
  readonly create?: { readonly size: string; readonly storageClass: string; readonly accessMode?: DgdPvc['volumeAccessMode'] };
  /**
   * A node-local volume per pod instead of a claim (a generic ephemeral volume, e.g. NVMe through a local CSI
   * driver): fastest, and gone with the pod. @default - a claim
   */
  readonly ephemeral?: { readonly size: string; readonly storageClass: string };
  /** @default - the backend's default (vLLM: /home/dynamo/.cache/vllm); required for SGLang and TRT-LLM */
  readonly mountPoint?: string;
}

/** Scheduling of the graph's pods: Grove, the KAI scheduler and its queue (see `schedulingDecision`). */
export interface GraphSchedulingProps {
  /** Grove is installed (the operator then runs the graph as a PodCliqueSet). @default false */
  readonly groveInstalled?: boolean;
  /** The KAI scheduler is installed. @default false */
  readonly kaiInstalled?: boolean;
  /** KAI queue of the graph (annotation `nvidia.com/kai-scheduler-queue`). @default - the operator's (`dynamo`) */
  readonly queue?: string;
  /** false: keep this graph off Grove (annotation `nvidia.com/enable-grove: "false"`). @default true */
  readonly grove?: boolean;
  /** Scheduler of every pod (a service's own `extraPodSpec.schedulerName` wins). @default - none */
  readonly schedulerName?: string;
}

export interface DynamoGraphDeploymentProps {
  /** Graph name (a DNS label). @default - the construct id */
  readonly name?: string;
  /** Kubernetes namespace. @default - the chart's namespace */
  readonly namespace?: string;
  readonly backend: Backend;
  /** Hugging Face model id or path, e.g. `Qwen/Qwen3-0.6B`. */
  readonly model: string;
  /** @default - the model */
  readonly servedModelName?: string;
  /** Let the model repository run its own code. @default false */
  readonly trustRemoteCode?: boolean;
  /** The frontend; `false` for a graph served by another graph's frontend. @default - one round-robin frontend */
  readonly frontend?: FrontendProps | false;
  readonly workers: readonly WorkerProps[];
  /** The SLA Planner (needs prefill and decode workers and the profiling results). @default - none */
  readonly planner?: PlannerProps;
  readonly health?: HealthProps;
  /** Secret with `HF_TOKEN`, loaded into the workers by name (`envFromSecret`). @default - none */
  readonly hfTokenSecret?: string;
  /** The shared model cache. @default - none: each pod downloads the model */
  readonly modelCache?: ModelCacheMount;
  readonly compilationCache?: CompilationCacheProps;
  /** Further claims for `volumeMounts` in services' extraPodSpec or for custom mounts. */
  readonly pvcs?: readonly DgdPvc[];
  /** Environment of every service. */
  readonly envs?: readonly EnvVar[];
  /** Placement of the CPU services (frontend, planner). @default - off GPU nodes */
  readonly cpuPlacement?: WorkloadPlacement;
  /** @default - nothing installed: the cluster's default scheduler */
  readonly scheduling?: GraphSchedulingProps;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/** A named, validated service of the graph. */
interface BuiltService {
  readonly name: string;
  readonly field: string;
  readonly multinode: boolean;
  readonly spec: DgdService;
}

export class DynamoGraphDeployment extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly backend: Backend;
  /** The Dynamo namespace the operator gives the graph's components: `<namespace>-<name>`. */
  public readonly dynamoNamespace: string;
  /** Service names, in manifest order. */
  public readonly serviceNames: readonly string[];
  /** The API object, for JSON patches. */
  public readonly apiObject: ApiObject;
  /** Per service: who puts its pods on KAI, and the scheduler and queue they end up with. */
  public readonly scheduling: Readonly<Record<string, SchedulingDecision>>;

  constructor(scope: Construct, id: string, props: DynamoGraphDeploymentProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.backend = props.backend;
    this.dynamoNamespace = `${this.namespace}-${this.name}`;
    const runtime = RUNTIMES[props.backend];
    const problems: string[] = [];
    this.node.addValidation({ validate: () => problems.map((p) => `DynamoGraphDeployment ${this.name}: ${p}`) });

    if (!DNS_LABEL.test(this.name) || this.name.length > 63) problems.push(`name: must be a DNS label (lower-case letters, digits, '-'), got "${this.name}"`);
    const nsProblem = dynamoNamespaceProblem(this.dynamoNamespace);
    if (nsProblem) problems.push(`Dynamo namespace: ${nsProblem}`);
    if (!props.model) problems.push('model: required, got ""');
    problems.push(...topologyProblems(props));
    problems.push(...healthProblems(props.health ?? {}, 'health'));

    const podLabels = (component: GraphComponent, service: string) => ({
      ...graphPodSelector({ graph: this.name, component }),
      'app.kubernetes.io/managed-by': MANAGED_BY,
      'dynamo-iac.io/service': service.toLowerCase(),
    });

    // ------------------------------------------------------------------ claims
    const pvcs: DgdPvc[] = [];
    const cacheMounts: DgdVolumeMount[] = [];
    if (props.modelCache) {
      pvcs.push({ name: props.modelCache.claimName, create: false });
      cacheMounts.push({ name: props.modelCache.claimName, mountPoint: props.modelCache.mountPoint ?? MODEL_CACHE_MOUNT });
    }
    const cc = props.compilationCache;
    const ephemeralCache = cc?.ephemeral ? { ...cc.ephemeral, mountPoint: cc.mountPoint ?? runtime.compilationCacheMountPoint } : undefined;
    if (ephemeralCache && !ephemeralCache.mountPoint) problems.push(`compilationCache.mountPoint: required for backend ${props.backend} (the operator has no default mount point for it)`);
    if (cc && !cc.ephemeral) {
      const claimName = cc.claimName ?? `${this.name}-compilation-cache`;
      const mountPoint = cc.mountPoint ?? runtime.compilationCacheMountPoint;
      if (!mountPoint) problems.push(`compilationCache.mountPoint: required for backend ${props.backend} (the operator has no default mount point for it)`);
      pvcs.push(cc.create ? { name: claimName, create: true, size: cc.create.size, storageClass: cc.create.storageClass, volumeAccessMode: cc.create.accessMode ?? 'ReadWriteMany' } : { name: claimName, create: false });
      cacheMounts.push({ name: claimName, ...(mountPoint && { mountPoint }), useAsCompilationCache: true });
    }
    pvcs.push(...(props.pvcs ?? []));
    problems.push(...pvcProblems(pvcs));

    const podSecurity: JsonObject = { runAsNonRoot: true, runAsUser: RUNTIME_UID, fsGroup: RUNTIME_UID, seccompProfile: { type: 'RuntimeDefault' } };
    const containerSecurity = (add: string[] = []): JsonObject => ({
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'], ...(add.length && { add }) },
    });
    const cpuPod = cpuPodSpec(props.cpuPlacement);
    const services: BuiltService[] = [];

    // ------------------------------------------------------------------ frontend
    if (props.frontend !== false) {
      const f = props.frontend ?? {};
      const name = f.name ?? FRONTEND_SERVICE_NAME;
      const router = f.router ?? 'round-robin';
      if (!ROUTER_MODES.includes(router)) problems.push(`frontend.router: must be one of ${ROUTER_MODES.join(', ')}, got "${String(router)}"`);
      const res = f.resources ?? { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } };
      services.push({
        name,
        field: 'frontend',
        multinode: false,
        spec: {
          componentType: 'frontend',
          replicas: f.replicas ?? 1,
          ...nonEmpty('envs', [...(router === 'round-robin' ? [] : [{ name: 'DYN_ROUTER_MODE', value: router }]), ...envsJson(f.envs ?? [])]),
          resources: computeResources(res),
          ...frontendProbes(),
          extraPodMetadata: { labels: podLabels('frontend', name) },
          extraPodSpec: mergeJson(
            {
              ...cpuPod,
              securityContext: podSecurity,
              mainContainer: {
                image: imageString(f.image ?? VERSIONS.dynamo.runtimeImages.frontend),
                command: ['python3', '-m', 'dynamo.frontend'],
                args: ['--http-port', String(FRONTEND_HTTP_PORT)],
                securityContext: containerSecurity(),
              },
            },
            extraPodSpecJson(f.extraPodSpec ?? {}),
          ),
        },
      });
    }

    // ------------------------------------------------------------------ workers
    const engineFiles: Record<string, string> = {};
    const kvEvents = props.frontend !== false && props.frontend?.router === 'kv';
    props.workers.forEach((w, i) => {
      const field = `workers[${i}]`;
      const role = w.role ?? 'aggregated';
      // Multinode services get short names: the operator's name limit counts the service name twice for them.
      const name = w.name ?? workerServiceName(props.backend, role, w.nodeCount !== undefined);
      const gpus = w.gpus ?? 1;
      const nodes = w.nodeCount ?? 1;
      if (!Number.isInteger(gpus) || gpus < 1) problems.push(`${field}.gpus: GPU counts are positive integers, got ${gpus}`);
      if (w.nodeCount !== undefined && (!Number.isInteger(w.nodeCount) || w.nodeCount < 2)) {
        problems.push(`${field}.nodeCount: a multinode worker spans at least 2 nodes (omit nodeCount for one node), got ${w.nodeCount}`);
      }
      const replicas = w.replicas ?? 1;
      if (!Number.isInteger(replicas) || replicas < 0) problems.push(`${field}.replicas: must be a whole number, at least 0, got ${replicas}`);
      const tp = w.tensorParallelSize ?? gpus * nodes;
      if (!Number.isInteger(tp) || tp < 1) problems.push(`${field}.tensorParallelSize: must be a positive integer, got ${tp}`);

      const placed = renderGpuPlacement(w.placement ?? { pools: [] });
      const extraVolumes: JsonObject[] = [];
      const extraMounts: JsonObject[] = [];
      const cacheEnv: DgdEnv[] = [];
      if (ephemeralCache?.mountPoint) {
        extraVolumes.push({
          name: 'compilation-cache',
          ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: ephemeralCache.storageClass, resources: { requests: { storage: ephemeralCache.size } } } } },
        });
        extraMounts.push({ name: 'compilation-cache', mountPath: ephemeralCache.mountPoint });
        if (props.backend === 'vllm') cacheEnv.push({ name: 'VLLM_CACHE_ROOT', value: ephemeralCache.mountPoint });
      }
      const annotations: Record<string, string> = {};
      if (props.backend === 'trtllm') {
        const file = stringify(trtllmEngineConfig({ role, tensorParallelSize: tp, trustRemoteCode: props.trustRemoteCode ?? false, ...(w.engineConfig && { overrides: w.engineConfig }) }));
        engineFiles[`${name.toLowerCase()}.yaml`] = file;
        extraVolumes.push({ name: 'engine-config', configMap: { name: `${this.name}-engine-config` } });
        extraMounts.push({ name: 'engine-config', mountPath: TRTLLM_ENGINE_DIR, readOnly: true });
        annotations['checksum/engine-config'] = checksum(file);
      }
      const args = [
        ...runtime.args({
          model: props.model,
          ...(props.servedModelName && { servedModelName: props.servedModelName }),
          tensorParallelSize: tp,
          role,
          kvEvents,
          trustRemoteCode: props.trustRemoteCode ?? false,
          ...(props.backend === 'trtllm' && { extraEngineArgs: `${TRTLLM_ENGINE_DIR}/${name.toLowerCase()}.yaml` }),
        }),
        ...(w.extraArgs ?? []),
      ];
      const probes = workerProbes(props.health);
      const basePod: JsonObject = {
        ...placed.podSpec,
        securityContext: podSecurity,
        ...(extraVolumes.length && { volumes: extraVolumes }),
        mainContainer: {
          image: imageString(w.image ?? runtime.image),
          workingDir: runtime.workingDir,
          command: workerCommand(props.backend),
          args,
          ...(probes.startupProbe && { startupProbe: probes.startupProbe as unknown as JsonObject }),
          securityContext: containerSecurity(placed.addCapabilities),
          ...(extraMounts.length && { volumeMounts: extraMounts }),
        },
      };
      const res = computeResources(w.resources ?? {});
      const gpu = String(gpus);
      const custom = Object.keys(placed.customResources).length ? { custom: placed.customResources } : {};
      services.push({
        name,
        field,
        multinode: w.nodeCount !== undefined,
        spec: {
          componentType: 'worker',
          ...(role !== 'aggregated' && { subComponentType: role }),
          replicas,
          ...(props.hfTokenSecret && { envFromSecret: props.hfTokenSecret }),
          envs: [...canaryEnv(props.health?.canary), ...placed.env, ...cacheEnv, ...envsJson(w.envs ?? [])],
          resources: { requests: { ...res.requests, gpu, ...custom }, limits: { ...res.limits, gpu, ...custom } },
          ...(w.nodeCount !== undefined && { multinode: { nodeCount: w.nodeCount } }),
          ...(cacheMounts.length && { volumeMounts: cacheMounts }),
          ...(w.sharedMemorySize && { sharedMemory: { size: w.sharedMemorySize } }),
          livenessProbe: probes.livenessProbe,
          readinessProbe: probes.readinessProbe,
          extraPodMetadata: { labels: podLabels('worker', name), ...(Object.keys(annotations).length && { annotations }) },
          extraPodSpec: mergeJson(basePod, extraPodSpecJson(w.extraPodSpec ?? {})),
        },
      });
    });

    // ------------------------------------------------------------------ planner
    if (props.planner) {
      const p = props.planner;
      const interval = p.adjustmentIntervalSeconds ?? 60;
      if (!Number.isInteger(interval) || interval < 10) problems.push(`planner.adjustmentIntervalSeconds: must be a whole number of seconds, at least 10, got ${interval}`);
      const roles = new Set(props.workers.map((w) => w.role ?? 'aggregated'));
      if (!roles.has('prefill') || !roles.has('decode')) problems.push('planner: the SLA Planner scales prefill and decode workers; the graph has none of one or both');
      const configMap = p.profileDataConfigMap ?? PLANNER_PROFILE_CONFIGMAP;
      services.push({
        name: PLANNER_SERVICE_NAME,
        field: 'planner',
        multinode: false,
        spec: {
          componentType: 'planner',
          replicas: 1,
          ...nonEmpty('envs', [...(p.prometheusEndpoint ? [{ name: 'PROMETHEUS_ENDPOINT', value: p.prometheusEndpoint }] : []), ...envsJson(p.envs ?? [])]),
          resources: computeResources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
          extraPodMetadata: { labels: podLabels('planner', PLANNER_SERVICE_NAME) },
          extraPodSpec: mergeJson(
            {
              ...cpuPod,
              securityContext: podSecurity,
              volumes: [{ name: 'profile-data', configMap: { name: configMap } }],
              mainContainer: {
                image: imageString(runtime.image),
                workingDir: '/workspace/components/src/dynamo/planner',
                command: ['python3', '-m', 'planner_sla'],
                args: [
                  '--environment=kubernetes',
                  `--backend=${props.backend}`,
                  `--adjustment-interval=${interval}`,
                  `--profile-results-dir=${PLANNER_PROFILE_DIR}`,
                  ...(p.extraArgs ?? []),
                ],
                securityContext: containerSecurity(),
                volumeMounts: [{ name: 'profile-data', mountPath: PLANNER_PROFILE_DIR, readOnly: true }],
              },
            },
            extraPodSpecJson(p.extraPodSpec ?? {}),
          ),
        },
      });
    }

    // ------------------------------------------------------------------ naming rules over all services
    const seen = new Set<string>();
    for (const s of services) {
      if (!SERVICE_NAME.test(s.name)) problems.push(`${s.field}.name: a service name starts with a letter and uses letters, digits and '-', got "${s.name}"`);
      if (seen.has(s.name.toLowerCase())) problems.push(`${s.field}.name: service "${s.name}" is defined twice`);
      seen.add(s.name.toLowerCase());
      const long = graphServiceNameProblem(this.name, s.name, s.multinode);
      if (long) problems.push(`${s.field}: ${long}`);
    }
    const declared = new Set(pvcs.map((p) => p.name));
    for (const s of services) {
      for (const m of s.spec.volumeMounts ?? []) {
        if (!declared.has(m.name)) problems.push(`${s.field}.volumeMounts: "${m.name}" is not a claim of the graph (pvcs: ${[...declared].join(', ') || 'none'})`);
      }
    }
    this.serviceNames = services.map((s) => s.name);

    // ------------------------------------------------------------------ scheduling (Grove, KAI)
    const sch = props.scheduling ?? {};
    const decisions: Record<string, SchedulingDecision> = {};
    for (const s of services) {
      const pod = s.spec.extraPodSpec ?? {};
      const own = typeof pod['schedulerName'] === 'string' ? pod['schedulerName'] : sch.schedulerName;
      const d = schedulingDecision({
        groveInstalled: sch.groveInstalled ?? false,
        graphGrove: sch.grove ?? true,
        kaiInstalled: sch.kaiInstalled ?? false,
        ...(own !== undefined && { schedulerName: own }),
        ...(sch.queue !== undefined && { queue: sch.queue }),
      });
      decisions[s.name] = d;
      if (d.set.schedulerName) s.spec.extraPodSpec = { ...pod, schedulerName: d.set.schedulerName };
      if (d.set.queueLabel) {
        const meta = s.spec.extraPodMetadata ?? {};
        s.spec.extraPodMetadata = { ...meta, labels: { ...meta.labels, [KAI_QUEUE_LABEL]: d.set.queueLabel } };
      }
    }
    this.scheduling = decisions;
    const annotations: Record<string, string> = {
      ...props.annotations,
      ...(sch.queue !== undefined && { [KAI_QUEUE_ANNOTATION]: sch.queue }),
      ...(sch.grove === false && { [ENABLE_GROVE_ANNOTATION]: 'false' }),
    };

    if (Object.keys(engineFiles).length) {
      new KubeConfigMap(this, 'EngineConfig', {
        metadata: { name: `${this.name}-engine-config`, namespace: this.namespace, labels: { 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': MANAGED_BY } },
        data: engineFiles,
      });
    }

    const graphEnvs: DgdEnv[] = [...(props.modelCache ? [{ name: 'HF_HOME', value: props.modelCache.mountPoint ?? MODEL_CACHE_MOUNT }] : []), ...envsJson(props.envs ?? [])];
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: DGD_API_VERSION,
      kind: 'DynamoGraphDeployment',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { ...props.labels, ...graphObjectLabels(this.name) },
        ...(Object.keys(annotations).length && { annotations }),
      },
      spec: {
        backendFramework: props.backend,
        ...(graphEnvs.length && { envs: graphEnvs }),
        ...(pvcs.length && { pvcs }),
        services: Object.fromEntries(services.map((s) => [s.name, s.spec])),
      },
    });
  }

  /** An endpoint of this graph's Dynamo namespace, e.g. `endpoint('backend', 'generate')`. */
  public endpoint(component: string, endpoint: string): EndpointRef & { readonly text: string } {
    const ref = { namespace: this.dynamoNamespace, component, endpoint };
    return { ...ref, text: formatEndpoint(ref) };
  }
}

const nonEmpty = <K extends string, T>(key: K, list: T[]): { [k in K]?: T[] } => (list.length ? ({ [key]: list } as { [k in K]: T[] }) : {});

function computeResources(r: ComputeResources): { requests: Record<string, string>; limits: Record<string, string> } {
  const pick = (l?: { cpu?: string; memory?: string }) => Object.fromEntries(Object.entries(l ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { requests: pick(r.requests), limits: pick(r.limits) };
}

function cpuPodSpec(p: WorkloadPlacement | undefined): JsonObject {
  // Off GPU nodes: tainted GPU nodes repel these pods anyway; on untainted clusters, prefer nodes without GPUs.
  const placed = podPlacement(p ?? { avoidNodesLabelled: { key: 'nvidia.com/gpu.present', value: 'true' } }, {}, 1);
  return JSON.parse(JSON.stringify(placed)) as JsonObject;
}

/** Either aggregated workers, or prefill and decode workers; one worker group per role. */
function topologyProblems(props: DynamoGraphDeploymentProps): string[] {
  if (props.workers.length === 0) return ['workers: a graph needs at least one worker service, got none'];
  const roles = props.workers.map((w) => w.role ?? 'aggregated');
  const out: string[] = [];
  const agg = roles.includes('aggregated');
  const pre = roles.includes('prefill');
  const dec = roles.includes('decode');
  if (agg && (pre || dec)) out.push(`workers: either aggregated workers or prefill and decode workers, not both, got ${roles.join(', ')}`);
  else if (pre !== dec) out.push(`workers: a disaggregated graph needs both prefill and decode workers, got ${pre ? 'prefill' : 'decode'} only`);
  for (const r of ['prefill', 'decode'] as const) {
    if (roles.filter((x) => x === r).length > 1) out.push(`workers: at most one ${r} worker service, got ${roles.filter((x) => x === r).length}`);
  }
  return out;
}

/** The CRD's rule (a CEL rule that offline validators skip): a claim the operator creates needs size, class and mode. */
export function pvcProblems(pvcs: readonly DgdPvc[]): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  pvcs.forEach((p, i) => {
    if (names.has(p.name)) out.push(`pvcs[${i}].name: claim "${p.name}" is declared twice`);
    names.add(p.name);
    if (p.create) {
      const missing = (['storageClass', 'size', 'volumeAccessMode'] as const).filter((k) => !p[k]);
      if (missing.length) out.push(`pvcs[${i}] (${p.name}): create: true needs storageClass, size and volumeAccessMode; missing ${missing.join(', ')}`);
    }
  });
  return out;
}
