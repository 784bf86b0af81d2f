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

/** The OS image of an AKS node pool (`os_sku`). */
export type AksOsSku = 'AzureLinux' | 'Ubuntu';

/**
 * The Azure Managed Lustre CSI driver's node plugin runs on Ubuntu nodes only: Microsoft's AMLFS guide says it works
 * only with the Ubuntu OS SKU, and the driver's node DaemonSets (one per release, `-jammy` and `-noble` images) select
 * `kubernetes.azure.com/os-sku-effective` in Ubuntu2204/Ubuntu2404. A pod that mounts the model cache on any other
 * node stays in ContainerCreating.
 */
export const AKS_LUSTRE_OS_SKU: AksOsSku = 'Ubuntu';

/**
 * The OS of each kind of pool. GPU pools: Ubuntu (the GPU Operator's driver containers, and the Lustre client).
 * System pool: Azure Linux (smaller, Microsoft's default), except with a Lustre model store: the model-cache access
 * pod, and any CPU pod that mounts the cache, lands there, so it must be Ubuntu too.
 */
export function aksOsSku(spec: CloudSpec, pool: 'system' | 'gpu'): AksOsSku {
  if (pool === 'gpu' || spec.cluster.modelStorage.kind === 'lustre') return AKS_LUSTRE_OS_SKU;
  return 'AzureLinux';
}

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
