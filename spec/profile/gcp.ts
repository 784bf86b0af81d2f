/** GKE facts. */
import type { CloudSpec } from '../schema.js';
import { type CloudPoolFacts, GPU_NODE_LABEL, GPU_TAINT, gpuPoolProfiles, systemPlacement } from './common.js';
import { gkeStorageNetwork } from './gcp-names.js';
import { gkeModelClass } from './gcp-storage.js';
import type { CloudProfile, StorageClassProfile } from './types.js';

export const GKE_POOL_FACTS: CloudPoolFacts = {
  poolLabel: 'cloud.google.com/gke-nodepool',
  // GKE labels spot nodes cloud.google.com/gke-spot=true; our node pools add the same key as a taint.
  spotTaint: { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' },
};

/** GKE installs the driver under /usr/local/nvidia; containers need it on their library and binary paths. */
export const GKE_DRIVER_ENV = {
  LD_LIBRARY_PATH: '/usr/local/nvidia/lib64:/usr/local/cuda/lib64',
  PATH: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
} as const;

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

export function gkeProfile(spec: CloudSpec): CloudProfile {
  return {
    target: 'gke',
    storage: {
      block: GKE_PREMIUM_RWO,
      // Our class on the cluster's VPC (the drivers' default network is `default`); the claim creates the store.
      modelCache: gkeModelClass(spec.cluster.modelStorage, gkeStorageNetwork(spec.cluster)),
      modelCacheSize: spec.cluster.modelStorage.size,
    },
    systemPool: systemPlacement(spec, GKE_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: GKE_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, GKE_POOL_FACTS),
    driverEnv: GKE_DRIVER_ENV,
  };
}
