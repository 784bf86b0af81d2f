/**
 * The GKE model store. Both CSI drivers create one file system per claim, so the model-cache claim asks for
 * `cluster.modelStorage.size`, and both create it on the network named by the StorageClass's `network` parameter,
 * `default` when it is absent (GKE's built-in `premium-rwx` names none): our classes name the cluster's VPC.
 *
 * Sources: kubernetes-sigs/gcp-filestore-csi-driver pkg/csi_driver/controller.go (parameters `tier`, `network`;
 * `premium` = BASIC_SSD, 2.5 TiB to 63.9 TiB, smaller requests rounded up); GoogleCloudPlatform/lustre-csi-driver
 * pkg/csi_driver/controller.go (parameters `network`, `perUnitStorageThroughput` 125/250/500/1000, capacity passed
 * on in whole GiB); Google Cloud Managed Lustre "Performance tiers" (minimum, step and step threshold per tier).
 */
import type { StorageClassProfile } from './types.js';

/** The spec's throughput tiers. */
type Tier = 'standard' | 'performance';

/** Managed Lustre per spec tier: MB/s per TiB, and the capacities the service accepts (GiB). */
export const GKE_LUSTRE_TIERS: Readonly<Record<Tier, { perUnitStorageThroughput: number; minGiB: number; stepGiB: number; stepUpToGiB: number; largeStepGiB: number; maxGiB: number }>> = {
  standard: { perUnitStorageThroughput: 250, minGiB: 36_000, stepGiB: 36_000, stepUpToGiB: 6_120_000, largeStepGiB: 288_000, maxGiB: 40_032_000 },
  performance: { perUnitStorageThroughput: 1000, minGiB: 9_000, stepGiB: 9_000, stepUpToGiB: 1_530_000, largeStepGiB: 72_000, maxGiB: 10_008_000 },
};

/** Filestore through the CSI add-on: the `premium` (Basic SSD) tier GKE's `premium-rwx` uses, and its bounds. */
export const GKE_FILESTORE = { tier: 'premium', minGiB: 2_560, maxGiB: 65_433 } as const;

export interface GkeModelStorage {
  readonly kind: string;
  readonly tier: Tier;
  readonly size: string;
}

/**
 * The model-cache StorageClass, created by our Kubernetes layer, on the given network (gkeStorageNetwork). On a Shared
 * VPC (`sharedVpc`, which the spec states: a full network name alone does not tell) Filestore connects through private
 * services access, the only mode its driver supports for a Shared VPC used from a service project, with the full
 * network name (gcp-filestore-csi-driver README); elsewhere it peers directly.
 */
export function gkeModelClass(ms: GkeModelStorage, network: string, sharedVpc = false): StorageClassProfile {
  const common = { createdBy: 'k8s', volumeBindingMode: 'WaitForFirstConsumer', accessMode: 'ReadWriteMany' } as const;
  const viaProject = sharedVpc;
  return ms.kind === 'lustre'
    ? { ...common, name: 'lustre-model-cache', provisioner: 'lustre.csi.storage.gke.io', reclaimPolicy: 'Retain', parameters: { network, perUnitStorageThroughput: String(GKE_LUSTRE_TIERS[ms.tier].perUnitStorageThroughput) } }
    : { ...common, name: 'filestore-model-cache', provisioner: 'filestore.csi.storage.gke.io', reclaimPolicy: 'Delete', parameters: { tier: GKE_FILESTORE.tier, network, ...(viaProject && { 'connect-mode': 'PRIVATE_SERVICE_ACCESS' }) } };
}

/** Whole GiB in a quantity written in Gi or Ti; undefined otherwise. */
export function quantityGiB(q: string): number | undefined {
  const m = /^([0-9]+)(Gi|Ti)$/.exec(q);
  return m ? Number(m[1]) * (m[2] === 'Ti' ? 1024 : 1) : undefined;
}

const gib = (n: number) => `${n.toLocaleString('en-US')} GiB`;

/** The problem with the model store's size on GKE, or undefined: the capacities the service creates. */
export function gkeModelStorageProblem(ms: GkeModelStorage): string | undefined {
  const size = quantityGiB(ms.size);
  if (ms.kind === 'lustre') {
    const t = GKE_LUSTRE_TIERS[ms.tier];
    const step = size !== undefined && size > t.stepUpToGiB ? t.largeStepGiB : t.stepGiB;
    if (size === undefined || size < t.minGiB || size > t.maxGiB || size % step !== 0) {
      return `Managed Lustre at ${t.perUnitStorageThroughput} MB/s/TiB (tier ${ms.tier}) takes ${gib(t.minGiB)} to ${gib(t.maxGiB)} in steps of ${gib(t.stepGiB)} (of ${gib(t.largeStepGiB)} above ${gib(t.stepUpToGiB)}), written in Gi (e.g. ${t.minGiB}Gi)`;
    }
    return undefined;
  }
  if (size === undefined || size < GKE_FILESTORE.minGiB || size > GKE_FILESTORE.maxGiB) {
    return `Filestore ${GKE_FILESTORE.tier} (Basic SSD) takes ${gib(GKE_FILESTORE.minGiB)} to ${gib(GKE_FILESTORE.maxGiB)}, written in Gi or Ti (e.g. ${GKE_FILESTORE.minGiB}Gi); the CSI driver would round a smaller claim up`;
  }
  return undefined;
}
