/**
 * Names of AWS resources derived from the cluster name. Each service caps its names (IAM roles and EventBridge rules
 * 64 characters, SQS queues 80): a name that would be longer keeps its readable suffix, cuts the cluster name and
 * inserts a hash of the full name, so two long names never collide and the same spec always gives the same name.
 */
import { createHash } from 'node:crypto';

/** The caps of the names we derive (IAM `CreateRole` RoleName, EventBridge `PutRule` Name, SQS `CreateQueue` QueueName). */
export const AWS_NAME_MAX = { iamRole: 64, eventRule: 64, sqsQueue: 80 } as const;

const HASH_LENGTH = 8;

/** `<clusterName>-<suffix>`, or `<cut clusterName>-<hash>-<suffix>` when that would exceed `max` characters. */
export function awsName(clusterName: string, suffix: string, max: number): string {
  // A Terraform reference renders as a placeholder whose length says nothing of the name's (and cutting it breaks it).
  if (clusterName.includes('${')) throw new Error(`awsName: "${clusterName}" is a Terraform reference; pass the literal cluster name`);
  const full = `${clusterName}-${suffix}`;
  if (full.length <= max) return full;
  const keep = max - suffix.length - HASH_LENGTH - 2;
  if (keep < 1) throw new Error(`awsName: suffix "${suffix}" leaves no room for the cluster name in ${max} characters`);
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  return `${clusterName.slice(0, keep).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** EC2 (and Auto Scaling group) tag keys have at most 128 characters. */
export const AWS_TAG_KEY_MAX = 128;

/** Tag prefix of the cluster-autoscaler's auto-discovery and node templates (cloudprovider/aws/README.md). */
export const CLUSTER_AUTOSCALER_TAG_PREFIX = 'k8s.io/cluster-autoscaler';

/** The Auto Scaling group tag that advertises a node label or taint to the cluster-autoscaler. */
export const nodeTemplateTagKey = (kind: 'label' | 'taint', key: string): string => `${CLUSTER_AUTOSCALER_TAG_PREFIX}/node-template/${kind}/${key}`;
