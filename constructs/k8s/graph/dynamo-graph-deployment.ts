/**
 * DynamoGraphDeployment: one inference graph (`nvidia.com/v1alpha1`), built from typed services: a Frontend (with
 * the KV router when asked), GPU workers (aggregated, or prefill and decode), and optionally the SLA Planner.
 *
 * The construct knows the runtime containers of each backend (image from the version matrix, command, arguments),
 * sets explicit health probes and the canary health check, mounts the shared model cache, references the Hugging
 * Face token Secret by name only, places workers on the GPU pools that fit them (tolerations, node affinity, driver
 * directories, fast network), and runs every container non-root without privilege escalation, with all capabilities
 * dropped and a read-only root filesystem (writable emptyDirs where the processes write: runtime-scratch.ts).
 * Anything else upstream's schema allows stays reachable through `envs` and `extraPodSpec`.
 *
 * Each kind of service is built in its own file: frontend-service.ts, worker-service.ts, planner-service.ts; spread
 * and disruption budgets in availability.ts. This construct owns the claims, the rules over all services, the
 * scheduling decisions and the object itself.
 *
 * Every rule is checked at synth time (node.addValidation); each message names the field, the value and the rule.
 */
import type { ApiObject } from 'cdk8s';
import { Chart } from '../common/cdk8s.cjs';
import { JsonApiObject } from '../common/json-api-object.js';
import { KubeConfigMap } from '../common/kube.cjs';
import type { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { dynamoNamespaceProblem, type EndpointRef, formatEndpoint, graphServiceNameProblem } from '../../../spec/naming.js';
import { ENABLE_GROVE_ANNOTATION, KAI_QUEUE_ANNOTATION, KAI_QUEUE_LABEL, schedulingDecision, type SchedulingDecision } from '../../../spec/scheduling.js';
import { MANAGED_BY } from '../common/labels.js';
import { podPlacement, type WorkloadPlacement } from '../common/placement.js';
import { addServiceBudget, needsAvailability, spreadPodSpec } from './availability.js';
import { type Backend, RUNTIMES } from './backends.js';
import { DGD_API_VERSION, type DgdEnv, type DgdPvc, type DgdVolumeMount, envsJson, type JsonObject, mergeJson } from './dgd-types.js';
import { buildFrontend, type FrontendProps } from './frontend-service.js';
import { type HealthProps, healthProblems } from './health.js';
import { buildPlanner, type PlannerProps } from './planner-service.js';
import { graphObjectLabels } from './pod-labels.js';
import { mountPathProblems, volumeNameProblems, writablePathProblems } from './runtime-scratch.js';
import type { BuiltService, ServiceContext } from './service-context.js';
import { buildWorker, type WorkerProps } from './worker-service.js';

export { RUNTIME_UID, type ComputeResources } from './service-context.js';
export { FRONTEND_HUB_CACHE_MOUNT, type FrontendProps } from './frontend-service.js';
export { type WorkerProps } from './worker-service.js';
export { PLANNER_PROFILE_CONFIGMAP, PLANNER_PROFILE_DIR, type PlannerProps } from './planner-service.js';

/** Where the model cache is mounted; the workers' `HF_HOME` points there, so downloads land on the shared volume. */
export const MODEL_CACHE_MOUNT = '/opt/models';

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
  /** Secret with `HF_TOKEN`, loaded by name (`envFromSecret`) into the workers and the frontend (it fetches tokenizers). @default - none */
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
  /**
   * Spread every serving service with two or more replicas (frontend, worker groups) over zones and hosts and give
   * it a PodDisruptionBudget of one replica (see availability.ts). @default false
   */
  readonly highAvailability?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

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
  /** Services spread over zones and hosts with a PodDisruptionBudget (see availability.ts). */
  public readonly budgetedServices: readonly string[];

  constructor(scope: Construct, id: string, props: DynamoGraphDeploymentProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.backend = props.backend;
    this.dynamoNamespace = `${this.namespace}-${this.name}`;
    const problems: string[] = [];
    this.node.addValidation({ validate: () => problems.map((p) => `DynamoGraphDeployment ${this.name}: ${p}`) });

    if (!DNS_LABEL.test(this.name) || this.name.length > 63) problems.push(`name: must be a DNS label (lower-case letters, digits, '-'), got "${this.name}"`);
    const nsProblem = dynamoNamespaceProblem(this.dynamoNamespace);
    if (nsProblem) problems.push(`Dynamo namespace: ${nsProblem}`);
    if (!props.model) problems.push('model: required, got ""');
    problems.push(...topologyProblems(props));
    problems.push(...healthProblems(props.health ?? {}, 'health'));

    // ------------------------------------------------------------------ claims
    const { pvcs, cacheMounts, ephemeralCache } = graphClaims(props, this.name, problems);

    // ------------------------------------------------------------------ services (frontend-, worker-, planner-service.ts)
    const ctx: ServiceContext = {
      graph: this.name,
      backend: props.backend,
      model: props.model,
      ...(props.servedModelName && { servedModelName: props.servedModelName }),
      trustRemoteCode: props.trustRemoteCode ?? false,
      health: props.health ?? {},
      ...(props.hfTokenSecret && { hfTokenSecret: props.hfTokenSecret }),
      ...(props.modelCache && { modelCacheMountPoint: props.modelCache.mountPoint ?? MODEL_CACHE_MOUNT }),
      cacheMounts,
      ...(ephemeralCache && { ephemeralCache }),
      cpuPod: cpuPodSpec(props.cpuPlacement),
      problems,
    };
    const services: BuiltService[] = [];
    if (props.frontend !== false) services.push(buildFrontend(ctx, props.frontend ?? {}));
    const kvEvents = props.frontend !== false && props.frontend?.router === 'kv';
    const workers = props.workers.map((w, i) => buildWorker(ctx, w, i, kvEvents));
    services.push(...workers);
    if (props.planner) services.push(buildPlanner(ctx, props.planner, new Set(props.workers.map((w) => w.role ?? 'aggregated'))));

    // ------------------------------------------------------------------ naming rules over all services
    const seen = new Set<string>();
    for (const s of services) {
      if (!SERVICE_NAME.test(s.name)) problems.push(`${s.field}.name: a service name starts with a letter and uses letters, digits and '-', got "${s.name}"`);
      if (seen.has(s.name.toLowerCase())) problems.push(`${s.field}.name: service "${s.name}" is defined twice`);
      // Grove names a multinode service's cliques `<service>-ldr` and `<service>-wkr`; the scrape drops `...-wkr`
      // cliques as non-leaders (observability/multinode.ts), so a service's own name must not end so.
      if (/-(wkr|ldr)$/i.test(s.name)) problems.push(`${s.field}.name: a service name must not end in -wkr or -ldr (the operator's suffixes of multinode leader and worker cliques), got "${s.name}"`);
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

    // ------------------------------------------------------------------ availability (availability.ts)
    const highlyAvailable = props.highAvailability ? services.filter(needsAvailability) : [];
    for (const s of highlyAvailable) {
      s.spec.extraPodSpec = mergeJson(s.spec.extraPodSpec ?? {}, spreadPodSpec(this.name, s));
      addServiceBudget(this, this.name, this.namespace, s);
    }
    this.budgetedServices = highlyAvailable.map((s) => s.name);

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

    const engineFiles = Object.fromEntries(workers.flatMap((w) => (w.engineFile ? [[w.engineFile.name, w.engineFile.content] as const] : [])));
    if (Object.keys(engineFiles).length) {
      new JsonApiObject(this, 'EngineConfig', {
        ...KubeConfigMap.GVK,
        metadata: { name: `${this.name}-engine-config`, namespace: this.namespace, labels: { 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': MANAGED_BY } },
        data: engineFiles,
      });
    }

    // Graph-wide envs reach every service (the operator merges them under each service's own); cache paths are not
    // graph-wide: each service sets the one it mounts (workers: the model cache; frontend: its hub cache).
    const graphEnvs: DgdEnv[] = envsJson(props.envs ?? []);
    // Read-only roots: every directory variable a service sets is on one of its writable volumes (runtime-scratch.ts).
    for (const s of services) {
      const pod = s.spec.extraPodSpec ?? {};
      const claims = s.spec.volumeMounts ?? [];
      problems.push(
        ...writablePathProblems(s.field, graphEnvs, s.spec.envs ?? [], claims, pod),
        ...volumeNameProblems(s.field, claims, pod),
        ...mountPathProblems(s.field, claims, pod, { sshKeys: props.backend === 'trtllm' && s.multinode }),
      );
    }
    this.apiObject = new JsonApiObject(this, 'Resource', {
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

/** The graph's claims (model cache, compilation cache, extra) and the cache mounts of its workers. */
function graphClaims(props: DynamoGraphDeploymentProps, name: string, problems: string[]): Pick<ServiceContext, 'cacheMounts' | 'ephemeralCache'> & { pvcs: DgdPvc[] } {
  const runtime = RUNTIMES[props.backend];
  const pvcs: DgdPvc[] = [];
  const cacheMounts: DgdVolumeMount[] = [];
  if (props.modelCache) {
    pvcs.push({ name: props.modelCache.claimName, create: false });
    cacheMounts.push({ name: props.modelCache.claimName, mountPoint: props.modelCache.mountPoint ?? MODEL_CACHE_MOUNT });
  }
  const cc = props.compilationCache;
  const ephemeralCache = cc?.ephemeral ? { ...cc.ephemeral, ...((cc.mountPoint ?? runtime.compilationCacheMountPoint) && { mountPoint: cc.mountPoint ?? runtime.compilationCacheMountPoint }) } : undefined;
  if (ephemeralCache && !ephemeralCache.mountPoint) problems.push(`compilationCache.mountPoint: required for backend ${props.backend} (the operator has no default mount point for it)`);
  if (cc && !cc.ephemeral) {
    const claimName = cc.claimName ?? `${name}-compilation-cache`;
    const mountPoint = cc.mountPoint ?? runtime.compilationCacheMountPoint;
    if (!mountPoint) problems.push(`compilationCache.mountPoint: required for backend ${props.backend} (the operator has no default mount point for it)`);
    pvcs.push(cc.create ? { name: claimName, create: true, size: cc.create.size, storageClass: cc.create.storageClass, volumeAccessMode: cc.create.accessMode ?? 'ReadWriteMany' } : { name: claimName, create: false });
    cacheMounts.push({ name: claimName, ...(mountPoint && { mountPoint }), useAsCompilationCache: true });
  }
  pvcs.push(...(props.pvcs ?? []));
  problems.push(...pvcProblems(pvcs));
  return { pvcs, cacheMounts, ...(ephemeralCache && { ephemeralCache }) };
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
