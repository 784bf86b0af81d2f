/**
 * EksControlPlane: the EKS cluster with envelope encryption of Secrets (a customer-managed KMS key with rotation,
 * which also encrypts the cluster's log groups),
 * API authentication mode with access entries (the creator and the spec's admins), the private endpoint always on
 * and the public one optional with allowed CIDRs, every control-plane log type, the OIDC provider for IRSA, and the
 * upgrade policy (STANDARD by default: at the end of standard support EKS upgrades the cluster instead of moving it
 * into extended support, which is billed per cluster hour; EKS itself defaults to EXTENDED).
 */
import { CloudwatchLogGroup, DataAwsCallerIdentity, DataAwsPartition, EksAccessEntry, EksAccessPolicyAssociation, EksCluster, IamOpenidConnectProvider, KmsKey } from './provider.cjs';
import { Construct } from 'constructs';
import { AWS_NAME_MAX, awsName } from '../../../spec/profile/aws-names.js';
import { ServiceRole } from './iam.js';
import { eksKeyPolicy, eksLogGroupPrefix } from './key-policy.js';

export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface EksControlPlaneProps {
  readonly name: string;
  /** The region (CloudWatch Logs' service principal in the key policy). */
  readonly region: string;
  readonly version: string;
  readonly subnetIds: readonly string[];
  readonly publicEndpoint: boolean;
  readonly publicAccessCidrs: readonly string[];
  /** IAM principal ARNs with cluster-admin access besides the creator. */
  readonly admins: readonly string[];
  /** prevent_destroy on the KMS key. */
  readonly protect: boolean;
  /** Days of control-plane logs. @default 90 */
  readonly logRetentionDays?: number;
  /** `upgrade_policy.support_type`: STANDARD never bills extended support. @default 'STANDARD' */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
}

export class EksControlPlane extends Construct {
  public readonly cluster: EksCluster;
  public readonly key: KmsKey;
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** The partition (`aws`, `aws-cn`, ...) and account the stack deploys to (data sources). */
  public readonly partition: string;
  public readonly accountId: string;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const partition = new DataAwsPartition(this, 'partition');
    this.partition = partition.partition;
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    this.key = new KmsKey(this, 'secrets-key', {
      description: `EKS ${props.name}: Kubernetes Secrets, the model store and the image registry`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // KMS's default statement plus CloudWatch Logs for the cluster's log groups (control plane, VPC flow logs).
      policy: eksKeyPolicy({
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        region: props.region,
        accountId: this.accountId,
        logGroups: [`${eksLogGroupPrefix(props.name)}/*`],
      }),
      lifecycle: { preventDestroy: props.protect },
    });
    const role = new ServiceRole(this, 'cluster-role', { name: awsName(props.name, 'cluster', AWS_NAME_MAX.iamRole), service: 'eks.amazonaws.com', managedPolicies: ['AmazonEKSClusterPolicy'] });
    // Created up front so that its retention (not EKS's "never expire") applies.
    const logs = new CloudwatchLogGroup(this, 'logs', { name: `${eksLogGroupPrefix(props.name)}/cluster`, retentionInDays: props.logRetentionDays ?? 90, kmsKeyId: this.key.arn });
    this.cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicEndpoint,
        ...(props.publicEndpoint && { publicAccessCidrs: [...props.publicAccessCidrs] }),
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.key.arn } },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      upgradePolicy: { supportType: props.supportType ?? 'STANDARD' },
      dependsOn: [logs, role.role],
    });
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
    });
    props.admins.forEach((arn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: this.cluster.name, principalArn: arn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
      });
    });
  }
}
