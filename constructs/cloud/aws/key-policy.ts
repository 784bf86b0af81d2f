/**
 * The policy of the EKS stack's KMS key: KMS's default statement (the account administers the key through IAM, which
 * is what EKS envelope encryption, EFS, FSx and ECR use), plus CloudWatch Logs encrypting the stack's log groups.
 * CloudWatch Logs checks the key policy when a log group is associated with a key, and uses the key as the regional
 * service principal `logs.<region>.<dns suffix>`, bound by the `kms:EncryptionContext:aws:logs:arn` of the group (AWS
 * CloudWatch Logs guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 */

export interface KeyPolicyProps {
  readonly partition: string;
  readonly dnsSuffix: string;
  readonly region: string;
  readonly accountId: string;
  /** Log group name patterns (ArnLike) CloudWatch Logs may encrypt with the key, e.g. `/aws/eks/<cluster>/*`. */
  readonly logGroups: readonly string[];
}

export function eksKeyPolicy(p: KeyPolicyProps): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'CloudWatchLogsOfTheCluster',
        Effect: 'Allow',
        Principal: { Service: `logs.${p.region}.${p.dnsSuffix}` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': p.logGroups.map((g) => `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${g}`) } },
      },
    ],
  });
}

/** Every log group of a cluster lives under this prefix (EKS's own control-plane group is `<prefix>/cluster`). */
export const eksLogGroupPrefix = (clusterName: string): string => `/aws/eks/${clusterName}`;
