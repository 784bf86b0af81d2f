/**
 * What must be in the cluster before the platform charts apply: upstream's CRDs (never hand-written here), and
 * cert-manager when the operator's webhook is on. Ordered; the README's install commands and the cloud deploy path
 * both read this list.
 */
import { chartSource } from '../constructs/cloud/deploy/chart-source.js';
import { CLUSTER_AUTOSCALER_IDENTITY, clusterAutoscalerValues } from '../constructs/cloud/aws/cluster-autoscaler.js';
import { MPI_SSH_SECRET } from '../constructs/k8s/operator/dynamo-operator.js';
import { clusterAutoscalerFor, KARPENTER_CHART } from '../spec/autoscaler-versions.js';
import { karpenterNames } from '../spec/profile/aws.js';
import { cloudProfile } from '../spec/profile/index.js';
import { tolerationsFor } from '../spec/profile/gpu-fit.js';
import type { PoolPlacement, Toleration } from '../spec/profile/types.js';
import type { Spec } from '../spec/schema.js';
import { type ChartRef, VERSIONS } from '../spec/versions.js';
import { ALERTMANAGER_CONFIG_SELECTOR } from '../constructs/k8s/observability/alertmanager-config.js';
import { KSM_POD_LABELS } from '../constructs/k8s/observability/alert-rules.js';
import { dcgmCollectorsCsv } from '../constructs/k8s/observability/dcgm-counters.js';
import { prometheusRetentionValues, prometheusStorageJsonValues } from './prometheus-storage.js';

export interface HelmPrerequisite {
  /** Helm release name. */
  readonly release: string;
  readonly namespace: string;
  readonly chart: ChartRef;
  /** Extra `--set` values. */
  readonly values: Readonly<Record<string, string>>;
  /** Structured values (lists, objects): `--set-json` on the command line, YAML values in the deploy path. */
  readonly jsonValues?: Readonly<Record<string, unknown>>;
  /** Why the platform needs it. */
  readonly reason: string;
}

/**
 * The controller cannot ask the instance metadata for its VPC (IMDSv2, one hop): the EKS stack passes the id; the
 * GitOps install command reads it from the stack's output.
 */
export const LB_CONTROLLER_VPC_PLACEHOLDER = '"$(terraform -chdir=cdktf.out/stacks/eks output -raw vpc_id)"';

export function platformPrerequisites(spec: Spec): HelmPrerequisite[] {
  const out: HelmPrerequisite[] = [
    {
      release: 'dynamo-crds',
      namespace: 'default',
      chart: VERSIONS.dynamo.crdsChart,
      values: {},
      reason: 'the Dynamo CRDs (DynamoGraphDeployment and the rest) the operator serves',
    },
  ];
  // The node autoscaler first: GPU pools start empty, and every GPU pod waits for it.
  const autoscaler = nodeAutoscalerPrerequisite(spec);
  if (autoscaler) out.push(autoscaler);
  // Prometheus, Alertmanager and Grafana with the operator's CRDs: our monitors and rules need them.
  const o = spec.observability;
  if (spec.target !== 'local' && o.enabled && o.installStack) {
    out.push({
      release: 'kube-prometheus-stack',
      namespace: o.namespace,
      chart: VERSIONS.observability.prometheusStack,
      values: {
        // Select every monitor and rule, not only those labelled with this release.
        'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues': 'false',
        'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues': 'false',
        'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues': 'false',
        // Our datasources ConfigMap provides the default Prometheus datasource (and Tempo).
        'grafana.sidecar.datasources.defaultDatasourceEnabled': 'false',
        ...MANAGED_CONTROL_PLANE_VALUES,
        // Retention, intervals and the volume of Prometheus (spec observability.prometheus).
        ...prometheusRetentionValues(spec),
      },
      jsonValues: { ...kubePrometheusStackJsonValues(o.namespace), ...prometheusStorageJsonValues(spec) },
      reason: 'Prometheus (with its operator), Alertmanager and Grafana for the monitors, rules and dashboards',
    });
  }
  if (spec.target !== 'local' && o.enabled && o.tracing.install) {
    out.push({
      release: 'tempo',
      namespace: o.namespace,
      chart: VERSIONS.observability.tempo,
      values: { 'tempo.receivers.otlp.protocols.grpc.endpoint': '0.0.0.0:4317', 'tempo.receivers.otlp.protocols.http.endpoint': '0.0.0.0:4318' },
      reason: 'Grafana Tempo receiving OTLP traces (4317 gRPC, 4318 HTTP)',
    });
  }
  // Device plugin, GPU feature discovery and DCGM on the GPU pools, tolerating every taint those pools carry.
  const gpu = gpuOperatorPrerequisite(spec);
  if (gpu) out.push(gpu);
  if (spec.target === 'eks' && Object.values(spec.cluster.gpuPools).some((p) => p.fastNetwork)) {
    out.push({
      release: 'aws-efa-k8s-device-plugin',
      namespace: 'kube-system',
      chart: VERSIONS.aws.efaDevicePlugin,
      values: {},
      jsonValues: { tolerations: gpuPoolTolerations(spec) },
      reason: 'exposes vpc.amazonaws.com/efa on EFA nodes',
    });
  }
  if (spec.target === 'eks') {
    const system = cloudProfile(spec).systemPool;
    out.push({
      release: 'aws-load-balancer-controller',
      namespace: 'kube-system',
      chart: VERSIONS.aws.loadBalancerController,
      // Its IAM role is bound to this service account by EKS Pod Identity (the EKS stack).
      values: { clusterName: spec.cluster.name, region: spec.cluster.region, vpcId: LB_CONTROLLER_VPC_PLACEHOLDER, 'serviceAccount.name': 'aws-load-balancer-controller' },
      ...(system && { jsonValues: { nodeSelector: system.nodeSelector, tolerations: system.tolerations } }),
      reason: 'serves the `alb` Ingresses of exposed frontends (and NLB Services)',
    });
  }
  if (spec.target === 'aks' && spec.cluster.modelStorage.kind === 'lustre') {
    out.push({
      release: 'azurelustre-csi-driver',
      namespace: 'kube-system',
      chart: VERSIONS.azure.lustreCsiDriver,
      values: {},
      reason: 'mounts the Azure Managed Lustre model store',
    });
  }
  if (spec.target === 'aks' && spec.cluster.modelStorage.compilationCache === 'local') {
    out.push({
      release: 'local-csi-driver',
      namespace: 'kube-system',
      chart: VERSIONS.azure.localCsiDriver,
      values: {},
      reason: 'ephemeral NVMe volumes for the compilation caches',
    });
  }
  // The operator detects Grove and KAI when it starts: install them before the platform (their CRDs come with them).
  if (spec.platform.grove.enabled) {
    out.push({
      release: 'grove',
      namespace: 'grove-system',
      chart: VERSIONS.grove.chart,
      values: {},
      reason: 'Grove: the operator runs every graph as a PodCliqueSet (gang scheduling, multinode)',
    });
  }
  if (spec.platform.kai.enabled) {
    out.push({
      release: 'kai-scheduler',
      namespace: 'kai-scheduler',
      chart: VERSIONS.kai.chart,
      values: {},
      reason: 'the KAI scheduler: queues with GPU quotas for the graphs',
    });
  }
  if (spec.platform.operator.enabled && spec.platform.operator.webhook.enabled) {
    out.push({
      release: 'cert-manager',
      namespace: 'cert-manager',
      chart: VERSIONS.certManager.chart,
      values: { 'crds.enabled': 'true' },
      reason: "issues the operator's webhook certificate",
    });
  }
  return out;
}

/**
 * Karpenter's controller resources, as upstream's getting-started install sets them (aws/karpenter-provider-aws
 * v1.14.1 `website/content/en/docs/getting-started/getting-started-with-karpenter/scripts/step08-apply-helm-chart.sh`):
 * requests equal to limits, so the controller that launches every GPU node is never the first to be evicted.
 */
export const KARPENTER_CONTROLLER_RESOURCES = { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '1', 'limits.memory': '1Gi' } as const;

/** The chart's own default toleration (charts/karpenter/values.yaml v1.14.1): a `tolerations` value replaces it. */
export const KARPENTER_CHART_TOLERATIONS: readonly Omit<Toleration, 'effect'>[] = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];

/** On the system pool: its selector, and its tolerations added to the chart's default (never an empty list). */
function karpenterPlacement(system: PoolPlacement): Record<string, unknown> {
  return { nodeSelector: system.nodeSelector, ...(system.tolerations.length && { tolerations: [...KARPENTER_CHART_TOLERATIONS, ...system.tolerations] }) };
}

/**
 * EKS: the cluster-autoscaler of the cluster's minor, or Karpenter (its NodePools are in the eks manifests). Both run
 * on the system pool, bound to their IAM roles by EKS Pod Identity (the EKS stack).
 */
export function nodeAutoscalerPrerequisite(spec: Spec): HelmPrerequisite | undefined {
  if (spec.target !== 'eks') return undefined;
  const c = spec.cluster;
  const system = cloudProfile(spec).systemPool;
  const placement = system && { nodeSelector: system.nodeSelector, tolerations: system.tolerations };
  if (c.autoscaler === 'karpenter') {
    const names = karpenterNames(c.name);
    return {
      release: 'karpenter',
      namespace: names.namespace,
      chart: KARPENTER_CHART,
      values: {
        'settings.clusterName': c.name,
        'settings.interruptionQueue': names.interruptionQueue,
        'serviceAccount.name': names.serviceAccount,
        ...Object.fromEntries(Object.entries(KARPENTER_CONTROLLER_RESOURCES).map(([k, v]) => [`controller.resources.${k}`, v])),
      },
      ...(system && { jsonValues: karpenterPlacement(system) }),
      reason: 'launches the GPU nodes of the NodePools (one per GPU pool) for pending pods, and drains them on spot interruption',
    };
  }
  const release = clusterAutoscalerFor(c.kubernetesVersion);
  const v = clusterAutoscalerValues({ clusterName: c.name, region: c.region, release, ...(placement && { placement }) });
  return {
    release: 'cluster-autoscaler',
    namespace: CLUSTER_AUTOSCALER_IDENTITY.namespace,
    chart: release.chart,
    values: v.values,
    jsonValues: v.jsonValues,
    reason: `scales the GPU node groups from zero for pending pods (image ${release.imageTag}, the cluster's minor)`,
  };
}

/** Tolerations of every taint of every GPU pool of the target (the GPU taint, the spot taint, the spec's own). */
function gpuPoolTolerations(spec: Spec): Toleration[] {
  const profile = cloudProfile(spec);
  return tolerationsFor(Object.values(profile.gpuPools));
}

/**
 * The NVIDIA GPU Operator where the cloud does not run the device plugin itself. Exactly one installer owns each GPU
 * node's driver:
 * - EKS: the `AL2023_x86_64_NVIDIA` AMI of our GPU node groups has the driver and the container toolkit, so the
 *   operator runs only the operands (device plugin, GPU feature discovery, DCGM);
 * - AKS: our GPU pools are created with `gpu_driver = "None"` (as the Dynamo AKS guide asks), so the operator
 *   installs the driver and the toolkit (its chart's defaults, stated explicitly);
 * - GKE installs the driver (`gpu_driver_installation_config`) and its own device plugin: no GPU Operator;
 * - `local` clusters bring their own.
 */
/** The GPU Operator's namespace: its DCGM exporter runs there (the observability chart's monitor selects it). */
export const GPU_OPERATOR_NAMESPACE = 'gpu-operator';

/** The ConfigMap of our DCGM counters the GPU Operator's chart creates in its namespace. */
export const GPU_OPERATOR_DCGM_CONFIG = 'dynamo-dcgm-counters';

/**
 * The GPU Operator's exporter collects our counters (DCGM_COUNTERS), not its default file: the chart (v25.10.1
 * templates/dcgm_exporter_config.yaml) creates a ConfigMap `dcgmExporter.config.name` with key `dcgm-metrics.csv`
 * from `config.data` when `config.create`, and the operator (controllers/object_controls.go TransformDCGMExporter)
 * mounts it at /etc/dcgm-exporter/dcgm-metrics.csv and points DCGM_EXPORTER_COLLECTORS at it. The image's default
 * (dcgm-exporter 4.4.2-4.7.0 etc/dcp-metrics-included.csv) leaves DCGM_FI_DEV_ECC_DBE_VOL_TOTAL commented out, so
 * DynamoGpuEccErrors could never fire; its DCGM_FI_PROF_* fields are read by no rule or dashboard of ours.
 */
const gpuOperatorDcgmConfig = () => ({ name: GPU_OPERATOR_DCGM_CONFIG, create: true, data: dcgmCollectorsCsv() });

export function gpuOperatorPrerequisite(spec: Spec): HelmPrerequisite | undefined {
  if (spec.target !== 'eks' && spec.target !== 'aks') return undefined;
  const tolerations = gpuPoolTolerations(spec);
  return {
    release: 'gpu-operator',
    namespace: GPU_OPERATOR_NAMESPACE,
    chart: VERSIONS.nvidia.gpuOperator,
    values: spec.target === 'eks' ? { 'driver.enabled': 'false', 'toolkit.enabled': 'false' } : { 'driver.enabled': 'true', 'toolkit.enabled': 'true' },
    jsonValues: { 'daemonsets.tolerations': tolerations, 'node-feature-discovery.worker.tolerations': tolerations, 'dcgmExporter.config': gpuOperatorDcgmConfig() },
    reason:
      spec.target === 'eks'
        ? 'the NVIDIA device plugin, GPU feature discovery and DCGM on the GPU pools (their AL2023 NVIDIA AMI has the driver and the toolkit)'
        : 'the NVIDIA driver, container toolkit, device plugin, GPU feature discovery and DCGM on the GPU pools (created without AKS\'s driver)',
  };
}

/** `text` for a single-quoted shell word: one that holds a `'` would end the quote. */
function singleQuotable(text: string, release: string): string {
  if (text.includes("'")) throw new Error(`prerequisite ${release}: the value ${text.slice(0, 60)}... holds a single quote, which the install command cannot quote`);
  return text;
}

/** The shell command that installs one prerequisite, as the README prints it: the same chart source and values. */
export function helmInstallCommand(p: HelmPrerequisite): string {
  const set = [
    ...Object.entries(p.values).map(([k, v]) => ` --set ${k}=${v}`),
    ...Object.entries(p.jsonValues ?? {}).map(([k, v]) => ` --set-json '${singleQuotable(`${k}=${JSON.stringify(v)}`, p.release)}'`),
  ].join('');
  const ns = `--namespace ${p.namespace}${p.namespace === 'default' ? '' : ' --create-namespace'}`;
  const src = chartSource(p.chart);
  const chart = src.repository === undefined ? src.chart : src.repository.startsWith('oci://') ? `${src.repository}/${src.chart}` : `${src.chart} --repo ${src.repository}`;
  return `helm upgrade --install ${p.release} ${chart}${src.version === undefined ? '' : ` --version ${src.version}`} ${ns}${set}`;
}

/**
 * Namespaces the manifests put objects in that neither they nor a prerequisite release create: the observability
 * namespace when no kube-prometheus-stack is installed for the target (always on `local`), where the Prometheus
 * configuration and the dashboards go. `kubectl apply -f dist/<target>/` fails without them.
 */
export function externalNamespaces(spec: Spec): { name: string; command: string; reason: string }[] {
  const o = spec.observability;
  if (!o.enabled) return [];
  const created = new Set(platformPrerequisites(spec).map((p) => p.namespace));
  if (created.has(o.namespace) || [spec.platform.namespace, spec.workloads.namespace].includes(o.namespace)) return [];
  return [{
    name: o.namespace,
    command: `kubectl create namespace ${o.namespace} --dry-run=client -o yaml | kubectl apply -f -`,
    reason: 'the observability namespace (Prometheus configuration and dashboards), which no prerequisite creates here',
  }];
}

/** A Secret the manifests reference by name and that is created at apply time, from the user's environment. */
export interface ApplyTimeSecret {
  readonly namespace: string;
  readonly name: string;
  /** Shell command that creates or updates it idempotently; values come from the environment or are generated. */
  readonly command: string;
  readonly reason: string;
}

/**
 * The Secrets no output of this project contains: the Hugging Face token (from `$HF_TOKEN`) and the operator's MPI
 * SSH key (generated in a temporary folder that is removed). Both are created after the namespaces exist and before
 * the graphs are applied.
 */
export function applyTimeSecrets(spec: Spec): ApplyTimeSecret[] {
  const apply = (ns: string, name: string, from: string) =>
    `kubectl -n ${ns} create secret generic ${name} ${from} --dry-run=client -o yaml | kubectl apply -f -`;
  const out: ApplyTimeSecret[] = [];
  const token = spec.workloads.hfTokenSecret;
  if (token) {
    out.push({
      namespace: spec.workloads.namespace,
      name: token,
      command: apply(spec.workloads.namespace, token, '--from-literal=HF_TOKEN="$HF_TOKEN"'),
      reason: 'Hugging Face token of the workers (envFromSecret)',
    });
  }
  if (spec.platform.operator.enabled) {
    const ns = spec.platform.namespace;
    out.push({
      namespace: ns,
      name: MPI_SSH_SECRET,
      command: `d=$(mktemp -d) && ssh-keygen -q -t rsa -b 4096 -N '' -f "$d/k" && ${apply(ns, MPI_SSH_SECRET, '--from-file=private.key="$d/k" --from-file=private.key.pub="$d/k.pub"')}; rm -rf "$d"`,
      reason: 'SSH key of TRT-LLM multinode mpirun; the operator copies it into every graph namespace and fails graphs without it',
    });
  }
  return out;
}

/**
 * EKS, AKS and GKE run the control plane themselves: Prometheus cannot scrape the controller manager, the scheduler
 * or etcd (and kube-proxy's metrics listen on 127.0.0.1), so kube-prometheus-stack's KubeControllerManagerDown,
 * KubeSchedulerDown, etcd and KubeProxyDown alerts would fire forever. Their monitors and rules are off.
 */
export const MANAGED_CONTROL_PLANE_VALUES = {
  'kubeControllerManager.enabled': 'false',
  'kubeScheduler.enabled': 'false',
  'kubeEtcd.enabled': 'false',
  'kubeProxy.enabled': 'false',
} as const;

/**
 * The kube-prometheus-stack values our alerting needs (a user's own stack needs the same three):
 * - Alertmanager loads our AlertmanagerConfig (selected by its label, in the observability namespace) with matcher
 *   strategy None: under the default OnNamespace the operator adds `namespace="<its namespace>"` to its routes and
 *   inhibitions, and no Dynamo alert (they carry the graphs' namespaces) would ever reach a receiver.
 * - kube-state-metrics exposes our graph pod labels in `kube_pod_labels` (v2 exposes none unless allowlisted), which
 *   the readiness alerts join on.
 */
export function kubePrometheusStackJsonValues(namespace: string): Record<string, unknown> {
  return {
    'alertmanager.alertmanagerSpec.alertmanagerConfigSelector': { matchLabels: { ...ALERTMANAGER_CONFIG_SELECTOR } },
    'alertmanager.alertmanagerSpec.alertmanagerConfigNamespaceSelector': { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    'alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy': { type: 'None' },
    'kube-state-metrics.metricLabelsAllowlist': [`pods=[${KSM_POD_LABELS.join(',')}]`],
  };
}
