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
  lustre: {
    name: 'azurelustre-model-cache',
    provisioner: 'azurelustre.csi.azure.com',
    createdBy: 'cloud',
    parameters: {},
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
};

export function aksProfile(spec: CloudSpec): CloudProfile {
  return {
    target: 'aks',
    storage: { block: AKS_MANAGED_CSI_PREMIUM, modelCache: AKS_MODEL[spec.cluster.modelStorage.kind] },
    systemPool: systemPlacement(spec, AKS_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: AKS_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, AKS_POOL_FACTS),
  };
}
