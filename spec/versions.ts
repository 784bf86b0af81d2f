/**
 * The version matrix: every image, chart and provider this project pins, in one place.
 *
 * The README's compatibility table is generated from this module (`npm run docs`) and a test fails when
 * the two differ, and when package.json pins a different provider package than the one listed here.
 */

import { CLUSTER_AUTOSCALER_IMAGE, clusterAutoscalerFor, KARPENTER_CHART } from './autoscaler-versions.js';
import { CHECKOV } from './scanner-version.js';

/** A container image split the way registries and mirror tools need it. */
export interface ImageRef {
  /** Registry host and repository path, e.g. `nvcr.io/nvidia/ai-dynamo/kubernetes-operator`. */
  readonly repository: string;
  /** An immutable release tag; never `latest`. */
  readonly tag: string;
  /** The tag's manifest digest (`sha256:...`), where an upstream source publishes it: pulls are then immutable. */
  readonly digest?: string;
}

/** A Helm chart release we depend on (installed by the deploy path, or by hand on the GitOps path). */
export interface ChartRef {
  readonly name: string;
  /** `https://` chart repository or `oci://` registry path (without the chart name for https repos). */
  readonly repository: string;
  readonly version: string;
}

/** A cdktf provider binding and the Terraform provider it was generated from. */
export interface ProviderRef {
  readonly package: string;
  readonly version: string;
  /** Full provider source address as `terraform` and OpenTofu expect it. */
  readonly source: string;
  readonly providerVersion: string;
}

/** A Terraform provider used without a cdktf binding. */
export type ProviderPin = Pick<ProviderRef, 'source' | 'providerVersion'>;

export const imageString = (image: ImageRef): string => `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;

export const VERSIONS = {
  dynamo: {
    version: '0.9.0',
    /** The CRDs are not hand-written: the platform depends on this chart (see README, install order). */
    crdsChart: { name: 'dynamo-crds', repository: 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts', version: '0.9.0' },
    /**
     * Upstream's own platform chart, for comparison only: 0.9.0-post1 fixes the 0.9.0 chart, which pinned the
     * operator image to 0.7.1. We synthesize the platform ourselves and pin the operator image directly.
     */
    platformChart: { name: 'dynamo-platform', repository: 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts', version: '0.9.0-post1' },
    operatorImage: { repository: 'nvcr.io/nvidia/ai-dynamo/kubernetes-operator', tag: '0.9.0' },
    runtimeImages: {
      vllm: { repository: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime', tag: '0.9.0' },
      sglang: { repository: 'nvcr.io/nvidia/ai-dynamo/sglang-runtime', tag: '0.9.0' },
      trtllm: { repository: 'nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime', tag: '0.9.0' },
      frontend: { repository: 'nvcr.io/nvidia/ai-dynamo/dynamo-frontend', tag: '0.9.0' },
    },
  },
  nats: {
    /** Same image as upstream's platform chart values (nats chart 1.3.2). */
    image: { repository: 'nats', tag: '2.10.21-alpine' },
    /** The exporter of the nats-io chart 1.3.2 that upstream's platform chart uses. */
    exporterImage: { repository: 'natsio/prometheus-nats-exporter', tag: '0.16.0' },
  },
  etcd: {
    /**
     * etcd's own release image. Upstream's chart uses `bitnamilegacy/etcd:3.5.18-debian-12-r5`, a frozen legacy
     * repository; the official image runs the same 3.5 line, non-root, with our flags and no entrypoint script.
     */
    image: { repository: 'gcr.io/etcd-development/etcd', tag: 'v3.5.21' },
  },
  nvidia: {
    /** Device plugin, GPU feature discovery (the nvidia.com/gpu.present label) and DCGM; drivers only where needed. */
    gpuOperator: { name: 'gpu-operator', repository: 'https://helm.ngc.nvidia.com/nvidia', version: 'v25.10.1' },
    /**
     * DCGM exporter on GKE, which runs no GPU Operator: the exporter the GPU Operator v25.10.1 runs on EKS and AKS
     * (its chart's `dcgmExporter.version`), so the GPU metrics and labels are the same on all three clouds. The
     * digest is the one the operator's v25.10.1 OLM bundle pins for it (commit 1bdfcd2e6, "bump dcgm & dcgm-exporter
     * to versions 4.4.2 and 4.4.2-4.7.0").
     */
    dcgmExporterImage: {
      repository: 'nvcr.io/nvidia/k8s/dcgm-exporter',
      tag: '4.4.2-4.7.0-distroless',
      digest: 'sha256:7c0ac4430bb0a5868b7404a0e06c47e02b0375b61aadd614385ad0bc2d43815a',
    },
  },
  azure: {
    /** Mounts Azure Managed Lustre (static provisioning of the file system the AKS stack creates). */
    lustreCsiDriver: { name: 'azurelustre-csi-driver', repository: 'oci://mcr.microsoft.com/microsoft.azuremanagedlustre', version: '0.6.0' },
    /** Ephemeral NVMe volumes (the `local` compilation-cache tier). */
    localCsiDriver: { name: 'local-csi-driver', repository: 'oci://localcsidriver.azurecr.io/acstor/charts', version: '0.2.13' },
  },
  observability: {
    prometheusStack: { name: 'kube-prometheus-stack', repository: 'https://prometheus-community.github.io/helm-charts', version: '88.5.3' },
    tempo: { name: 'tempo', repository: 'https://grafana.github.io/helm-charts', version: '1.6.4' },
  },
  aws: {
    /** Exposes vpc.amazonaws.com/efa on EFA nodes. */
    efaDevicePlugin: { name: 'aws-efa-k8s-device-plugin', repository: 'https://aws.github.io/eks-charts', version: 'v0.5.30' },
    /** Serves `alb` Ingresses (the exposed frontends) and NLB Services; app v3.5.0. */
    loadBalancerController: { name: 'aws-load-balancer-controller', repository: 'https://aws.github.io/eks-charts', version: '3.5.0' },
  },
  tools: {
    /** The model-cache access pod: a shell, Python and pip (`pip install --user huggingface_hub` to download). */
    accessPod: { repository: 'python', tag: '3.12.8-slim-bookworm' },
    /** `gpu-inventory --enrich`: nvidia-smi comes from the driver, injected by the NVIDIA container runtime. */
    cudaBase: { repository: 'nvcr.io/nvidia/cuda', tag: '12.8.1-base-ubuntu24.04' },
  },
  kai: {
    chart: { name: 'kai-scheduler', repository: 'oci://ghcr.io/nvidia/kai-scheduler', version: 'v0.9.4' },
  },
  grove: {
    chart: { name: 'grove-charts', repository: 'oci://ghcr.io/ai-dynamo/grove', version: 'v0.1.0-alpha.6' },
  },
  certManager: {
    /** Needed only when the operator's validating webhook is enabled. */
    chart: { name: 'cert-manager', repository: 'https://charts.jetstack.io', version: 'v1.17.2' },
  },
  kubernetes: {
    /**
     * Control-plane versions the cloud stacks request: the newest minor that every pinned component supports and
     * that all three clouds offer in standard support (see KUBERNETES_SUPPORT). The GPU Operator bounds it: v25.10.1
     * is validated on 1.30 to 1.35 on EKS, AKS and GKE (its platform-support page; 1.35 from v25.10.1 on), not 1.36.
     * KAI v0.9.4 and Grove v0.1.0-alpha.6 state no range: both build on the Kubernetes 1.34 client libraries (one
     * minor of skew); KAI's end-to-end tests run on 1.34, Grove's on 1.33. The Azure Lustre CSI chart 0.6.0 asks for
     * 1.29 or later; the EKS and GKE CSI drivers are managed add-ons that follow the cluster's minor. The
     * cluster-autoscaler chart must match this minor.
     */
    eks: '1.35',
    aks: '1.35',
    gke: '1.35',
  },
  cdk: {
    cdktf: '0.21.0',
    cdk8s: '2.70.106',
    cdk8sPlus: '2.5.6',
    constructs: '10.8.1',
  },
  providers: {
    helm: { package: '@cdktf/provider-helm', version: '12.1.2', source: 'hashicorp/helm', providerVersion: '3.1.1' },
    aws: { package: '@cdktf/provider-aws', version: '21.22.1', source: 'hashicorp/aws', providerVersion: '6.25.0' },
    azurerm: { package: '@cdktf/provider-azurerm', version: '14.23.1', source: 'hashicorp/azurerm', providerVersion: '4.55.0' },
    google: { package: '@cdktf/provider-google', version: '16.12.1', source: 'hashicorp/google', providerVersion: '6.50.0' },
  },
  // Terraform providers used through cdktf's generic classes (no npm binding).
  unboundProviders: {
    // The deployer's address for the default public API endpoint (`response_body`, `status_code`: 3.x schema).
    http: { source: 'hashicorp/http', providerVersion: '3.6.0' },
    // AKS: waits for Azure RBAC role assignments to reach Key Vault before the keys and the cluster use them (`time_sleep`).
    time: { source: 'hashicorp/time', providerVersion: '0.13.1' },
  },
} as const satisfies {
  dynamo: {
    version: string;
    crdsChart: ChartRef;
    platformChart: ChartRef;
    operatorImage: ImageRef;
    runtimeImages: Record<'vllm' | 'sglang' | 'trtllm' | 'frontend', ImageRef>;
  };
  nats: { image: ImageRef; exporterImage: ImageRef };
  etcd: { image: ImageRef };
  nvidia: { gpuOperator: ChartRef; dcgmExporterImage: ImageRef };
  azure: { lustreCsiDriver: ChartRef; localCsiDriver: ChartRef };
  observability: { prometheusStack: ChartRef; tempo: ChartRef };
  aws: { efaDevicePlugin: ChartRef; loadBalancerController: ChartRef };
  tools: { accessPod: ImageRef; cudaBase: ImageRef };
  kai: { chart: ChartRef };
  grove: { chart: ChartRef };
  certManager: { chart: ChartRef };
  kubernetes: Record<'eks' | 'aks' | 'gke', string>;
  cdk: Record<string, string>;
  providers: Record<'aws' | 'azurerm' | 'google' | 'helm', ProviderRef>;
  unboundProviders: Record<'http' | 'time', ProviderPin>;
};

/** One row of the README's compatibility table. */
export interface VersionRow {
  readonly component: string;
  readonly artifact: string;
  readonly version: string;
}

/** EKS node autoscalers: the cluster-autoscaler of the pinned EKS minor (its image too), and Karpenter. */
function autoscalerRows(chart: (component: string, c: ChartRef) => VersionRow, eksMinor: string): VersionRow[] {
  const ca = clusterAutoscalerFor(eksMinor);
  return [
    chart(`cluster-autoscaler (EKS ${eksMinor})`, ca.chart),
    { component: `cluster-autoscaler image (EKS ${eksMinor})`, artifact: CLUSTER_AUTOSCALER_IMAGE, version: ca.imageTag },
    chart('Karpenter (EKS, `autoscaler: karpenter`)', KARPENTER_CHART),
  ];
}

/** The compatibility table, in README order. Pure: the README section is rendered from these rows. */
export function versionRows(): VersionRow[] {
  const v = VERSIONS;
  const img = (component: string, i: ImageRef): VersionRow => ({ component, artifact: i.repository, version: i.digest ? `${i.tag}@${i.digest}` : i.tag });
  const chart = (component: string, c: ChartRef): VersionRow => ({
    component,
    artifact: `${c.repository}/${c.name} (Helm chart)`,
    version: c.version,
  });
  return [
    chart('Dynamo CRDs', v.dynamo.crdsChart),
    img('Dynamo operator', v.dynamo.operatorImage),
    img('Dynamo vLLM runtime', v.dynamo.runtimeImages.vllm),
    img('Dynamo SGLang runtime', v.dynamo.runtimeImages.sglang),
    img('Dynamo TRT-LLM runtime', v.dynamo.runtimeImages.trtllm),
    img('Dynamo frontend', v.dynamo.runtimeImages.frontend),
    img('NATS server', v.nats.image),
    img('NATS Prometheus exporter', v.nats.exporterImage),
    img('etcd', v.etcd.image),
    img('Model-cache access pod', v.tools.accessPod),
    img('GPU inventory (nvidia-smi)', v.tools.cudaBase),
    chart('NVIDIA GPU Operator', v.nvidia.gpuOperator),
    img('NVIDIA DCGM exporter (GKE)', v.nvidia.dcgmExporterImage),
    chart('AWS EFA device plugin', v.aws.efaDevicePlugin),
    chart('AWS Load Balancer Controller', v.aws.loadBalancerController),
    ...autoscalerRows(chart, v.kubernetes.eks),
    chart('Azure Managed Lustre CSI driver', v.azure.lustreCsiDriver),
    chart('Azure local CSI driver (NVMe)', v.azure.localCsiDriver),
    chart('kube-prometheus-stack (optional)', v.observability.prometheusStack),
    chart('Grafana Tempo (optional)', v.observability.tempo),
    chart('KAI scheduler', v.kai.chart),
    chart('Grove', v.grove.chart),
    chart('cert-manager (webhook only)', v.certManager.chart),
    { component: 'EKS Kubernetes', artifact: 'aws_eks_cluster.version', version: v.kubernetes.eks },
    { component: 'AKS Kubernetes', artifact: 'azurerm_kubernetes_cluster.kubernetes_version', version: v.kubernetes.aks },
    { component: 'GKE Kubernetes', artifact: 'google_container_cluster.min_master_version', version: v.kubernetes.gke },
    { component: 'CDK for Terraform', artifact: 'cdktf', version: v.cdk.cdktf },
    { component: 'cdk8s', artifact: 'cdk8s', version: v.cdk.cdk8s },
    { component: 'checkov (`npm run scan`, in .venv-scan/)', artifact: 'checkov (PyPI)', version: CHECKOV.version },
    ...Object.values(v.providers).map((p) => ({
      component: `Terraform provider ${p.source} ${p.providerVersion}`,
      artifact: p.package,
      version: p.version,
    })),
    ...Object.values(v.unboundProviders).map((p) => ({
      component: `Terraform provider ${p.source} ${p.providerVersion}`,
      artifact: 'none (cdktf generic data source or resource)',
      version: p.providerVersion,
    })),
  ];
}

/** When a cloud stops standard support of a Kubernetes minor, and where that date is published. */
export interface KubernetesSupport {
  /** The published calendar the dates come from. */
  readonly source: string;
  /** Minor -> first day without standard support (ISO date, UTC). */
  readonly endOfStandardSupport: Readonly<Record<string, string>>;
  /** How the dates were read, where the calendar is not day-exact. */
  readonly note?: string;
}

/**
 * End of standard support per cloud and minor, as the clouds published them (checked 2026-11-30). After it EKS bills
 * extended support (or upgrades the cluster, with `upgrade_policy` STANDARD), AKS needs LTS on the Premium tier, and
 * GKE upgrades the cluster unless it is on the Extended channel. `npm run synth` warns when a pinned minor is past it.
 */
export const KUBERNETES_SUPPORT = {
  eks: {
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (Amazon EKS Kubernetes release calendar)',
    endOfStandardSupport: { '1.33': '2026-07-29', '1.34': '2026-12-02', '1.35': '2027-03-27' },
  },
  aks: {
    source: 'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (AKS Kubernetes release calendar, "End of life")',
    endOfStandardSupport: { '1.33': '2026-07-01', '1.34': '2026-11-01', '1.35': '2027-03-01' },
    note: 'the calendar gives a month: the first day of that month is used',
  },
  gke: {
    source: 'https://cloud.google.com/kubernetes-engine/docs/release-schedule (GKE release schedule, "End of standard support")',
    endOfStandardSupport: { '1.33': '2026-08-03', '1.34': '2026-10-01', '1.35': '2027-04-11' },
  },
} as const satisfies Record<'eks' | 'aks' | 'gke', KubernetesSupport>;

/** One row of the README's standard-support table: the pinned minor of each cloud. */
export interface SupportRow {
  readonly cloud: string;
  readonly minor: string;
  readonly endOfStandardSupport: string;
  readonly source: string;
}

export function supportRows(): SupportRow[] {
  const names = { eks: 'Amazon EKS', aks: 'Azure AKS', gke: 'Google GKE' } as const;
  return (['eks', 'aks', 'gke'] as const).map((cloud) => {
    const support: KubernetesSupport = KUBERNETES_SUPPORT[cloud];
    const minor = VERSIONS.kubernetes[cloud];
    return {
      cloud: names[cloud],
      minor,
      endOfStandardSupport: support.endOfStandardSupport[minor] ?? 'not recorded',
      source: support.note ? `${support.source}; ${support.note}` : support.source,
    };
  });
}
