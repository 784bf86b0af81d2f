/** GKE facts. */
import type { CloudSpec } from '../schema.js';
import { type CloudPoolFacts, GPU_NODE_LABEL, GPU_TAINT, gpuPoolProfiles, systemPlacement } from './common.js';
import { gkeStorageNetwork } from './gcp-names.js';
import { gkeModelClass } from './gcp-storage.js';
import type { CloudProfile, DriverPaths, StorageClassProfile } from './types.js';

export const GKE_POOL_FACTS: CloudPoolFacts = {
  poolLabel: 'cloud.google.com/gke-nodepool',
  // GKE labels spot nodes cloud.google.com/gke-spot=true; our node pools add the same key as a taint.
  spotTaint: { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' },
};

/**
 * Where GKE's driver installer puts the driver on the node (libraries, nvidia-smi), and where GKE's device plugin
 * mounts it, read-only, into containers that request GPUs (GoogleCloudPlatform/container-engine-accelerators
 * cmd/nvidia_gpu/nvidia_gpu.go `-host-path`, pkg/gpu/nvidia mount `/usr/local/nvidia`). A pod that requests no GPU
 * (the DCGM exporter) mounts it itself.
 */
export const GKE_DRIVER_DIRS = { host: '/home/kubernetes/bin/nvidia', container: '/usr/local/nvidia' } as const;

/** Node label GKE sets on every GPU node, to the accelerator type (e.g. `nvidia-l4`). */
export const GKE_ACCELERATOR_LABEL = 'cloud.google.com/gke-accelerator';

/**
 * GKE installs the driver under /usr/local/nvidia; GPU containers add its directories to the image's own paths when
 * they start (the image's venv and NIXL/UCX entries stay; see constructs/k8s/graph/driver-paths.ts).
 */
export const GKE_DRIVER_PATHS: DriverPaths = { binDirs: [`${GKE_DRIVER_DIRS.container}/bin`], libraryDirs: [`${GKE_DRIVER_DIRS.container}/lib64`] };

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
      modelCache: gkeModelClass(spec.cluster.modelStorage, gkeStorageNetwork(spec.cluster), spec.cluster.network.existing?.sharedVpc ?? false),
      modelCacheSize: spec.cluster.modelStorage.size,
    },
    systemPool: systemPlacement(spec, GKE_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: GKE_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, GKE_POOL_FACTS),
    driverPaths: GKE_DRIVER_PATHS,
  };
}
