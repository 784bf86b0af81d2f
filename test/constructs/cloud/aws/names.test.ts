/**
 * AWS name limits: with the longest cluster name the spec allows (40 characters) and the longest pool name (32), on
 * both autoscaler paths, every name, tag key and tag value of the EKS stack is within its service's limit. The table
 * is the AWS rule (API reference of each service); a resource type with a name attribute the table does not know
 * fails the test, so a new resource cannot slip past it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { awsName } from '../../../../spec/profile/aws-names.js';
import type { CloudSpec, Spec } from '../../../../spec/schema.js';
import { targetManifests } from '../../../../stacks/app.js';
import { EksStack } from '../../../../stacks/eks-stack.js';
import { problemsOf, specsFrom } from '../../../support/synth.js';

/**
 * Resource type -> name attribute -> most characters AWS accepts. `name_prefix` leaves room for the 26 characters
 * Terraform appends (launch template names: 128).
 */
const NAME_LIMITS: Record<string, Record<string, number>> = {
  aws_iam_role: { name: 64 }, // IAM CreateRole RoleName
  aws_cloudwatch_event_rule: { name: 64 }, // EventBridge PutRule Name
  aws_cloudwatch_event_target: { target_id: 64 }, // EventBridge Target Id
  aws_sqs_queue: { name: 80 }, // SQS CreateQueue QueueName
  aws_eks_cluster: { name: 100 }, // EKS CreateCluster name
  aws_eks_node_group: { node_group_name: 63 }, // EKS CreateNodegroup nodegroupName
  aws_eks_addon: { addon_name: 100 },
  aws_launch_template: { name_prefix: 128 - 26 }, // EC2 LaunchTemplateName 128
  aws_placement_group: { name: 255 }, // EC2 CreatePlacementGroup GroupName
  aws_security_group: { name: 255 }, // EC2 CreateSecurityGroup GroupName
  aws_cloudwatch_log_group: { name: 512 }, // CloudWatch Logs logGroupName
  aws_efs_file_system: { creation_token: 64 }, // EFS CreateFileSystem CreationToken
  aws_ecr_repository: { name: 256 }, // ECR repositoryName
  aws_kms_alias: { name: 256 }, // KMS AliasName
  helm_release: { name: 53 }, // Helm release names
};
/** Attributes that name the resource they belong to (cluster_name, role and the like refer to another). */
const NAME_ATTRIBUTES = ['name', 'name_prefix', 'node_group_name', 'creation_token', 'target_id', 'addon_name'];
/** EC2 and Auto Scaling tags: keys at most 128 characters, values at most 256. */
const TAG = { key: 128, value: 256 };
/** IAM inline policy names: at most 128. */
const INLINE_POLICY_NAME = 128;

type Resource = Record<string, unknown>;
const LONG_CLUSTER = 'dynamo-inference-production-cluster-0001';
const LONG_POOL = 'h100-efa-training-and-inference1';

function synth(yaml: string): Record<string, Record<string, Resource>> {
  const spec = specsFrom(yaml).eks as CloudSpec;
  const out = mkdtempSync(join(tmpdir(), 'eks-names-'));
  const app = new App({ outdir: out });
  new EksStack(app, 'eks', spec, targetManifests(spec as Spec));
  app.synth();
  return (JSON.parse(readFileSync(join(out, 'stacks', 'eks', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Resource>> }).resource;
}

/** Every literal (no Terraform reference) name, tag key and tag value of the stack, each with its limit. */
function namesOf(resources: Record<string, Record<string, Resource>>): { what: string; value: string; max: number }[] {
  const out: { what: string; value: string; max: number }[] = [];
  const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, r] of Object.entries(byId)) {
      for (const attr of NAME_ATTRIBUTES.filter((a) => a in r)) {
        const max = NAME_LIMITS[type]?.[attr];
        expect(max, `${type}.${attr}: add its limit to NAME_LIMITS`).toBeDefined();
        if (literal(r[attr])) out.push({ what: `${type}.${id}.${attr}`, value: r[attr], max: max! });
      }
      for (const [k, v] of Object.entries((r['tags'] as Record<string, string> | undefined) ?? {})) {
        out.push({ what: `${type}.${id}.tags key`, value: k, max: TAG.key }, { what: `${type}.${id}.tags["${k}"]`, value: v, max: TAG.value });
      }
      const tag = type === 'aws_ec2_tag' ? r : type === 'aws_autoscaling_group_tag' ? (r['tag'] as Resource) : undefined;
      if (tag && literal(tag['key'])) out.push({ what: `${type}.${id} key`, value: tag['key'], max: TAG.key });
      if (tag && literal(tag['value'])) out.push({ what: `${type}.${id} value`, value: tag['value'], max: TAG.value });
      for (const p of (r['inline_policy'] as { name: string }[] | undefined) ?? []) out.push({ what: `${type}.${id} inline policy`, value: p.name, max: INLINE_POLICY_NAME });
    }
  }
  return out;
}

const POOLS = `gpuPools: { ${LONG_POOL}: { instanceType: p5.48xlarge, accelerator: nvidia-h100-80gb, gpusPerNode: 8, capacity: on-demand, fastNetwork: FAST, minNodes: 0, maxNodes: 2, labels: {}, taints: [] } }`;

describe('every AWS name of the EKS stack fits its service\'s limit, with a 40-character cluster name', () => {
  it('the cluster name and pool name are the longest the spec allows', () => {
    expect(LONG_CLUSTER).toHaveLength(40);
    expect(LONG_POOL).toHaveLength(32);
    expect(problemsOf(`targets: { eks: { cluster: { name: ${LONG_CLUSTER}x } } }`).join('\n')).toMatch(/cluster\.name/);
    expect(problemsOf(`targets: { eks: { cluster: { name: ${LONG_CLUSTER} } } }`)).toEqual([]);
  });

  it.each([
    ['cluster-autoscaler (EFA pool, EFS)', `targets: { eks: { cluster: { name: ${LONG_CLUSTER}, ${POOLS.replace('FAST', 'true')}, registry: { enabled: true } } } }`],
    ['karpenter (FSx for Lustre, logs)', `targets: { eks: { cluster: { name: ${LONG_CLUSTER}, autoscaler: karpenter, ${POOLS.replace('FAST', 'false')}, modelStorage: { kind: lustre }, logs: { enabled: true } } } }`],
  ])('%s', (_, yaml) => {
    const tf = synth(yaml);
    const names = namesOf(tf);
    expect(names.length).toBeGreaterThan(20);
    const tooLong = names.filter((n) => n.value.length > n.max).map((n) => `${n.what} = "${n.value}" (${n.value.length} > ${n.max})`);
    expect(tooLong).toEqual([]);
    // Distinct resources keep distinct names after shortening.
    const rules = names.filter((n) => n.what.startsWith('aws_cloudwatch_event_rule.')).map((n) => n.value);
    const roles = names.filter((n) => n.what.startsWith('aws_iam_role.') && n.what.endsWith('.name')).map((n) => n.value);
    for (const list of [rules, roles]) expect(new Set(list).size).toBe(list.length);
    // Every role is measured: none is named through a Terraform reference (whose length cannot be checked).
    expect(roles.length).toBe(Object.keys(tf['aws_iam_role'] ?? {}).length);
  });
});

describe('awsName', () => {
  it('keeps a name that fits, and shortens one that does not to exactly the limit, keeping the suffix and telling clusters apart', () => {
    expect(awsName('short', 'karpenter', 64)).toBe('short-karpenter');
    const a = awsName(LONG_CLUSTER, 'karpenter-capacity-reservation', 64);
    const b = awsName(`${LONG_CLUSTER.slice(0, -1)}2`, 'karpenter-capacity-reservation', 64);
    expect(a).toHaveLength(64);
    expect(a.endsWith('-karpenter-capacity-reservation')).toBe(true);
    expect(a).not.toBe(b);
    expect(awsName(LONG_CLUSTER, 'karpenter-capacity-reservation', 64)).toBe(a);
    expect(() => awsName(LONG_CLUSTER, 'x'.repeat(60), 64)).toThrow(/no room/);
    // A Terraform reference's placeholder has no relation to the name's length: measuring or cutting it is wrong.
    expect(() => awsName('${aws_eks_cluster.c.name}', 'karpenter', 64)).toThrow(/Terraform reference/);
  });
});
