/**
 * The deployment spec: one typed document that drives both the cdk8s app (charts/) and the cdktf app (stacks/).
 *
 * Every field has a description (rendered into the README's spec reference) and every rule has a message that
 * names what is wrong; the loader adds the field path and the offending value.
 */
import { z } from './zod.cjs';
import { graphNameProblems, graphRequestsSchema, graphsSchema, workerGroups, workloadsSchema } from './graphs.js';
import { exposureProblems } from './exposure.js';
import { alertingSchema } from './alerting.js';
import { prometheusSchema } from './prometheus.js';
import { cidr, DNS_LABEL, dnsLabel, quantity } from './fields.js';
import { fitGpuPools } from './profile/gpu-fit.js';
import { DEFAULT_KAI_QUEUE, groveSchema, kaiSchema, queueProblems } from './scheduling.js';
import { cloudProfile } from './profile/index.js';
import { gkeClusterProblems } from './profile/gcp-rules.js';
import { CLUSTER_AUTOSCALER, KARPENTER_CHART, KARPENTER_MIN_FOR_KUBERNETES, karpenterSupports } from './autoscaler-versions.js';
import { AWS_TAG_KEY_MAX, nodeTemplateTagKey } from './profile/aws-names.js';
import { encryptionProblems, encryptionSchema } from './encryption.js';

export const TARGETS = ['local', 'eks', 'aks', 'gke'] as const;
export type Target = (typeof TARGETS)[number];
export const CLOUD_TARGETS = ['eks', 'aks', 'gke'] as const;
export type CloudTarget = (typeof CLOUD_TARGETS)[number];
export const isCloudTarget = (t: Target): t is CloudTarget => t !== 'local';


const resourceList = z.strictObject({
  cpu: quantity.optional().describe('CPU, e.g. `500m`.'),
  memory: quantity.optional().describe('Memory, e.g. `512Mi`.'),
});

export const resourcesSchema = z
  .strictObject({
    requests: resourceList.describe('Guaranteed resources the scheduler reserves.'),
    limits: resourceList.describe('Hard caps; memory over the limit is OOM-killed.'),
  })
  .describe('Container requests and limits.');

const url = (schemes: readonly string[], example: string) =>
  z
    .string()
    .refine((s) => schemes.some((p) => s.startsWith(`${p}://`)) && s.length > schemes[0]!.length + 3, {
      message: `must be a URL with scheme ${schemes.join(' or ')}, e.g. ${example}`,
    });

const hostPort = z.string().regex(/^(https?:\/\/)?[A-Za-z0-9.-]+:[0-9]{1,5}(,(https?:\/\/)?[A-Za-z0-9.-]+:[0-9]{1,5})*$/, {
  message: 'must be host:port (optionally http:// or https://), comma-separated for several members, e.g. etcd.example.internal:2379',
});

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const taintSchema = z.strictObject({
  key: z.string().min(1).describe('Taint key, e.g. `nvidia.com/gpu`.'),
  value: z.string().optional().describe('Taint value; omitted for key-only taints.'),
  effect: z.enum(TAINT_EFFECTS).describe('Kubernetes spelling: NoSchedule, PreferNoSchedule or NoExecute.'),
});
export type Taint = z.output<typeof taintSchema>;

const labels = z.record(z.string(), z.string());

// ---------------------------------------------------------------------------------------------- platform

const natsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('Deploy the bundled NATS. Defaults to true unless `externalAddress` is set; true together with an external address is an error.'),
    externalAddress: url(['nats', 'tls'], 'nats://nats.example.internal:4222')
      .optional()
      .describe('Use an existing NATS (JetStream enabled) instead of the bundled one.'),
    replicas: z
      .number()
      .int()
      .refine((n) => n === 1 || n >= 3, { message: 'must be 1 (standalone) or at least 3 (a JetStream cluster needs a quorum)' })
      .describe('NATS servers; more than one forms a route cluster with JetStream replication.'),
    storageSize: quantity.describe('JetStream file store PVC per server; JetStream is limited to 90% of it.'),
    memoryStoreSize: quantity.describe('JetStream memory store limit per server.'),
    maxPayload: z
      .number()
      .int()
      .min(1024, { message: 'must be at least 1024 bytes' })
      .max(64 * 1024 * 1024, { message: 'must be at most 67108864 bytes (NATS refuses larger payloads)' })
      .describe('Largest message in bytes (upstream: 15728640).'),
    resources: resourcesSchema,
  })
  .describe('NATS with JetStream: the event and request plane.');

const etcdSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('Deploy the bundled etcd. Defaults to true unless `externalAddress` is set; true together with an external address is an error.'),
    externalAddress: hostPort.optional().describe('Use an existing etcd (client endpoint, host:port) instead of the bundled one.'),
    replicas: z
      .number()
      .int()
      .refine((n) => n >= 1 && n % 2 === 1, { message: 'must be odd and at least 1' })
      .describe('etcd members; odd so that a majority (quorum) exists.'),
    storageSize: quantity.describe('Data PVC per member.'),
    resources: resourcesSchema,
    backup: z
      .strictObject({
        enabled: z.boolean().describe('Emit `09-etcd-backup`: a snapshot claim and a pre-upgrade snapshot Job named after the platform version (apply it and wait before upgrading, see the upgrade runbook).'),
        size: quantity.describe('Capacity of the snapshot claim.'),
        schedule: z
          .string()
          .regex(/^(\S+\s+){4}\S+$/, { message: 'must be a cron schedule with five fields, e.g. "0 3 * * *"' })
          .optional()
          .describe('Cron schedule of a rolling snapshot (`scheduled.db`). @default - none'),
      })
      .describe('Snapshots of the bundled etcd.'),
  })
  .describe('etcd: state and service discovery for the Dynamo runtime.');

const webhookSchema = z
  .strictObject({
    enabled: z.boolean().describe('Serve the operator\'s validating and mutating admission webhooks (certificates issued by cert-manager, which must be installed first).'),
    failurePolicy: z.enum(['Fail', 'Ignore']).describe('What the API server does when the webhook is unreachable.'),
    timeoutSeconds: z.number().int().min(1).max(30, { message: 'must be between 1 and 30 (API server limit)' }).describe('Webhook call timeout.'),
  })
  .describe('Admission webhook of the operator.');

const operatorSchema = z
  .strictObject({
    enabled: z.boolean().describe('Deploy the Dynamo operator.'),
    scope: z
      .enum(['cluster', 'namespace'])
      .describe('`cluster`: one operator watches every namespace (ClusterRole). `namespace`: it watches only the platform namespace (Role).'),
    replicas: z.number().int().min(1).max(5).describe('Operator replicas; one is active, the others wait on the leader lease.'),
    leaderElection: z
      .strictObject({
        id: z.string().min(1).optional().describe('Lease name. Cluster scope must keep upstream\'s `dynamo.nvidia.com`; namespace scope defaults to `dynamo.nvidia.com-<namespace>`.'),
        namespace: dnsLabel('leaderElection.namespace')
          .optional()
          .describe('Namespace of the lease. Cluster scope: `kube-system` (as upstream), never the platform namespace; namespace scope: the platform namespace.'),
      })
      .describe('Leader election between operator replicas.'),
    discoveryBackend: z
      .enum(['etcd', 'kubernetes'])
      .describe('Where Dynamo workers register: `etcd` (needs etcd) or `kubernetes` (EndpointSlices; etcd may be turned off).'),
    webhook: webhookSchema,
    upstreamWildcardRbac: z
      .boolean()
      .describe('Grant the `*/*/*` ClusterRole rule upstream\'s chart grants. Off: the operator gets an explicit list of resources.'),
    resources: resourcesSchema,
  })
  .describe('The Dynamo Kubernetes operator.');

const networkPolicySchema = z
  .strictObject({
    enabled: z.boolean().describe('Emit a default-deny ingress policy for the platform namespace and allow rules per component.'),
    clientNamespaces: z
      .array(dnsLabel('clientNamespaces[]'))
      .describe('Namespaces whose pods may reach NATS (4222) and etcd (2379), in addition to the platform namespace and any namespace labelled `dynamo-iac.io/platform-client=true`.'),
    monitoringNamespaces: z
      .array(dnsLabel('monitoringNamespaces[]'))
      .describe('Namespaces allowed to scrape metrics (NATS 8222, etcd 2379, operator 8080).'),
  })
  .describe('NetworkPolicies for the platform.');

const imagesSchema = z
  .strictObject({
    registry: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/, { message: 'must be a registry host with an optional path, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com or myacr.azurecr.io/mirror' })
      .optional()
      .describe('Mirror registry: every image we emit (operator, runtimes, NATS, etcd, exporters, access pods) is pulled from here, same repository path and tag. The cloud stacks print theirs as the `image_registry` output; `dynamo-iac images` prints the copy list. @default - the upstream registries'),
    pullSecrets: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a Secret name' }))
      .describe('Existing image pull Secrets every pod references, for registries the node identity cannot pull from (the cloud stacks\' own registries need none). Never created here.'),
  })
  .describe('Where the images come from.');

export const platformSchema = z
  .strictObject({
    namespace: dnsLabel('namespace').describe('Namespace of the platform (operator, NATS, etcd).'),
    releaseName: dnsLabel('releaseName').max(30).describe('Name prefix of every platform object, as upstream\'s Helm release name (`dynamo-platform-nats`, ...).'),
    podSecurity: z.enum(['restricted', 'baseline']).describe('Pod Security Standard enforced on the platform namespace.'),
    placement: z
      .enum(['system', 'any'])
      .describe('`system`: control-plane pods run only on the system pool. `any`: anywhere, GPU and spot pools included.'),
    images: imagesSchema,
    nats: natsSchema,
    etcd: etcdSchema,
    operator: operatorSchema,
    networkPolicy: networkPolicySchema,
    grove: groveSchema,
    kai: kaiSchema,
  })
  .describe('The Dynamo platform: operator, NATS and etcd, and the Grove and KAI schedulers it uses.');

// ---------------------------------------------------------------------------------------------- cluster

const poolBounds = {
  minNodes: z.number().int().min(0).describe('Autoscaler floor; 0 lets the pool scale to zero.'),
  maxNodes: z.number().int().min(1).describe('Autoscaler ceiling.'),
  desiredNodes: z.number().int().min(0).optional().describe('Nodes of the whole pool at creation (later left to the autoscaler); GKE starts the same number in each zone, the multiple of the zone count within the bounds nearest this. @default - minNodes'),
  diskSizeGiB: z.number().int().min(20, { message: 'must be at least 20 GiB' }).max(16384).optional().describe('Root disk per node. @default 50 (system), 200 (GPU: images of 10-20 GB and model downloads)'),
  zones: z.array(z.string().min(1)).optional().describe('Zones of the pool. @default - every zone of the cluster'),
  labels: labels.default({}).describe('Extra node labels. @default {}'),
  taints: z.array(taintSchema).default([]).describe('Extra node taints (the GPU and spot taints of the cloud are added by the profile). @default []'),
};

export const systemPoolSchema = z
  .strictObject({
    name: dnsLabel('systemPool.name').max(32).describe('Node pool name (AKS allows 12 lower-case alphanumerics: use a short name).'),
    instanceType: z.string().min(1).describe('Instance or VM size, e.g. m6i.xlarge, Standard_D4s_v5, e2-standard-4.'),
    ...poolBounds,
  })
  .describe('The CPU pool of the control plane: operator, NATS, etcd, monitoring.');

export const gpuPoolSchema = z
  .strictObject({
    instanceType: z.string().min(1).describe('GPU instance or VM size, e.g. p5.48xlarge, Standard_ND96isr_H100_v5, a3-highgpu-8g.'),
    accelerator: z.string().min(1).describe('GPU model: the GKE accelerator type, and a label elsewhere (e.g. nvidia-h100-80gb).'),
    gpusPerNode: z.number().int().min(1).max(16).describe('GPUs on one node of this pool.'),
    capacity: z.enum(['on-demand', 'spot']).describe('On-demand, or spot/preemptible capacity (tainted so only tolerant workloads land).'),
    fastNetwork: z.boolean().describe('EFA on AWS, InfiniBand on Azure; no effect on GCP.'),
    instanceTypeAlternatives: z
      .array(z.string().min(1))
      .optional()
      .describe('EKS with `autoscaler: karpenter`, spot pools only: further instance types with the same GPUs per node, so Karpenter can pick the spot capacity that is available. @default - none'),
    ...poolBounds,
  })
  .describe('A GPU node pool.');

/** The node autoscalers the EKS stack installs. */
export const AUTOSCALERS = ['cluster-autoscaler', 'karpenter'] as const;
export type Autoscaler = (typeof AUTOSCALERS)[number];

export const MODEL_STORAGE_KINDS = ['shared-file', 'lustre', 'disk', 'blob'] as const;

const modelStorageSchema = z
  .strictObject({
    kind: z
      .enum(MODEL_STORAGE_KINDS)
      .describe('`shared-file`: EFS, Azure Files, Filestore. `lustre`: FSx for Lustre, Azure Managed Lustre, Managed Lustre. AKS also: `disk` (Azure Disk, single writer), `blob` (Azure Blob over NFS).'),
    compilationCache: z
      .enum(['model-store', 'disk', 'local'])
      .describe('Where compilation caches live: on the model store; AKS also `disk` (Azure Disk) or `local` (ephemeral NVMe through the local CSI driver). Disk and local are per node: for single-node graphs.'),
    size: quantity.describe('Capacity of the model store. GKE: the model-cache claim creates it, so the size must be one the service creates: Filestore premium 2560Gi to 63.9Ti; Managed Lustre from 36000Gi in 36000Gi steps (standard) or from 9000Gi in 9000Gi steps (performance).'),
    tier: z
      .enum(['standard', 'performance'])
      .describe('Throughput tier. EFS: bursting / elastic throughput; FSx for Lustre: 125 / 1000 MB/s per TiB; Azure and GCP map it alike.'),
  })
  .describe('Shared model storage (ReadWriteMany), mounted as the model cache.');


const networkSchema = z
  .strictObject({
    cidr: cidr.describe('Address range of the network the stack creates.'),
    zones: z.number().int().min(2, { message: 'must be at least 2 (the control plane needs subnets in two zones)' }).max(6).describe('Zones with a private (and a public) subnet each.'),
    existing: z
      .strictObject({
        networkId: z.string().min(1).describe('VPC id (AWS), virtual network id (Azure), network (GCP): a name in the cluster\'s project, or `projects/P/global/networks/N` (or its self link) for another project\'s, e.g. a Shared VPC host\'s; the GKE model-cache class then names it in full.'),
        sharedVpc: z
          .boolean()
          .default(false)
          .describe('GCP: the network is a Shared VPC of another (host) project. Filestore then connects through private services access (`connect-mode: PRIVATE_SERVICE_ACCESS`, the Filestore CSI driver\'s rule for a Shared VPC used from a service project), which the host project must have set up; otherwise Filestore peers directly.'),
        subnetIds: z.array(z.string().min(1)).min(1).describe('Private subnets for the nodes (AWS: at least two zones).'),
      })
      .optional()
      .describe('Use an existing network instead of creating one. @default - the stack creates it'),
    singleNatGateway: z.boolean().describe('One NAT gateway for all zones (cheaper) instead of one per zone (zone-redundant egress).'),
    privateNodes: z.boolean().describe('Nodes without public addresses (GKE private nodes; EKS and AKS nodes are private already).'),
    publicEndpoint: z
      .boolean()
      .describe('Reach the Kubernetes API from outside the network (the private endpoint is always on), from `publicAccessCidrs` only. `false`: a private API, for runners inside the network (air-gapped runners; no address lookup).'),
    publicAccessCidrs: z
      .array(cidr)
      .describe('Who may reach the public endpoint. Empty: the public IPv4 address of the machine running Terraform, looked up at plan time (https://checkip.amazonaws.com, hashicorp/http), so `cdktf deploy` reaches the API from where it runs. Listed ranges replace the lookup: your offices and CI runners. `0.0.0.0/0` opens it to the internet (a synth warning).'),
  })
  .describe('Network of the cluster.');

/** kubelogin login modes the AKS deploy path supports (those that run without a person at the keyboard, and the CLI's). */
export const AKS_LOGIN_MODES = ['azurecli', 'spn', 'workloadidentity', 'msi'] as const;
export type AksLoginMode = (typeof AKS_LOGIN_MODES)[number];

const deploySchema = z
  .strictObject({
    platform: z.boolean().describe('`cdktf deploy` also installs the Kubernetes layer on the new cluster: the pinned charts (Dynamo CRDs, GPU Operator, Grove, KAI), the storage class and our platform manifests.'),
    graphs: z.boolean().describe('Also install the graphs and graph requests (they need the apply-time Secrets first, see the README).'),
    aksLogin: z
      .enum(AKS_LOGIN_MODES)
      .describe('AKS: how the deploy path\'s kubelogin gets an Entra ID token, matching how Terraform signs in to Azure. `azurecli`: the `az login` session; `spn`: a service principal from ARM_CLIENT_ID, ARM_TENANT_ID and ARM_CLIENT_SECRET or ARM_CLIENT_CERTIFICATE_PATH; `workloadidentity`: a federated token from AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE; `msi`: the managed identity of the machine (ARM_CLIENT_ID picks a user-assigned one). Read at run time; no secret is written. No effect elsewhere.'),
  })
  .describe('The deploy path: what `cdktf deploy <cloud>` installs on the cluster after creating it.');

export const clusterSchema = z
  .strictObject({
    name: dnsLabel('cluster.name').max(40).describe('Cluster name; also prefixes cloud resources.'),
    region: z.string().min(1).describe('Cloud region (AWS region, Azure location, GCP region).'),
    kubernetesVersion: z.string().regex(/^1\.[0-9]{2}$/, { message: 'must be a minor version such as 1.33' }).describe('Control-plane version (from the version matrix).'),
    kubernetesSupport: z
      .enum(['standard', 'extended'])
      .describe(
        'EKS `upgrade_policy.support_type`. `standard`: at the end of standard support EKS upgrades the control plane to the next minor, never billing extended support; set `kubernetesVersion` to that minor (synth warns from 60 days before), or the next plan tries a downgrade. `extended`: the cluster may stay on its minor for up to 12 more months at the extended-support price per cluster hour. AKS and GKE refuse `extended` (AKS long-term support needs the Premium tier, GKE the Extended channel; neither is built here).',
      ),
    systemPool: systemPoolSchema,
    gpuPools: z
      .record(dnsLabel('gpuPools key').max(32), gpuPoolSchema)
      .describe('GPU pools keyed by name; the key is the pool name, so adding a pool never renames another.'),
    autoscaler: z
      .enum(AUTOSCALERS)
      .optional()
      .describe('EKS only: what adds GPU nodes for pending pods. `cluster-autoscaler`: managed node groups per pool, scaled from zero by the cluster-autoscaler of the cluster\'s minor. `karpenter`: Karpenter launches the GPU nodes (one NodePool and EC2NodeClass per pool; the system pool stays a managed node group). @default cluster-autoscaler'),
    modelStorage: modelStorageSchema,
    network: networkSchema,
    logs: z
      .strictObject({
        enabled: z.boolean().describe('The cloud\'s managed container-log pipeline: EKS the Amazon CloudWatch Observability add-on (its own Pod Identity role), AKS Container Insights (a Log Analytics workspace), GKE system and workload logging. Off: EKS and AKS ship none, GKE keeps system-component logs only.'),
        retentionDays: z.number().int().min(30, { message: 'must be at least 30 (the Log Analytics minimum)' }).max(730).describe('Days the logs are kept, 30 to 730 (AKS Log Analytics workspace; CloudWatch and Cloud Logging keep their own defaults).'),
      })
      .describe('Container logs.'),
    registry: z.strictObject({ enabled: z.boolean().describe('Create private image repositories (ECR, ACR, Artifact Registry) for the runtime and operator images.') }).describe('Private image registry.'),
    admins: z.array(z.string().min(1)).describe('Principals with cluster-admin access besides the creator (AWS: IAM role or user ARNs; Azure: Entra ID object ids).'),
    localAccounts: z.boolean().describe('AKS: keep the local (certificate) accounts. Off: every access goes through Entra ID and Azure RBAC. No effect elsewhere.'),
    protectStatefulResources: z.boolean().describe('prevent_destroy on file systems, keys and registries: `terraform destroy` stops at them until this is false.'),
    encryption: encryptionSchema,
    deploy: deploySchema,
  })
  .describe('The GPU cluster (cloud targets only).');

// ---------------------------------------------------------------------------------------------- spec

export const observabilitySchema = z
  .strictObject({
    enabled: z.boolean().describe('Emit monitors, alert rules, the alert routing, Grafana datasources and dashboards (`70-observability`).'),
    namespace: z.string().regex(DNS_LABEL, { message: 'must be a DNS label' }).describe('Namespace of Prometheus, Alertmanager and Grafana (rules, dashboards and configuration go there).'),
    prometheusOperator: z.boolean().describe('Emit the Prometheus operator\'s PodMonitors, ServiceMonitor and PrometheusRule (its CRDs must exist); off: a plain prometheus.yml with Kubernetes service discovery.'),
    installStack: z.boolean().describe('The cloud deploy path installs kube-prometheus-stack (pinned) first, selecting our monitors and rules.'),
    alerting: alertingSchema,
    prometheus: prometheusSchema,
    runbookBaseUrl: z.string().url().describe('URL of the runbooks file; every alert links `<runbookBaseUrl>#<alert name in lower case>` (docs/runbooks.md of this repository: point it at your copy).'),
    tracing: z
      .strictObject({
        enabled: z.boolean().describe('Export traces over OTLP from every Dynamo component, and add Tempo as a Grafana datasource.'),
        endpoint: z.string().min(1).describe('OTLP gRPC endpoint the components export to (4317; Tempo also takes HTTP on 4318).'),
        install: z.boolean().describe('The cloud deploy path installs Grafana Tempo (pinned) with OTLP receivers.'),
      })
      .describe('Distributed tracing.'),
  })
  .superRefine((o, ctx) => {
    if (o.installStack && !o.prometheusOperator) ctx.addIssue({ code: 'custom', path: ['prometheusOperator'], message: 'kube-prometheus-stack brings the Prometheus operator: set prometheusOperator: true with installStack' });
    if (o.tracing.install && !o.tracing.enabled) ctx.addIssue({ code: 'custom', path: ['tracing', 'enabled'], message: 'installing Tempo without enabling tracing exports nothing to it: set tracing.enabled: true' });
  })
  .describe('Metrics, alerts, dashboards and traces.');

const workloadSections = {
  observability: observabilitySchema,
  workloads: workloadsSchema,
  graphs: graphsSchema,
  graphRequests: graphRequestsSchema,
};

const localSpecSchema = z.strictObject({
  target: z.literal('local'),
  platform: platformSchema,
  ...workloadSections,
});

const cloudSpecSchema = z.strictObject({
  target: z.enum(CLOUD_TARGETS),
  platform: platformSchema,
  cluster: clusterSchema,
  ...workloadSections,
});

export const specSchema = z
  .discriminatedUnion('target', [localSpecSchema, cloudSpecSchema])
  .superRefine(crossFieldRules)
  .transform(resolveBundled);

type ParsedSpec = z.output<typeof localSpecSchema> | z.output<typeof cloudSpecSchema>;
/** A bundled server is deployed when the spec says so, or by default when no external address is given. */
type Resolved<T> = Omit<T, 'enabled'> & { readonly enabled: boolean };
type ResolvedPlatform<P> = Omit<P, 'nats' | 'etcd'> & {
  readonly nats: Resolved<ParsedSpec['platform']['nats']>;
  readonly etcd: Resolved<ParsedSpec['platform']['etcd']>;
};
type ResolvedSpec<S extends ParsedSpec> = Omit<S, 'platform'> & { readonly platform: ResolvedPlatform<S['platform']> };

function resolveBundled<S extends ParsedSpec>(spec: S): ResolvedSpec<S> {
  const p = spec.platform;
  return {
    ...spec,
    platform: {
      ...p,
      nats: { ...p.nats, enabled: p.nats.enabled ?? p.nats.externalAddress === undefined },
      etcd: { ...p.etcd, enabled: p.etcd.enabled ?? p.etcd.externalAddress === undefined },
    },
  } as ResolvedSpec<S>;
}

export type SpecInput = z.input<typeof specSchema>;
export type LocalSpec = ResolvedSpec<z.output<typeof localSpecSchema>>;
export type CloudSpec = ResolvedSpec<z.output<typeof cloudSpecSchema>>;
export type Spec = LocalSpec | CloudSpec;
export type PlatformSpec = Spec['platform'];
export type NatsSpec = PlatformSpec['nats'];
export type EtcdSpec = PlatformSpec['etcd'];
export type OperatorSpec = PlatformSpec['operator'];
export type ClusterSpec = CloudSpec['cluster'];
export type GpuPoolSpec = ClusterSpec['gpuPools'][string];
export type SystemPoolSpec = ClusterSpec['systemPool'];
export type ResourcesSpec = z.output<typeof resourcesSchema>;
export type { GraphRequestSpec, GraphSpec, WorkerGroupSpec, WorkloadsSpec } from './graphs.js';
export type ObservabilitySpec = z.output<typeof observabilitySchema>;

/** Rules that relate several fields. Each issue names the field it is attached to and the rule. */
function crossFieldRules(spec: ParsedSpec, ctx: z.RefinementCtx): void {
  const p = spec.platform;
  for (const dep of ['nats', 'etcd'] as const) {
    const d = p[dep];
    if (d.enabled === true && d.externalAddress !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['platform', dep, 'externalAddress'],
        message: `an external ${dep} address cannot be combined with the bundled ${dep} (platform.${dep}.enabled: true); set enabled: false or remove externalAddress`,
      });
    }
  }
  if (p.nats.enabled === false && p.nats.externalAddress === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['platform', 'nats', 'enabled'],
      message: 'NATS is required: with the bundled NATS off, set platform.nats.externalAddress',
    });
  }
  const etcdAvailable = p.etcd.enabled !== false || p.etcd.externalAddress !== undefined;
  if (!etcdAvailable && p.operator.discoveryBackend === 'etcd') {
    ctx.addIssue({
      code: 'custom',
      path: ['platform', 'etcd', 'enabled'],
      message: 'the etcd discovery backend needs etcd: set platform.operator.discoveryBackend: kubernetes, or platform.etcd.externalAddress',
    });
  }
  const le = p.operator.leaderElection;
  if (p.operator.scope === 'cluster' && le.id !== undefined && le.id !== UPSTREAM_LEADER_ELECTION_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['platform', 'operator', 'leaderElection', 'id'],
      message: `a cluster-wide operator must use upstream's leader-election id "${UPSTREAM_LEADER_ELECTION_ID}", or two cluster-wide operators could both be active`,
    });
  }
  if (p.operator.scope === 'cluster' && le.namespace === p.namespace) {
    ctx.addIssue({
      code: 'custom',
      path: ['platform', 'operator', 'leaderElection', 'namespace'],
      message: 'a cluster-wide operator keeps its lease outside the platform namespace (upstream uses kube-system)',
    });
  }
  if (p.operator.scope === 'namespace' && le.namespace !== undefined && le.namespace !== p.namespace) {
    ctx.addIssue({
      code: 'custom',
      path: ['platform', 'operator', 'leaderElection', 'namespace'],
      message: `a namespace-scoped operator keeps its lease in its own namespace (${p.namespace})`,
    });
  }
  if (p.operator.enabled && p.operator.scope === 'namespace' && spec.workloads.namespace !== p.namespace) {
    ctx.addIssue({
      code: 'custom',
      path: ['workloads', 'namespace'],
      message: `a namespace-scoped operator reconciles graphs only in its own namespace: set workloads.namespace to ${p.namespace}, or platform.operator.scope: cluster`,
    });
  }
  if (p.kai.enabled) {
    for (const q of queueProblems(p.kai.queues)) ctx.addIssue({ code: 'custom', path: ['platform', 'kai', 'queues', ...q.path], message: q.message });
  }
  graphRules(spec, ctx);
  if (spec.target === 'local') return;
  const pools: [string[], { minNodes: number; maxNodes: number }][] = [
    [['cluster', 'systemPool'], spec.cluster.systemPool],
    ...Object.entries(spec.cluster.gpuPools).map(([k, v]): [string[], typeof v] => [['cluster', 'gpuPools', k], v]),
  ];
  for (const [path, pool] of pools) {
    if (pool.maxNodes < pool.minNodes) {
      ctx.addIssue({ code: 'custom', path: [...path, 'maxNodes'], message: `must be at least minNodes (${pool.minNodes})` });
    }
  }
  for (const [path, pool] of pools as [string[], { minNodes: number; maxNodes: number; desiredNodes?: number }][]) {
    if (pool.desiredNodes !== undefined && (pool.desiredNodes < pool.minNodes || pool.desiredNodes > pool.maxNodes)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'desiredNodes'], message: `must be between minNodes (${pool.minNodes}) and maxNodes (${pool.maxNodes})` });
    }
  }
  const net = spec.cluster.network;
  if (!net.publicEndpoint && net.publicAccessCidrs.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'network', 'publicEndpoint'], message: 'publicAccessCidrs only apply to a public endpoint: set publicEndpoint: true to open the API to them' });
  }
  if (spec.target === 'gke' && !net.publicEndpoint && !net.privateNodes) {
    // GKE applies enable_private_endpoint to private clusters only (enable_private_nodes).
    ctx.addIssue({ code: 'custom', path: ['cluster', 'network', 'privateNodes'], message: 'a private GKE control plane needs private nodes (privateNodes: true), or keep publicEndpoint: true' });
  }
  if (spec.target === 'aks') {
    for (const [path, name] of [[['cluster', 'systemPool', 'name'], spec.cluster.systemPool.name], ...Object.keys(spec.cluster.gpuPools).map((k) => [['cluster', 'gpuPools', k], k] as const)] as [string[], string][]) {
      if (!/^[a-z][a-z0-9]{0,11}$/.test(name)) ctx.addIssue({ code: 'custom', path, message: `an AKS node pool name is 1-12 lower-case letters and digits, starting with a letter ("${name}")` });
    }
    for (const [name, pool] of Object.entries(spec.cluster.gpuPools)) {
      if (pool.fastNetwork) {
        ctx.addIssue({
          code: 'custom',
          path: ['cluster', 'gpuPools', name, 'fastNetwork'],
          message: 'InfiniBand on AKS needs the NVIDIA Network Operator (RDMA device plugin), which this stack does not install yet: set fastNetwork: false',
        });
      }
    }
    if (spec.cluster.systemPool.taints.length) {
      ctx.addIssue({ code: 'custom', path: ['cluster', 'systemPool', 'taints'], message: 'the AKS system pool is the default node pool, which takes no taints here (the platform runs on it untainted)' });
    }
  }
  if (spec.target !== 'eks' && spec.cluster.kubernetesSupport === 'extended') {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'kubernetesSupport'], message: `extended support is an EKS setting; on ${spec.target} use standard` });
  }
  autoscalerRules(spec, ctx);
  const ms = spec.cluster.modelStorage;
  if (spec.target !== 'aks' && (ms.kind === 'disk' || ms.kind === 'blob')) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'modelStorage', 'kind'], message: `the ${ms.kind} tier exists on aks only; use shared-file or lustre` });
  }
  if (spec.target !== 'aks' && ms.compilationCache !== 'model-store') {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'modelStorage', 'compilationCache'], message: `the ${ms.compilationCache} tier exists on aks only; use model-store` });
  }
  if (spec.target === 'aks' && ms.kind === 'lustre') {
    const step = AMLFS_SKUS[ms.tier].stepTiB;
    const tib = quantityTiB(ms.size);
    if (tib === undefined || tib < step || tib % step !== 0) {
      ctx.addIssue({ code: 'custom', path: ['cluster', 'modelStorage', 'size'], message: `Azure Managed Lustre ${AMLFS_SKUS[ms.tier].sku} comes in multiples of ${step} TiB (write e.g. ${step}Ti)` });
    }
  }
  if (spec.target === 'gke') {
    for (const g of gkeClusterProblems(spec.cluster)) ctx.addIssue({ code: 'custom', path: ['cluster', ...g.path], message: g.message });
  }
  for (const e of encryptionProblems(spec.cluster.encryption, spec.target, spec.cluster.region)) ctx.addIssue({ code: 'custom', path: ['cluster', 'encryption', ...e.path], message: e.message });
  if (spec.cluster.deploy.graphs && !spec.cluster.deploy.platform) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'deploy', 'graphs'], message: 'the graphs need the platform: set cluster.deploy.platform: true' });
  }
  if (spec.cluster.systemPool.minNodes < 1) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'systemPool', 'minNodes'], message: 'the system pool runs the control plane and cannot scale to zero: must be at least 1' });
  }
  if (spec.cluster.gpuPools[spec.cluster.systemPool.name] !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'gpuPools', spec.cluster.systemPool.name], message: 'a GPU pool cannot share its name with the system pool' });
  }
}

/** The node autoscaler: EKS only, a release for the cluster's minor, Karpenter's limits on the pools. */
function autoscalerRules(spec: ParsedSpec, ctx: z.RefinementCtx): void {
  if (spec.target === 'local') return;
  const c = spec.cluster;
  const autoscaler = c.autoscaler ?? 'cluster-autoscaler';
  if (spec.target !== 'eks') {
    if (c.autoscaler !== undefined) ctx.addIssue({ code: 'custom', path: ['cluster', 'autoscaler'], message: `${spec.target} scales its node pools itself: cluster.autoscaler is for eks only` });
  } else if (autoscaler === 'cluster-autoscaler' && !CLUSTER_AUTOSCALER[c.kubernetesVersion]) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'kubernetesVersion'], message: `no cluster-autoscaler release is pinned for Kubernetes ${c.kubernetesVersion} (pinned: ${Object.keys(CLUSTER_AUTOSCALER).join(', ')})` });
  } else if (autoscaler === 'karpenter' && !karpenterSupports(c.kubernetesVersion)) {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'kubernetesVersion'], message: `Karpenter ${KARPENTER_CHART.version} does not support Kubernetes ${c.kubernetesVersion} (supported: ${Object.keys(KARPENTER_MIN_FOR_KUBERNETES).filter((m) => karpenterSupports(m)).join(', ')})` });
  }
  if (spec.target === 'eks') nodeTemplateTagRules(spec.cluster.systemPool, ['cluster', 'systemPool'], ctx);
  for (const [name, pool] of Object.entries(c.gpuPools)) {
    const path = ['cluster', 'gpuPools', name];
    if (spec.target === 'eks' && autoscaler === 'cluster-autoscaler') nodeTemplateTagRules(pool, path, ctx);
    if (pool.instanceTypeAlternatives?.length && (spec.target !== 'eks' || autoscaler !== 'karpenter' || pool.capacity !== 'spot')) {
      ctx.addIssue({ code: 'custom', path: [...path, 'instanceTypeAlternatives'], message: 'only EKS spot pools with cluster.autoscaler: karpenter take alternative instance types (a managed node group scales one instance shape)' });
    }
    if (spec.target === 'eks' && autoscaler === 'karpenter' && pool.fastNetwork) {
      ctx.addIssue({ code: 'custom', path: [...path, 'fastNetwork'], message: 'EFA pools need the managed node group (cluster placement group, EFA interfaces): use cluster.autoscaler: cluster-autoscaler' });
    }
  }
}

/**
 * A managed node group advertises each label and taint to the cluster-autoscaler as an Auto Scaling group tag
 * `k8s.io/cluster-autoscaler/node-template/<label|taint>/<key>`, and EC2 tag keys have at most 128 characters.
 */
function nodeTemplateTagRules(pool: { labels: Record<string, string>; taints: readonly { key: string }[] }, path: string[], ctx: z.RefinementCtx): void {
  const check = (kind: 'label' | 'taint', key: string, at: (string | number)[]) => {
    const tag = nodeTemplateTagKey(kind, key);
    if (tag.length > AWS_TAG_KEY_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, ...at],
        message: `the ${kind} key "${key}" makes the cluster-autoscaler node-template tag "${tag}" ${tag.length} characters long; Auto Scaling tag keys have at most ${AWS_TAG_KEY_MAX}: use a key of at most ${AWS_TAG_KEY_MAX - nodeTemplateTagKey(kind, '').length} characters`,
      });
    }
  };
  for (const key of Object.keys(pool.labels)) check('label', key, ['labels', key]);
  pool.taints.forEach((t, i) => check('taint', t.key, ['taints', i, 'key']));
}

/** Rules of the graphs that need the rest of the spec: names, the GPU pools of the target, storage classes. */
function graphRules(spec: ParsedSpec, ctx: z.RefinementCtx): void {
  // The profile needs only the cluster section, which is fully parsed at this point.
  const profile = cloudProfile(spec as Spec);
  const modelClass = spec.workloads.modelCache.storageClass ?? profile.storage.modelCache?.name;
  for (const [name, g] of Object.entries(spec.graphs)) {
    if (!g.enabled) continue;
    for (const p of graphNameProblems(name, g)) ctx.addIssue({ code: 'custom', path: ['graphs', name, ...p.path], message: p.message });
    for (const p of exposureProblems(g.expose, spec.target)) ctx.addIssue({ code: 'custom', path: ['graphs', name, ...p.path], message: p.message });
    for (const { role, group } of workerGroups(g)) {
      const fit = fitGpuPools(profile, {
        gpus: group.gpus,
        capacity: group.capacity,
        ...(group.pools && { pools: group.pools }),
        ...(group.accelerator && { accelerator: group.accelerator }),
      });
      if (!fit.ok) ctx.addIssue({ code: 'custom', path: ['graphs', name, role], message: fit.problem });
    }
    const queue = g.scheduling.queue ?? DEFAULT_KAI_QUEUE;
    if (spec.platform.kai.enabled && spec.platform.kai.queues[queue] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['graphs', name, 'scheduling', 'queue'],
        message: `KAI queue "${queue}"${g.scheduling.queue ? '' : ' (the operator\'s default)'} is not defined in platform.kai.queues (${Object.keys(spec.platform.kai.queues).sort().join(', ') || 'none'}); the operator refuses the graph`,
      });
    }
    const grovePath = spec.platform.grove.enabled && g.scheduling.grove;
    for (const { role, group } of workerGroups(g)) {
      if (group.nodeCount !== undefined && !grovePath) {
        ctx.addIssue({
          code: 'custom',
          path: ['graphs', name, role, 'nodeCount'],
          message: `multinode workers need Grove (platform.grove.enabled and the graph's scheduling.grove); without it the operator needs LeaderWorkerSet and Volcano, which this project does not install`,
        });
      }
    }
    if (g.modelCache && !spec.workloads.modelCache.enabled) {
      ctx.addIssue({ code: 'custom', path: ['graphs', name, 'modelCache'], message: 'the graph mounts the model cache, but workloads.modelCache.enabled is false: set modelCache: false on the graph' });
    }
    if (g.compilationCache && !modelClass) {
      ctx.addIssue({
        code: 'custom',
        path: ['graphs', name, 'compilationCache'],
        message: `the operator creates the compilation cache claim and needs a storage class; target ${spec.target} has no model storage class: set workloads.modelCache.storageClass`,
      });
    }
  }
}

/** Azure Managed Lustre SKU per throughput tier, and the capacity step of each (also its minimum). */
export const AMLFS_SKUS = {
  standard: { sku: 'AMLFS-Durable-Premium-250', stepTiB: 8 },
  performance: { sku: 'AMLFS-Durable-Premium-500', stepTiB: 4 },
} as const;

/** TiB in a quantity written in Ti (or Gi, when whole TiB); undefined otherwise. */
function quantityTiB(q: string): number | undefined {
  const m = /^([0-9]+)(Ti|Gi)$/.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'Ti' ? n : n % 1024 === 0 ? n / 1024 : undefined;
}

/** Upstream's leader-election id for a cluster-wide operator (platform chart `_validation.tpl`). */
export const UPSTREAM_LEADER_ELECTION_ID = 'dynamo.nvidia.com';
