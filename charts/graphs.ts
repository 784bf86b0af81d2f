/**
 * The workload charts of one target: the workload namespace with its policies and the shared model cache, the
 * model-cache access pod, one chart per graph and one per graph request. Chart ids are file names, so they apply
 * after the platform (`40-...` onwards).
 */
import { Chart } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { DynamoGraphDeployment, type WorkerProps } from '../constructs/k8s/graph/dynamo-graph-deployment.js';
import { gpuPlacement, renderGpuPlacement } from '../constructs/k8s/graph/gpu-placement.js';
import { FrontendExposure, type LoadBalancerFlavor } from '../constructs/k8s/graph/frontend-exposure.js';
import { exposedFrontends } from './frontend-access.js';
import { GraphNetworkPolicy } from '../constructs/k8s/graph/graph-network.js';
import { DynamoGraphDeploymentRequest } from '../constructs/k8s/graph/graph-request.js';
import { ModelCache } from '../constructs/k8s/graph/model-cache.js';
import { PLATFORM_CLIENT_LABEL } from '../constructs/k8s/common/network.js';
import { PlatformNamespace } from '../constructs/k8s/namespace/platform-namespace.js';
import { workerGroups, type GraphSpec } from '../spec/graphs.js';
import { tracingEnv } from './observability.js';
import type { CloudProfile } from '../spec/profile/types.js';
import type { Spec } from '../spec/schema.js';

export const WORKLOAD_CHARTS = {
  workloads: '40-workloads',
  access: '41-model-cache-access',
  graph: (name: string) => `50-graph-${name}`,
  request: (name: string) => `60-graph-request-${name}`,
} as const;

const chart = (app: App, id: string, namespace?: string) => new Chart(app, id, { disableResourceNameHashes: true, ...(namespace && { namespace }) });

const envList = (envs: Readonly<Record<string, string>>): EnvVar[] =>
  Object.entries(envs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));

/** Cloud targets run two frontends (spread, with a budget) so that a drain or a zone outage keeps serving; local one. */
export const defaultFrontendReplicas = (target: Spec['target']): number => (target === 'local' ? 1 : 2);

/** The worker props of a graph spec on a target: placement on the GPU pools that fit each group. */
export function graphWorkers(g: GraphSpec, profile: CloudProfile): WorkerProps[] {
  return workerGroups(g).map(({ role, group }) => ({
    role,
    replicas: group.replicas,
    gpus: group.gpus,
    ...(group.nodeCount !== undefined && { nodeCount: group.nodeCount }),
    ...(group.tensorParallelSize !== undefined && { tensorParallelSize: group.tensorParallelSize }),
    placement: gpuPlacement(profile, {
      gpus: group.gpus,
      capacity: group.capacity,
      ...(group.pools && { pools: group.pools }),
      ...(group.accelerator && { accelerator: group.accelerator }),
    }),
    extraArgs: group.extraArgs,
    envs: envList(group.envs),
    ...(group.resources && { resources: group.resources }),
    ...(group.engineConfig && { engineConfig: group.engineConfig }),
  }));
}

export interface WorkloadCharts {
  readonly graphs: Readonly<Record<string, DynamoGraphDeployment>>;
  readonly requests: Readonly<Record<string, DynamoGraphDeploymentRequest>>;
  readonly modelCache?: ModelCache;
}

export function addWorkloadCharts(app: App, spec: Spec, profile: CloudProfile): WorkloadCharts {
  const w = spec.workloads;
  const ns = w.namespace;
  const np = spec.platform.networkPolicy;
  const enabledGraphs = Object.entries(spec.graphs)
    .filter(([, g]) => g.enabled)
    .sort(([a], [b]) => a.localeCompare(b));
  const workersOf = new Map(enabledGraphs.map(([name, g]) => [name, graphWorkers(g, profile)]));

  // IPC_LOCK (RDMA over EFA or InfiniBand) is outside the baseline Pod Security Standard.
  const fastNetwork = [...workersOf.values()].flat().some((wp) => renderGpuPlacement(wp.placement ?? { pools: [] }).addCapabilities.length > 0);
  const base = chart(app, WORKLOAD_CHARTS.workloads, ns);
  if (ns !== spec.platform.namespace) {
    new PlatformNamespace(base, 'namespace', {
      name: ns,
      podSecurity: fastNetwork ? 'privileged' : 'baseline',
      auditLevel: 'restricted',
      defaultDenyIngress: np.enabled,
      labels: { [PLATFORM_CLIENT_LABEL]: 'true' },
    });
  }
  if (np.enabled) {
    new GraphNetworkPolicy(base, 'network', { namespace: ns, frontendClientNamespaces: w.frontendClientNamespaces, monitoringNamespaces: np.monitoringNamespaces });
  }

  const modelClass = w.modelCache.storageClass ?? profile.storage.modelCache?.name;
  const modelAccess = w.modelCache.storageClass ? 'ReadWriteMany' : (profile.storage.modelCache?.accessMode ?? 'ReadWriteOnce');
  // The compilation cache has its own tier on some clouds (AKS: Azure Disk or local NVMe), else the model store's.
  const compilation = profile.storage.compilationCache;
  const compileClass = w.modelCache.storageClass ?? compilation?.name ?? modelClass;
  const compileAccess = w.modelCache.storageClass ? 'ReadWriteMany' : (compilation?.accessMode ?? modelAccess);
  const ephemeralCompile = !w.modelCache.storageClass && compilation?.ephemeral === true;
  const modelCache = w.modelCache.enabled
    ? new ModelCache(base, 'model-cache', {
        claimName: w.modelCache.claimName,
        namespace: ns,
        // Where the claim creates the store (GKE), it asks for the store's size, unless the spec names its own class.
        size: (!w.modelCache.storageClass && profile.storage.modelCacheSize) || w.modelCache.size,
        // Without a known class (local), the cluster default: often node-local, so ReadWriteOnce.
        ...(modelClass ? { storageClassName: modelClass, accessMode: modelAccess } : { accessMode: 'ReadWriteOnce' }),
        accessPod: w.modelCache.accessPod,
        ...(w.modelCache.accessPod && { accessPodScope: chart(app, WORKLOAD_CHARTS.access, ns) }),
      })
    : undefined;

  const tracing = tracingEnv(spec);
  const graphs: Record<string, DynamoGraphDeployment> = {};
  for (const [name, g] of enabledGraphs) {
    graphs[name] = new DynamoGraphDeployment(chart(app, WORKLOAD_CHARTS.graph(name), ns), 'graph', {
      name,
      namespace: ns,
      backend: g.backend,
      model: g.model,
      ...(g.servedModelName && { servedModelName: g.servedModelName }),
      trustRemoteCode: g.trustRemoteCode,
      frontend: { replicas: g.frontend.replicas ?? defaultFrontendReplicas(spec.target), router: g.router, ...(g.frontend.resources && { resources: g.frontend.resources }) },
      highAvailability: g.highAvailability ?? spec.target !== 'local',
      workers: workersOf.get(name)!,
      ...(g.planner?.enabled && {
        planner: { adjustmentIntervalSeconds: g.planner.adjustmentIntervalSeconds, ...(g.planner.prometheusEndpoint && { prometheusEndpoint: g.planner.prometheusEndpoint }) },
      }),
      health: g.health,
      ...(tracing.length && { envs: tracing }),
      scheduling: {
        groveInstalled: spec.platform.grove.enabled,
        kaiInstalled: spec.platform.kai.enabled,
        grove: g.scheduling.grove,
        ...(g.scheduling.queue && { queue: g.scheduling.queue }),
        ...(g.scheduling.schedulerName && { schedulerName: g.scheduling.schedulerName }),
      },
      ...(w.hfTokenSecret && { hfTokenSecret: w.hfTokenSecret }),
      ...(g.modelCache && modelCache && { modelCache: { claimName: modelCache.claimName } }),
      ...(g.compilationCache && {
        compilationCache: {
          ...(compileClass && !ephemeralCompile && { create: { size: g.compilationCache.size, storageClass: compileClass, accessMode: compileAccess } }),
          ...(compileClass && ephemeralCompile && { ephemeral: { size: g.compilationCache.size, storageClass: compileClass } }),
          ...(g.compilationCache.mountPoint && { mountPoint: g.compilationCache.mountPoint }),
        },
      }),
    });
  }

  const flavor: Record<Spec['target'], LoadBalancerFlavor> = { eks: 'aws-alb', aks: 'azure-lb', gke: 'gcp-lb', local: 'plain-lb' };
  for (const { graph: name, expose: e, networkCidrs } of exposedFrontends(spec)) {
    new FrontendExposure(graphs[name]!.node.scope as Construct, 'exposure', {
      graph: name,
      namespace: ns,
      flavor: flavor[spec.target],
      scheme: e.scheme,
      sourceCidrs: e.sourceCidrs,
      ...(networkCidrs.length > 0 && { networkCidrs }),
      ...(e.certificateArn && { certificateArn: e.certificateArn }),
      idleTimeoutSeconds: e.idleTimeoutSeconds,
      networkPolicy: np.enabled,
    });
  }

  const requests: Record<string, DynamoGraphDeploymentRequest> = {};
  for (const [name, r] of Object.entries(spec.graphRequests).sort(([a], [b]) => a.localeCompare(b))) {
    if (!r.enabled) continue;
    requests[name] = new DynamoGraphDeploymentRequest(chart(app, WORKLOAD_CHARTS.request(name), ns), 'request', {
      name,
      namespace: ns,
      backend: r.backend,
      model: r.model,
      sla: r.sla,
      autoApply: r.autoApply,
      useAiConfigurator: r.useAiConfigurator,
    });
  }
  return { graphs, requests, ...(modelCache && { modelCache }) };
}
