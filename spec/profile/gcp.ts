/** GKE facts. */
import type { CloudSpec } from '../schema.js';
import { type CloudPoolFacts, GPU_NODE_LABEL, GPU_TAINT, gpuPoolProfiles, systemPlacement } from './common.js';
import type { CloudProfile, DriverPaths, StorageClassProfile } from './types.js';

export const GKE_POOL_FACTS: CloudPoolFacts = {
  poolLabel: 'cloud.google.com/gke-nodepool',
  // GKE labels spot nodes cloud.google.com/gke-spot=true; our node pools add the same key as a taint.
  spotTaint: { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' },
};

/**
 * GKE installs the driver under /usr/local/nvidia; GPU containers add its directories to the image's own paths when
 * they start (the image's venv and NIXL/UCX entries stay; see constructs/k8s/graph/driver-paths.ts).
 */
export const GKE_DRIVER_PATHS: DriverPaths = { binDirs: ['/usr/local/nvidia/bin'], libraryDirs: ['/usr/local/nvidia/lib64'] };

/** Built into GKE: SSD persistent disk through the PD CSI driver. */
export const GKE_PREMIUM_RWO: StorageClassProfile = {
  name: 'premium-rwo',
  provisioner: 'pd.csi.storage.gke.io',
  createdBy: 'cluster',
  parameters: { type: 'pd-ssd' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  accessMode: 'ReadWriteOnce',
};

/** The model store kinds this cloud offers (disk and blob are AKS tiers; the spec refuses them here). */
const GKE_MODEL: Record<'shared-file' | 'lustre', StorageClassProfile> = {
  'shared-file': {
    name: 'premium-rwx',
    provisioner: 'filestore.csi.storage.gke.io',
    createdBy: 'cluster',
    parameters: { tier: 'premium' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    accessMode: 'ReadWriteMany',
  },
  lustre: {
    name: 'lustre-model-cache',
    provisioner: 'lustre.csi.storage.gke.io',
    createdBy: 'cloud',
    parameters: {},
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    accessMode: 'ReadWriteMany',
  },
};

export function gkeProfile(spec: CloudSpec): CloudProfile {
  return {
    target: 'gke',
    storage: { block: GKE_PREMIUM_RWO, modelCache: GKE_MODEL[spec.cluster.modelStorage.kind === 'lustre' ? 'lustre' : 'shared-file'] },
    systemPool: systemPlacement(spec, GKE_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: GKE_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, GKE_POOL_FACTS),
    driverPaths: GKE_DRIVER_PATHS,
  };
}
