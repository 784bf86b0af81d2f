/**
 * The @cdktf/provider-aws classes of the EKS stack.
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
import '../archiver-on-demand.cjs';
export { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag/index.js';
export { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
export { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
export { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
export { DataAwsEc2InstanceTypeOfferings } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings/index.js';
export { DataAwsEc2InstanceType } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type/index.js';
export { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets/index.js';
export { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js';
export { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
export { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag/index.js';
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
export { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system/index.js';
export { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target/index.js';
export { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
export { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry/index.js';
export { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association/index.js';
export { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
export { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
export { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
export { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association/index.js';
export { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
export { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
export { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
export { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
export { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group/index.js';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
export { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
export { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
export { Route } from '@cdktf/provider-aws/lib/route/index.js';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
export { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
export { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
export { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
export { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
export { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
export { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
