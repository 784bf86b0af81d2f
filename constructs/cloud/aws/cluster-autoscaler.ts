/**
 * The cluster-autoscaler on EKS, its facts (no provider imports: the prerequisites list and the README read them):
 * the permissions of upstream's "full features" policy (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/
 * README.md), the writes scoped to this cluster's Auto Scaling groups; the tags it discovers groups by; and the Helm
 * values that make it scale expensive GPU nodes sensibly. The role itself: cluster-autoscaler-identity.ts.
 */
import type { PoolPlacement } from '../../../spec/profile/types.js';
import { CLUSTER_AUTOSCALER_IMAGE, type ClusterAutoscalerRelease } from '../../../spec/autoscaler-versions.js';
import { CLUSTER_AUTOSCALER_TAG_PREFIX as CA_TAG_PREFIX } from '../../../spec/profile/aws-names.js';

/** Where the chart's pod runs and which service account the role is bound to. */
export const CLUSTER_AUTOSCALER_IDENTITY = { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' } as const;

/**
 * The label the AWS provider of the cluster-autoscaler reads to know that a node has GPUs before the device plugin
 * has advertised them (cloudprovider/aws/aws_cloud_provider.go `GPULabel`; README "Special note on GPU instances").
 * Without it, a new GPU node is Ready with 0 GPUs for a minute and the autoscaler adds another one.
 */
export const CLUSTER_AUTOSCALER_GPU_LABEL = 'k8s.amazonaws.com/accelerator';

/** Tag prefix of auto-discovery and node templates (cloudprovider/aws/README.md, "Auto-discovery setup"). */
export const CLUSTER_AUTOSCALER_TAG_PREFIX = CA_TAG_PREFIX;

/** Read calls of auto-discovery, node templates from launch templates and instance types, and managed node groups. */
export const CLUSTER_AUTOSCALER_READ_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:DescribeLaunchConfigurations',
  'autoscaling:DescribeScalingActivities',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:GetInstanceTypesFromInstanceRequirements',
  // Labels, taints and the eks.amazonaws.com/nodegroup label of a managed node group that has never had a node.
  'eks:DescribeNodegroup',
] as const;

/** The only writes: resize a group, remove one chosen instance. */
export const CLUSTER_AUTOSCALER_WRITE_ACTIONS = ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'] as const;

/** The role's policy: reads everywhere (they take no resource), writes only on groups tagged as this cluster's. */
export function clusterAutoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Discover', Effect: 'Allow', Action: [...CLUSTER_AUTOSCALER_READ_ACTIONS], Resource: '*' },
      {
        Sid: 'ScaleOwnGroups',
        Effect: 'Allow',
        Action: [...CLUSTER_AUTOSCALER_WRITE_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/${CLUSTER_AUTOSCALER_TAG_PREFIX}/${clusterName}`]: 'owned' } },
      },
    ],
  });
}

/**
 * The flags, each chosen for GPU nodes that cost tens of dollars an hour and take minutes to boot:
 * - `expander: least-waste`: of the pools a pending pod fits, the one that leaves the least CPU and memory idle,
 *   so a one-GPU worker does not bring up the largest node when a smaller pool fits.
 * - `balance-similar-node-groups`: identical pools (e.g. one per zone) grow evenly, so losing a zone loses a share.
 * - `skip-nodes-with-local-storage: false`: Dynamo workers mount emptyDir (shared memory, caches); with the default
 *   `true` no GPU node running a worker would ever be considered for removal.
 * - `scale-down-unneeded-time` and `scale-down-delay-after-add: 10m`: an empty GPU node goes after ten minutes;
 *   shorter would tear down a node that a restarting worker is about to reuse (re-provisioning plus image pull and
 *   model load cost far more than ten idle minutes).
 * - `max-node-provision-time: 20m`: the NVIDIA AMI, a 200 GiB root volume and large instances take longer to
 *   register than the 15m default allows in bad cases; capacity errors are seen earlier in the scaling activities.
 */
export const CLUSTER_AUTOSCALER_FLAGS = {
  expander: 'least-waste',
  'balance-similar-node-groups': 'true',
  'skip-nodes-with-local-storage': 'false',
  'scale-down-unneeded-time': '10m',
  'scale-down-delay-after-add': '10m',
  'max-node-provision-time': '20m',
} as const;

export interface ClusterAutoscalerValuesProps {
  readonly clusterName: string;
  readonly region: string;
  readonly release: ClusterAutoscalerRelease;
  /** The system pool: the autoscaler never runs on a node it may remove. */
  readonly placement?: PoolPlacement;
}

/** Values of the upstream chart: `--set` strings and structured values. */
export function clusterAutoscalerValues(p: ClusterAutoscalerValuesProps): { values: Record<string, string>; jsonValues: Record<string, unknown> } {
  return {
    values: {
      cloudProvider: 'aws',
      awsRegion: p.region,
      'autoDiscovery.clusterName': p.clusterName,
      'image.repository': CLUSTER_AUTOSCALER_IMAGE,
      'image.tag': p.release.imageTag,
      'rbac.serviceAccount.name': CLUSTER_AUTOSCALER_IDENTITY.serviceAccount,
      ...Object.fromEntries(Object.entries(CLUSTER_AUTOSCALER_FLAGS).map(([k, v]) => [`extraArgs.${k}`, v])),
    },
    jsonValues: {
      ...(p.placement && { nodeSelector: p.placement.nodeSelector, tolerations: p.placement.tolerations }),
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  };
}
