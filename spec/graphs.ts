/**
 * The workload part of the spec: where graphs run (`workloads`), the inference graphs (`graphs`) and SLA-driven
 * graph requests (`graphRequests`). A graph names its backend, model and topology; the construct library turns that
 * into a DynamoGraphDeployment with the right containers, probes, storage and GPU placement for the target.
 */
import { z } from './zod.cjs';
import { BACKENDS, graphServiceNameProblem, ROUTER_MODES, type WorkerRole, workerServiceName, FRONTEND_SERVICE_NAME, PLANNER_SERVICE_NAME } from './naming.js';
import { EXAMPLE_NAMES } from './examples.js';
import { GPU_CAPACITIES } from './profile/gpu-fit.js';
import { exposureSchema } from './exposure.js';
import { DNS_LABEL, dnsLabel, quantity } from './fields.js';
import { graphSchedulingSchema } from './scheduling.js';

const positiveInt = (what: string) => z.number().int({ message: `${what} must be a whole number` }).min(1, { message: `${what} must be a positive integer` });
const seconds = (min: number) => z.number().int({ message: 'must be a whole number of seconds' }).min(min, { message: `must be at least ${min} seconds` });

const computeSchema = z
  .strictObject({
    requests: z
      .strictObject({ cpu: quantity.optional().describe('CPU the scheduler reserves, e.g. `4`.'), memory: quantity.optional().describe('Memory the scheduler reserves, e.g. `32Gi`.') })
      .optional(),
    limits: z
      .strictObject({ cpu: quantity.optional().describe('CPU cap.'), memory: quantity.optional().describe('Memory cap; over it the container is OOM-killed.') })
      .optional(),
  })
  .describe('CPU and memory of the container.');

// ---------------------------------------------------------------------------------------------- workloads

export const workloadsSchema = z
  .strictObject({
    namespace: dnsLabel('workloads.namespace').describe('Namespace of the graphs, the model cache and the graph requests. Labelled as a platform client, so it may reach NATS and etcd.'),
    hfTokenSecret: z
      .string()
      .regex(DNS_LABEL, { message: 'must be a Secret name (DNS label)' })
      .optional()
      .describe('Secret with the `HF_TOKEN` key, loaded by name (`envFromSecret`) into every worker and frontend (the frontend fetches tokenizers, gated models need the token). Created at apply time (see the README); never written to any output. Remove (`null`) for public models only.'),
    modelCache: z
      .strictObject({
        enabled: z.boolean().describe('Create the shared model-cache claim and mount it in every graph that asks for it.'),
        claimName: dnsLabel('modelCache.claimName').describe('Name of the PersistentVolumeClaim.'),
        size: quantity.describe('Requested capacity (file systems such as EFS ignore it). On GKE the claim creates the store, so it asks for `cluster.modelStorage.size` instead, unless `storageClass` is set.'),
        storageClass: z.string().min(1).optional().describe('Storage class. @default - the target\'s model storage class from the cloud profile (none on `local`: the cluster default)'),
        accessPod: z.boolean().describe('Emit the access pod (`41-model-cache-access`) to load or inspect the cache; it stops itself after an hour.'),
      })
      .describe('The shared model cache (ReadWriteMany), mounted on the workers at /opt/models with their HF_HOME pointing there.'),
    frontendClientNamespaces: z
      .array(dnsLabel('frontendClientNamespaces[]'))
      .describe('Namespaces whose pods may call the frontends (port 8000). Pods in the workload namespace always may.'),
  })
  .describe('Where graphs run and what they share.');

// ---------------------------------------------------------------------------------------------- graphs

const workerGroupSchema = z
  .strictObject({
    replicas: z.number().int({ message: 'replicas must be a whole number' }).min(0, { message: 'replicas must be at least 0' }).default(1).describe('Replicas of the worker (of the whole node group for multinode).'),
    gpus: positiveInt('gpus').default(1).describe('GPUs per pod (per node for multinode); GPU counts are positive integers.'),
    nodeCount: z
      .number()
      .int({ message: 'nodeCount must be a whole number' })
      .min(2, { message: 'a multinode worker spans at least 2 nodes (omit nodeCount for one node)' })
      .optional()
      .describe('Nodes one replica spans (multinode). @default - one node'),
    tensorParallelSize: positiveInt('tensorParallelSize').optional().describe('@default gpus x nodeCount'),
    capacity: z.enum(GPU_CAPACITIES).default('on-demand').describe('GPU pools to use: on-demand, spot (tolerates the spot taint) or any.'),
    pools: z.array(z.string().min(1)).optional().describe('Only these GPU pools. @default - every pool that fits'),
    accelerator: z.string().min(1).optional().describe('Only pools with this accelerator. @default - any'),
    extraArgs: z.array(z.string()).default([]).describe('Appended to the generated worker arguments.'),
    envs: z.record(z.string(), z.string()).default({}).describe('Extra environment variables.'),
    resources: computeSchema.optional().describe('CPU and memory. @default - none (the GPU count is always set)'),
    engineConfig: z.record(z.string(), z.unknown()).optional().describe('TRT-LLM only: keys merged over the generated engine configuration.'),
  })
  .describe('A group of GPU workers of one role.');

function probeTimingSchema(what: string) {
  return z
    .strictObject({
      periodSeconds: seconds(1).optional().describe('Seconds between checks. @default 10'),
      timeoutSeconds: seconds(1).optional().describe('Seconds one check may take (at most periodSeconds). @default 3 on the frontend, 4 on workers'),
      failureThreshold: positiveInt('failureThreshold').optional().describe('Failed checks in a row before the kubelet acts. @default 3'),
    })
    .default({})
    .describe(what);
}

const healthSchema = z
  .strictObject({
    startupBudgetSeconds: seconds(60).default(7200).describe('Seconds a worker may take to download and load the model before liveness checks start.'),
    canary: z
      .strictObject({
        enabled: z.boolean().default(false).describe('`DYN_HEALTH_CHECK_ENABLED`: send a minimal request to idle workers so a hung engine turns /health unready.'),
        waitSeconds: seconds(1).default(10).describe('`DYN_CANARY_WAIT_TIME`: idle seconds before a canary request.'),
        requestTimeoutSeconds: seconds(1).default(3).describe('`DYN_HEALTH_CHECK_REQUEST_TIMEOUT`.'),
      })
      .default({ enabled: false, waitSeconds: 10, requestTimeoutSeconds: 3 })
      .describe('The canary health check of the workers.'),
    liveness: probeTimingSchema('Liveness probe of the frontend (`/live` on port 8000) and the workers (`/live` on the system port 9090): failing it restarts the container.'),
    readiness: probeTimingSchema('Readiness probe of the frontend and the workers (`/health`): failing it takes the pod out of the Service.'),
  })
  .default({ startupBudgetSeconds: 7200, canary: { enabled: false, waitSeconds: 10, requestTimeoutSeconds: 3 }, liveness: {}, readiness: {} })
  .describe('Probes and canary health checks. The workers keep the operator\'s system port (9090).');

export const graphSchema = z
  .strictObject({
    example: z.enum(EXAMPLE_NAMES as [string, ...string[]]).optional().describe('Start from a shipped example (see the examples table); the other keys override it.'),
    enabled: z.boolean().default(true).describe('Emit the graph.'),
    backend: z.enum(BACKENDS).describe('Inference engine: vllm, sglang or trtllm.'),
    model: z.string().min(1).describe('Hugging Face model id or path, e.g. `Qwen/Qwen3-0.6B`.'),
    servedModelName: z.string().min(1).optional().describe('Name clients use. @default - the model'),
    trustRemoteCode: z.boolean().default(false).describe('Let the model repository run its own Python code.'),
    router: z.enum(ROUTER_MODES).default('round-robin').describe('How the frontend picks a worker; `kv` is the KV-aware router.'),
    frontend: z
      .strictObject({
        replicas: positiveInt('frontend.replicas').optional().describe('Frontend replicas. @default 2 on eks, aks and gke (spread over zones and hosts, with a disruption budget); 1 on local'),
        resources: computeSchema.optional(),
      })
      .default({})
      .describe('The OpenAI-compatible HTTP frontend (port 8000).'),
    aggregated: workerGroupSchema.optional().describe('Aggregated workers (prefill and decode in one). Either this, or prefill and decode.'),
    prefill: workerGroupSchema.optional().describe('Prefill workers of a disaggregated graph.'),
    decode: workerGroupSchema.optional().describe('Decode workers of a disaggregated graph.'),
    planner: z
      .strictObject({
        enabled: z.boolean().describe('Run the SLA Planner (needs the `planner-profile-data` ConfigMap a profiling run writes).'),
        adjustmentIntervalSeconds: seconds(10).default(60).describe('Seconds between scaling decisions.'),
        prometheusEndpoint: z.string().min(1).optional().describe('Prometheus the Planner queries. @default - the operator\'s'),
      })
      .optional()
      .describe('SLA Planner of a disaggregated graph.'),
    health: healthSchema,
    modelCache: z.boolean().default(true).describe('Mount the shared model cache (workloads.modelCache) on the workers.'),
    highAvailability: z
      .boolean()
      .optional()
      .describe(
        'Spread every serving service with 2 or more replicas (frontend, worker groups) over zones and hosts, and give it a PodDisruptionBudget of one pod at a time. @default true on eks, aks and gke; false on local',
      ),
    scheduling: graphSchedulingSchema,
    slo: z
      .strictObject({
        ttftP95Ms: z.number().positive({ message: 'must be a positive number of milliseconds' }).describe('p95 time to first token the graph promises; the alert fires above it.'),
        itlP95Ms: z.number().positive({ message: 'must be a positive number of milliseconds' }).describe('p95 inter-token latency the graph promises.'),
      })
      .default({ ttftP95Ms: 2000, itlP95Ms: 100 })
      .describe('Service levels of the graph, for its alerts.'),
    compilationCache: z
      .strictObject({
        size: quantity.describe('Capacity of the claim the operator creates (on the model storage class).'),
        mountPoint: z.string().startsWith('/').optional().describe('@default - the backend\'s (vLLM); required for SGLang and TRT-LLM'),
      })
      .optional()
      .describe('A per-graph compilation cache (e.g. torch.compile artifacts), shared by its workers.'),
    expose: exposureSchema,
  })
  .superRefine((g, ctx) => {
    const roles = (['aggregated', 'prefill', 'decode'] as const).filter((r) => g[r] !== undefined);
    if (roles.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'a graph needs workers: set aggregated, or prefill and decode' });
    if (g.aggregated && (g.prefill || g.decode)) ctx.addIssue({ code: 'custom', path: ['aggregated'], message: 'either aggregated workers, or prefill and decode workers, not both' });
    if (!g.aggregated && Boolean(g.prefill) !== Boolean(g.decode)) {
      ctx.addIssue({ code: 'custom', path: [g.prefill ? 'decode' : 'prefill'], message: 'a disaggregated graph needs both prefill and decode workers' });
    }
    if (g.planner?.enabled && !(g.prefill && g.decode)) ctx.addIssue({ code: 'custom', path: ['planner', 'enabled'], message: 'the SLA Planner scales prefill and decode workers: the graph has none' });
    if (g.compilationCache && !g.compilationCache.mountPoint && g.backend !== 'vllm') {
      ctx.addIssue({ code: 'custom', path: ['compilationCache', 'mountPoint'], message: `required for backend ${g.backend} (the operator has no default mount point for it)` });
    }
    for (const probe of ['liveness', 'readiness'] as const) {
      const t = g.health[probe];
      if (t.timeoutSeconds !== undefined && t.timeoutSeconds > (t.periodSeconds ?? 10)) {
        ctx.addIssue({ code: 'custom', path: ['health', probe, 'timeoutSeconds'], message: `a check must end before the next one starts: at most periodSeconds (${t.periodSeconds ?? 10})` });
      }
    }
    if (g.backend !== 'trtllm') {
      for (const r of roles) if (g[r]?.engineConfig) ctx.addIssue({ code: 'custom', path: [r, 'engineConfig'], message: `only TRT-LLM workers take an engine configuration, the backend is ${g.backend}` });
    }
  })
  .describe('An inference graph (DynamoGraphDeployment).');

export const graphRequestSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Emit the request.'),
    backend: z.enum(BACKENDS).describe('Backend to profile.'),
    model: z.string().min(1).describe('Model to profile and deploy.'),
    sla: z
      .strictObject({
        isl: positiveInt('isl').describe('Input sequence length, tokens.'),
        osl: positiveInt('osl').describe('Output sequence length, tokens.'),
        ttftMs: z.number().positive({ message: 'must be a positive number of milliseconds' }).describe('Time to first token target, ms.'),
        itlMs: z.number().positive({ message: 'must be a positive number of milliseconds' }).describe('Inter-token latency target, ms.'),
      })
      .describe('The SLA the profiler sizes the graph for.'),
    autoApply: z.boolean().default(false).describe('Deploy the recommended graph when profiling completes (false: only store it).'),
    useAiConfigurator: z.boolean().default(false).describe('Estimate with AI Configurator instead of measuring on GPUs.'),
  })
  .describe('An SLA-driven deployment request (DynamoGraphDeploymentRequest).');

export const graphsSchema = z.record(dnsLabel('graphs key'), graphSchema).describe('Inference graphs keyed by name (the DynamoGraphDeployment name).');
export const graphRequestsSchema = z.record(dnsLabel('graphRequests key'), graphRequestSchema).describe('Graph requests keyed by name.');

export type WorkloadsSpec = z.output<typeof workloadsSchema>;
export type GraphSpec = z.output<typeof graphSchema>;
export type GraphInput = z.input<typeof graphSchema>;
export type WorkerGroupSpec = z.output<typeof workerGroupSchema>;
export type GraphRequestSpec = z.output<typeof graphRequestSchema>;

/** The worker groups of a graph with their role, in manifest order. */
export function workerGroups(g: GraphSpec): { role: WorkerRole; group: WorkerGroupSpec }[] {
  return (['aggregated', 'prefill', 'decode'] as const).flatMap((role) => (g[role] ? [{ role, group: g[role] }] : []));
}

/** The operator's name-length rule over every service a graph spec produces, as (path, message) pairs. */
export function graphNameProblems(name: string, g: GraphSpec): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const check = (path: (string | number)[], service: string, multinode: boolean) => {
    const p = graphServiceNameProblem(name, service, multinode);
    if (p) out.push({ path, message: p });
  };
  check([], FRONTEND_SERVICE_NAME, false);
  for (const { role, group } of workerGroups(g)) check([role], workerServiceName(g.backend, role, group.nodeCount !== undefined), group.nodeCount !== undefined);
  if (g.planner?.enabled) check(['planner'], PLANNER_SERVICE_NAME, false);
  return out;
}
