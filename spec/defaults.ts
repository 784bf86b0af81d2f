/**
 * The default spec of each target. A user file (DYNAMO_IAC_CONFIG) is merged over these.
 *
 * `local` is any conformant cluster (kind, minikube, on-prem): one NATS server, one etcd member, no cluster section.
 * The cloud targets run a 3-node NATS route cluster and a 3-member etcd, and describe the cluster the cdktf stack
 * creates: a system pool, an on-demand GPU pool and a spot GPU pool (both scale to zero) and shared model storage.
 */
import type { CloudTarget, SpecInput, Target } from './schema.js';
import { EXAMPLE_MODEL } from './examples.js';
import { DEFAULT_KAI_QUEUE, DEFAULT_PARENT_QUEUE } from './scheduling.js';
import type { GraphInput } from './graphs.js';
import { VERSIONS } from './versions.js';
import { DEFAULT_RUNBOOK_BASE_URL } from './alerting.js';

type PlatformInput = SpecInput['platform'];
type ClusterInput = Extract<SpecInput, { cluster: unknown }>['cluster'];

function platformDefaults(ha: boolean): PlatformInput {
  return {
    namespace: 'dynamo-system',
    releaseName: 'dynamo-platform',
    podSecurity: 'restricted',
    placement: 'system',
    images: { pullSecrets: [] },
    nats: {
      replicas: ha ? 3 : 1,
      storageSize: '10Gi',
      memoryStoreSize: '256Mi',
      maxPayload: 15728640,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    },
    etcd: {
      replicas: ha ? 3 : 1,
      storageSize: '1Gi',
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      // A daily rolling snapshot on the clouds; every target keeps the pre-upgrade snapshot Job.
      backup: { enabled: true, size: '5Gi', ...(ha && { schedule: '0 3 * * *' }) },
    },
    operator: {
      enabled: true,
      scope: 'cluster',
      replicas: 1,
      leaderElection: {},
      discoveryBackend: 'etcd',
      webhook: { enabled: false, failurePolicy: 'Fail', timeoutSeconds: 10 },
      upstreamWildcardRbac: false,
      // upstream: requests 512m/1Gi, limits 1024m/2Gi
      resources: { requests: { cpu: '512m', memory: '1Gi' }, limits: { cpu: '1024m', memory: '2Gi' } },
    },
    networkPolicy: { enabled: true, clientNamespaces: [], monitoringNamespaces: ['monitoring'] },
    // Multinode disaggregated graphs need gang scheduling: on by default on the clouds, off on local clusters.
    grove: { enabled: ha },
    kai: {
      enabled: ha,
      queues: {
        // Upstream's platform chart hierarchy: unlimited, over-quota weight 1.
        [DEFAULT_PARENT_QUEUE]: {},
        [DEFAULT_KAI_QUEUE]: { parent: DEFAULT_PARENT_QUEUE },
      },
    },
  };
}

/** Per-cloud instance types and regions of the default cluster. */
const CLOUD_CLUSTER: Record<CloudTarget, { region: string; system: string; gpu: string; accelerator: string; gpus: number }> = {
  eks: { region: 'us-west-2', system: 'm6i.xlarge', gpu: 'g6e.12xlarge', accelerator: 'nvidia-l40s', gpus: 4 },
  aks: { region: 'eastus2', system: 'Standard_D4s_v5', gpu: 'Standard_NC80adis_H100_v5', accelerator: 'nvidia-h100-nvl', gpus: 2 },
  gke: { region: 'us-central1', system: 'e2-standard-4', gpu: 'g2-standard-48', accelerator: 'nvidia-l4', gpus: 4 },
};

function clusterDefaults(target: CloudTarget): ClusterInput {
  const c = CLOUD_CLUSTER[target];
  const gpuPool = (capacity: 'on-demand' | 'spot') => ({
    instanceType: c.gpu,
    accelerator: c.accelerator,
    gpusPerNode: c.gpus,
    capacity,
    fastNetwork: false,
    minNodes: 0,
    maxNodes: 2,
    labels: {},
    taints: [],
  });
  return {
    name: 'dynamo',
    region: c.region,
    kubernetesVersion: VERSIONS.kubernetes[target],
    // Never drift into paid extended support silently (EKS).
    kubernetesSupport: 'standard',
    systemPool: { name: 'system', instanceType: c.system, minNodes: 2, maxNodes: 4, labels: {}, taints: [] },
    gpuPools: { gpu: gpuPool('on-demand'), gpuspot: gpuPool('spot') },
    // AKS follows the seed's recommendation: model cache on Azure Managed Lustre, compilation cache on Azure Disk.
    modelStorage:
      target === 'aks'
        ? { kind: 'lustre', size: '4Ti', tier: 'performance', compilationCache: 'disk' }
        : // GKE's claim creates the Filestore instance: its smallest premium (Basic SSD) size.
          { kind: 'shared-file', size: target === 'gke' ? '2560Gi' : '1Ti', tier: 'standard', compilationCache: 'model-store' },
    network: {
      cidr: '10.0.0.0/16',
      zones: 3,
      singleNatGateway: true,
      privateNodes: true,
      // A public API endpoint limited to the address of the machine running Terraform (looked up at plan time: empty
      // publicAccessCidrs), so that cdktf deploy reaches it; 0.0.0.0/0 is an explicit choice, warned about at synth.
      publicEndpoint: true,
      publicAccessCidrs: [],
    },
    logs: { enabled: true, retentionDays: 30 },
    registry: { enabled: true },
    admins: [],
    localAccounts: false,
    protectStatefulResources: true,
    // Secrets: a key the stack creates (EKS and GKE: KMS; AKS: Key Vault). Encryption at host needs a subscription feature.
    encryption: { atHost: false },
    deploy: { platform: true, graphs: false, aksLogin: 'azurecli' },
  };
}

/** A graph entry of a spec document: complete, or an example name with overrides (expanded by the loader). */
export type GraphEntryInput = GraphInput | ({ readonly example: string } & Partial<GraphInput>);
/** A spec document before the examples are expanded. */
export type SpecDocument = SpecInput extends infer S ? (S extends unknown ? Omit<S, 'graphs'> & { graphs: Record<string, GraphEntryInput> } : never) : never;

type WorkloadInput = Pick<SpecInput, 'workloads' | 'graphRequests' | 'observability'> & { graphs: Record<string, GraphEntryInput> };

/**
 * Workloads: the graphs run in their own namespace with the shared model cache; two example graphs (aggregated and
 * disaggregated vLLM) and one SLA request (profiling only, nothing deployed by it) show the whole path.
 */
function workloadDefaults(cloud: boolean): WorkloadInput {
  return {
    // On the clouds the deploy path installs kube-prometheus-stack; a local cluster gets a plain prometheus.yml.
    observability: {
      enabled: true,
      namespace: 'monitoring',
      prometheusOperator: cloud,
      installStack: cloud,
      alerting: { receivers: [], repeatInterval: '4h' },
      // Two weeks of history, capped at 80% of the volume (Prometheus's advice: at most 80-85%); the cluster's own
      // metrics every 30s (the operator's default), ours every 15s (their monitors say so).
      prometheus: { retention: '15d', retentionSize: '40GB', storage: '50Gi', scrapeInterval: '30s' },
      runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
      tracing: { enabled: false, endpoint: 'http://tempo.monitoring.svc.cluster.local:4317', install: false },
    },
    workloads: {
      namespace: 'dynamo-workloads',
      hfTokenSecret: 'hf-token-secret',
      modelCache: { enabled: true, claimName: 'model-cache', size: '100Gi', accessPod: true },
      frontendClientNamespaces: [],
    },
    graphs: {
      // On the clouds the aggregated example sits behind the cloud's internal load balancer, to show that path.
      'vllm-agg': { example: 'vllm-agg', ...(cloud && { expose: { mode: 'load-balancer' } }) },
      'vllm-disagg': { example: 'vllm-disagg' },
    },
    graphRequests: {
      'qwen-sla': { backend: 'vllm', model: EXAMPLE_MODEL, sla: { isl: 3000, osl: 150, ttftMs: 200, itlMs: 20 } },
    },
  };
}

/** The complete default document of a target (before the user file is merged over it). */
export function defaultSpec(target: Target): SpecDocument {
  if (target === 'local') return { target, platform: platformDefaults(false), ...workloadDefaults(false) };
  return { target, platform: platformDefaults(true), cluster: clusterDefaults(target), ...workloadDefaults(true) };
}
