/**
 * Karpenter on EKS, the AWS side (after aws/karpenter-provider-aws v1.14 `getting-started/cloudformation.yaml`, as
 * awslabs/ai-on-eks sets it up through terraform-aws-eks): the role of the nodes it launches with its EC2_LINUX
 * access entry; the controller's role, bound by EKS Pod Identity, scoped to this cluster's tags; the interruption
 * queue with the EventBridge rules that feed it (spot interruption, rebalance, instance state change, scheduled
 * change, capacity reservation interruption); and the discovery tag on the subnets and the cluster security
 * group that the EC2NodeClasses select by.
 */
import { CloudwatchEventRule, CloudwatchEventTarget, DataAwsCallerIdentity, Ec2Tag, EksAccessEntry, EksPodIdentityAssociation, SqsQueue, SqsQueuePolicy } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { karpenterNames } from '../../../spec/profile/aws.js';
import { AWS_NAME_MAX, awsName } from '../../../spec/profile/aws-names.js';
import { ServiceRole } from './iam.js';

/**
 * The EC2 events Karpenter acts on, each an EventBridge rule into the queue. The keys are short: they end the rule
 * names, which EventBridge caps at 64 characters.
 */
export const KARPENTER_INTERRUPTION_EVENTS = {
  health: { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  spot: { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  reservation: { source: ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
} as const;

/** Managed policies of the nodes: join the cluster, pull images, Session Manager. The VPC CNI has its own role. */
export const KARPENTER_NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'] as const;

export interface KarpenterPolicyProps {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/** The controller's permissions: launches and deletes only what carries this cluster's tags. */
export function karpenterControllerPolicy(p: KarpenterPolicyProps): string {
  const ec2 = (type: string) => `arn:aws:ec2:${p.region}:*:${type}/*`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${p.clusterName}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${p.clusterName}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': p.clusterName };
  const launched = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(ec2);
  const profiles = `arn:aws:iam::${p.accountId}:instance-profile/*`;
  const region = { 'aws:ResourceTag/topology.kubernetes.io/region': p.region };
  const statement = (Sid: string, Action: string | string[], Resource: string | string[], Condition?: Record<string, unknown>) => ({ Sid, Effect: 'Allow', Action, Resource, ...(Condition && { Condition }) });
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      statement('ScopedEC2InstanceAccess', ['ec2:RunInstances', 'ec2:CreateFleet'], [`arn:aws:ec2:${p.region}::image/*`, `arn:aws:ec2:${p.region}::snapshot/*`, ...['security-group', 'subnet', 'capacity-reservation', 'placement-group'].map(ec2)]),
      statement('ScopedLaunchTemplateAccess', ['ec2:RunInstances', 'ec2:CreateFleet'], ec2('launch-template'), { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } }),
      statement('ScopedInstanceActionsWithTags', ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], launched, { StringEquals: requestOwned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } }),
      statement('ScopedResourceCreationTagging', 'ec2:CreateTags', launched, {
        StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      statement('ScopedResourceTagging', 'ec2:CreateTags', ec2('instance'), {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': p.clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      }),
      statement('ScopedDeletion', ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], [ec2('instance'), ec2('launch-template')], { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } }),
      statement('PassNodeRole', 'iam:PassRole', p.nodeRoleArn, { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }),
      statement('ScopedInstanceProfileCreation', 'iam:CreateInstanceProfile', profiles, {
        StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': p.region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      statement('ScopedInstanceProfileTagging', 'iam:TagInstanceProfile', profiles, {
        StringEquals: { ...owned, ...region, ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': p.region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      statement('ScopedInstanceProfileActions', ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], profiles, {
        StringEquals: { ...owned, ...region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      statement('InstanceProfileRead', 'iam:GetInstanceProfile', profiles),
      statement('InstanceProfileList', 'iam:ListInstanceProfiles', '*'),
      statement('ClusterEndpointDiscovery', 'eks:DescribeCluster', `arn:aws:eks:${p.region}:${p.accountId}:cluster/${p.clusterName}`),
      statement('InterruptionQueue', ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], p.queueArn),
      statement('ZonalShiftRead', 'arc-zonal-shift:GetManagedResource', '*', { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': `arn:aws:eks:${p.region}:${p.accountId}:cluster/${p.clusterName}` } }),
      statement(
        'RegionalRead',
        [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        '*',
        { StringEquals: { 'aws:RequestedRegion': p.region } },
      ),
      statement('SSMRead', 'ssm:GetParameter', `arn:aws:ssm:${p.region}::parameter/aws/service/*`),
      statement('PricingRead', 'pricing:GetProducts', '*'),
    ],
  });
}

export interface EksKarpenterProps {
  readonly clusterName: string;
  readonly region: string;
  /**
   * Subnets of an existing VPC to tag for discovery (`aws_ec2_tag`). Subnets the stack creates carry the tag in their
   * own `tags` instead (EksNetwork `privateSubnetTags`): Terraform would remove an `aws_ec2_tag` from them on every
   * apply. @default - none
   */
  readonly existingSubnetIds?: readonly string[];
  /** The cluster security group (tagged for discovery): control plane and nodes talk through it. */
  readonly clusterSecurityGroupId: string;
  /** What must exist first (the cluster, through the networking add-ons). */
  readonly dependsOn?: ITerraformDependable[];
}

export class EksKarpenter extends Construct {
  /** What the Karpenter release waits for: the controller's binding, the nodes' access entry, the queue. */
  public readonly dependables: ITerraformDependable[];
  public readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: EksKarpenterProps) {
    super(scope, id);
    const names = karpenterNames(props.clusterName);
    const after = props.dependsOn ? { dependsOn: props.dependsOn } : {};
    const nodeRole = new ServiceRole(this, 'node-role', { name: names.nodeRole, service: 'ec2.amazonaws.com', managedPolicies: KARPENTER_NODE_POLICIES });
    // Managed node groups get their access entry from EKS; Karpenter's nodes need one of type EC2_LINUX.
    const access = new EksAccessEntry(this, 'node-access', { clusterName: props.clusterName, principalArn: nodeRole.arn, type: 'EC2_LINUX', ...after });

    this.queue = new SqsQueue(this, 'interruption-queue', { name: names.interruptionQueue, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    new SqsQueuePolicy(this, 'interruption-queue-policy', {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'EventBridge', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: this.queue.arn },
          { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: this.queue.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      }),
    });
    for (const [key, pattern] of Object.entries(KARPENTER_INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `rule-${key}`, { name: awsName(props.clusterName, `karpenter-${key}`, AWS_NAME_MAX.eventRule), eventPattern: JSON.stringify(pattern) });
      new CloudwatchEventTarget(this, `rule-${key}-target`, { rule: rule.name, targetId: 'KarpenterInterruptionQueue', arn: this.queue.arn });
    }

    const account = new DataAwsCallerIdentity(this, 'account');
    const controllerRole = new ServiceRole(this, 'controller-role', {
      name: names.controllerRole,
      service: 'pods.eks.amazonaws.com',
      managedPolicies: [],
      inlinePolicy: karpenterControllerPolicy({ clusterName: props.clusterName, region: props.region, accountId: account.accountId, nodeRoleArn: nodeRole.arn, queueArn: this.queue.arn }),
    });
    const association = new EksPodIdentityAssociation(this, 'controller-association', {
      clusterName: props.clusterName,
      namespace: names.namespace,
      serviceAccount: names.serviceAccount,
      roleArn: controllerRole.arn,
      ...after,
    });

    // The cluster security group is created by EKS, not by this stack: an aws_ec2_tag is the only way to tag it.
    const tag = (tid: string, resourceId: string) => new Ec2Tag(this, tid, { resourceId, key: names.discoveryTag.key, value: names.discoveryTag.value });
    const tags = [...(props.existingSubnetIds ?? []).map((s, i) => tag(`subnet-${i}-discovery`, s)), tag('cluster-sg-discovery', props.clusterSecurityGroupId)];
    this.dependables = [association, access, this.queue, ...tags];
  }
}
