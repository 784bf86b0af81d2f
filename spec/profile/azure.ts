/** AKS facts. */
import type { CloudSpec } from '../schema.js';
import { type CloudPoolFacts, GPU_NODE_LABEL, GPU_TAINT, gpuPoolProfiles, systemPlacement } from './common.js';
import type { CloudProfile, StorageClassProfile } from './types.js';

export const AKS_POOL_FACTS: CloudPoolFacts = {
  poolLabel: 'kubernetes.azure.com/agentpool',
  // AKS taints every node of a Spot pool with this taint itself.
  spotTaint: { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' },
  // InfiniBand exposed by the NVIDIA Network Operator's RDMA shared device plugin.
  fastNetworkResource: 'rdma/ib',
};

/** Built into AKS: Premium SSD through the Azure Disk CSI driver. */
export const AKS_MANAGED_CSI_PREMIUM: StorageClassProfile = {
  name: 'managed-csi-premium',
  provisioner: 'disk.csi.azure.com',
  createdBy: 'cluster',
  parameters: { skuname: 'Premium_LRS' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  accessMode: 'ReadWriteOnce',
};

/** Azure Disk for caches that must outlive their pods: our class, retained, with volume expansion. */
export const AKS_CACHE_DISK: StorageClassProfile = {
  name: 'cache-disk-premium',
  provisioner: 'disk.csi.azure.com',
  createdBy: 'k8s',
  parameters: { skuname: 'PremiumV2_LRS', cachingMode: 'None' },
  reclaimPolicy: 'Retain',
  volumeBindingMode: 'WaitForFirstConsumer',
  accessMode: 'ReadWriteOnce',
};

/** Ephemeral NVMe through the local CSI driver (installed by the deploy path): fast, per node, gone with the node. */
export const AKS_LOCAL_NVME: StorageClassProfile = {
  name: 'local-ephemeral',
  provisioner: 'localdisk.csi.acstor.io',
  createdBy: 'k8s',
  parameters: {},
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  accessMode: 'ReadWriteOnce',
  // The driver admits generic ephemeral volumes only (no standalone claims).
  ephemeral: true,
};

const AKS_MODEL: Record<CloudSpec['cluster']['modelStorage']['kind'], StorageClassProfile> = {
  'shared-file': {
    name: 'azurefile-csi-premium',
    provisioner: 'file.csi.azure.com',
    createdBy: 'cluster',
    parameters: { skuName: 'Premium_LRS' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
  disk: AKS_CACHE_DISK,
  // Built in once the Blob CSI driver is on (the cluster's storage profile turns it on for this tier).
  blob: {
    name: 'azureblob-nfs-premium',
    provisioner: 'blob.csi.azure.com',
    createdBy: 'cluster',
    parameters: { skuName: 'Premium_LRS', protocol: 'nfs' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
  lustre: {
    name: 'azurelustre-model-cache',
    provisioner: 'azurelustre.csi.azure.com',
    createdBy: 'cloud',
    parameters: {},
    mountOptions: ['noatime', 'flock'],
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
};

/** Spot pools: AKS adds this label (and the spot taint) itself; the node pool lists both so Terraform sees no drift. */
export const AKS_SPOT_LABEL = { 'kubernetes.azure.com/scalesetpriority': 'spot' } as const;

export function aksProfile(spec: CloudSpec): CloudProfile {
  return {
    target: 'aks',
    storage: {
      block: AKS_MANAGED_CSI_PREMIUM,
      modelCache: AKS_MODEL[spec.cluster.modelStorage.kind],
      compilationCache: { 'model-store': AKS_MODEL[spec.cluster.modelStorage.kind], disk: AKS_CACHE_DISK, local: AKS_LOCAL_NVME }[spec.cluster.modelStorage.compilationCache],
    },
    systemPool: systemPlacement(spec, AKS_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: AKS_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, AKS_POOL_FACTS),
  };
}
