/** EKS facts. */
import type { CloudSpec, GpuPoolSpec } from '../schema.js';
import { type CloudPoolFacts, GPU_NODE_LABEL, GPU_TAINT, gpuPoolProfiles, systemPlacement } from './common.js';
import type { CloudProfile, StorageClassProfile } from './types.js';
import { AWS_NAME_MAX, awsName } from './aws-names.js';

export const EKS_POOL_FACTS: CloudPoolFacts = {
  // EKS managed node groups label their nodes with the node group name and the capacity type.
  poolLabel: 'eks.amazonaws.com/nodegroup',
  spotTaint: { key: 'eks.amazonaws.com/capacityType', value: 'SPOT', effect: 'NoSchedule' },
  fastNetworkResource: 'vpc.amazonaws.com/efa',
};

/** EKS labels managed nodes with their capacity type (`ON_DEMAND` or `SPOT`). */
export const EKS_CAPACITY_TYPE_LABEL = 'eks.amazonaws.com/capacityType';

/** gp3 is not built into EKS (only the in-tree gp2 is); our charts create it, encrypted, for the EBS CSI driver. */
export const EKS_GP3: StorageClassProfile = {
  name: 'gp3-encrypted',
  provisioner: 'ebs.csi.aws.com',
  createdBy: 'k8s',
  parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  accessMode: 'ReadWriteOnce',
};

/** The model store kinds this cloud offers (disk and blob are AKS tiers; the spec refuses them here). */
const EKS_MODEL: Record<'shared-file' | 'lustre', StorageClassProfile> = {
  'shared-file': {
    name: 'efs-model-cache',
    provisioner: 'efs.csi.aws.com',
    createdBy: 'cloud',
    parameters: { provisioningMode: 'efs-ap', directoryPerms: '750' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
  lustre: {
    name: 'fsx-lustre-model-cache',
    provisioner: 'fsx.csi.aws.com',
    createdBy: 'cloud',
    parameters: {},
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
    accessMode: 'ReadWriteMany',
  },
};

export function eksProfile(spec: CloudSpec): CloudProfile {
  return {
    target: 'eks',
    storage: { block: EKS_GP3, modelCache: EKS_MODEL[spec.cluster.modelStorage.kind === 'lustre' ? 'lustre' : 'shared-file'] },
    systemPool: systemPlacement(spec, EKS_POOL_FACTS),
    gpuNodeLabel: GPU_NODE_LABEL,
    gpuTaint: GPU_TAINT,
    spotTaint: EKS_POOL_FACTS.spotTaint,
    gpuPools: gpuPoolProfiles(spec, EKS_POOL_FACTS),
  };
}

/**
 * Names the Karpenter resources of the EKS stack and the NodePools of the Kubernetes layer share: both sides derive
 * them from the cluster name, so the manifests need no Terraform output.
 */
export const karpenterNames = (clusterName: string) =>
  ({
    /** Tag on the private subnets and the cluster security group that EC2NodeClasses select by. */
    discoveryTag: { key: 'karpenter.sh/discovery', value: clusterName },
    /** IAM role of the nodes Karpenter launches (Karpenter creates the instance profile from it). */
    nodeRole: awsName(clusterName, 'karpenter-node', AWS_NAME_MAX.iamRole),
    /** SQS queue of interruption events. */
    interruptionQueue: awsName(clusterName, 'karpenter', AWS_NAME_MAX.sqsQueue),
    /** IAM role of the Karpenter controller (Pod Identity). */
    controllerRole: awsName(clusterName, 'karpenter', AWS_NAME_MAX.iamRole),
    namespace: 'kube-system',
    serviceAccount: 'karpenter',
  }) as const;

/** The labels our own resources put on a GPU pool's nodes (EKS adds the pool label and capacity type itself). */
export const eksGpuPoolLabels = (pool: GpuPoolSpec): Record<string, string> => ({ ...pool.labels, 'dynamo-iac.io/accelerator': pool.accelerator });

/**
 * The labels a Karpenter node of the pool carries: ours plus the two EKS would set on a managed node group's
 * nodes, so selectors written for node groups (the profile's pool label) keep working.
 */
export const karpenterGpuPoolLabels = (name: string, pool: GpuPoolSpec): Record<string, string> => ({
  [EKS_POOL_FACTS.poolLabel]: name,
  [EKS_CAPACITY_TYPE_LABEL]: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
  ...eksGpuPoolLabels(pool),
});
