/**
 * EksFlowLogs: VPC flow logs of the network the stack creates (every accepted and rejected flow) into a CloudWatch
 * Logs group under the cluster's prefix, encrypted with the cluster's KMS key (whose policy admits CloudWatch Logs for
 * that prefix: key-policy.ts), through a role the VPC Flow Logs service assumes with write access to that group only.
 * The role trusts the service only for flow logs of this account and region (aws:SourceAccount, aws:SourceArn
 * `arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*`): the confused-deputy condition of the AWS VPC Flow Logs
 * guide ("IAM role for publishing flow logs to CloudWatch Logs"). A brought VPC keeps its own flow logs.
 */
import { CloudwatchLogGroup, FlowLog } from './provider.cjs';
import { Construct } from 'constructs';
import { AWS_NAME_MAX, awsName } from '../../../spec/profile/aws-names.js';
import { ServiceRole } from './iam.js';
import { eksLogGroupPrefix } from './key-policy.js';

export interface EksFlowLogsProps {
  readonly clusterName: string;
  readonly vpcId: string;
  /** The key of the cluster's log groups. */
  readonly kmsKeyArn: string;
  /** Where the flow log lives: partition, region and account id (the trust condition). */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** @default 90 */
  readonly retentionDays?: number;
}

export class EksFlowLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: EksFlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `${eksLogGroupPrefix(props.clusterName)}/vpc-flow-logs`,
      retentionInDays: props.retentionDays ?? 90,
      kmsKeyId: props.kmsKeyArn,
    });
    // The AWS VPC Flow Logs guide's role policy, narrowed to the one group and its streams.
    const role = new ServiceRole(this, 'role', {
      name: awsName(props.clusterName, 'flow-logs', AWS_NAME_MAX.iamRole),
      service: 'vpc-flow-logs.amazonaws.com',
      managedPolicies: [],
      trustCondition: {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${props.partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*` },
      },
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`] },
          // A listing: it names no group, so it cannot be narrowed to one.
          { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
        ],
      }),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
      dependsOn: [role.role],
    });
  }
}
