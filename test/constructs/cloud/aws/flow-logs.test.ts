/**
 * The EKS stack's log groups and VPC flow logs. CloudWatch Logs refuses to associate a log group with a KMS key whose
 * policy does not admit the regional logs service principal for that group's ARN (AWS CloudWatch Logs guide), so every
 * encrypted log group must match a pattern of the key policy's CloudWatch Logs statement; the key policy keeps KMS's
 * default statement (the account administers the key through IAM, which EKS, EFS, FSx and ECR rely on). The VPC the
 * stack creates logs every flow through a role that may write to that one group; a brought VPC gets no flow log.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';
import { TfGraph, type TfJson } from '../../../support/tf-graph.js';

function graphOf(yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), 'eks-logs-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', 'eks', 'cdk.tf.json'), 'utf8')) as TfJson);
}

interface Statement { Sid?: string; Principal: { AWS?: string; Service?: string }; Action: string | string[]; Resource: string | string[]; Condition?: { ArnLike: Record<string, string[]> } }
const statements = (policy: unknown): Statement[] => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
/** An IAM ArnLike pattern (`*` any run, `?` one character) as a RegExp. */
const arnLike = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

describe('EKS log groups and VPC flow logs', () => {
  const g = graphOf();
  const [key] = g.ofType('aws_kms_key');
  const policy = statements(g.body(key!)['policy']);
  const logs = policy.find((s) => s.Principal.Service !== undefined)!;

  it('the key policy keeps KMS\'s default statement and admits CloudWatch Logs of this region only by log group ARN', () => {
    expect(policy.find((s) => s.Principal.AWS !== undefined)).toMatchObject({ Principal: { AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:iam::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:root$/) }, Action: 'kms:*' });
    expect(logs.Principal.Service).toMatch(/^logs\.us-west-2\.\$\{data\.aws_partition\.[^}]+\.dns_suffix\}$/);
    expect(Object.keys(logs.Condition!.ArnLike)).toEqual(['kms:EncryptionContext:aws:logs:arn']);
  });

  it('every log group is encrypted with the key, and its ARN matches the key policy\'s CloudWatch Logs condition', () => {
    const groups = g.ofType('aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThanOrEqual(2);
    const patterns = logs.Condition!.ArnLike['kms:EncryptionContext:aws:logs:arn']!.map((p) => arnLike(p.replace(/\$\{[^}]+\}/g, 'X')));
    for (const a of groups) {
      const body = g.body(a);
      expect(body['kms_key_id'], a).toBe(`\${${key}.arn}`);
      const arn = `arn:X:logs:us-west-2:X:log-group:${String(body['name'])}`;
      expect(patterns.some((p) => p.test(arn)), `${a} (${String(body['name'])}) is not admitted by the key policy`).toBe(true);
    }
  });

  it('the VPC logs every flow into its group, through a role that writes to that group only', () => {
    const [flow] = g.ofType('aws_flow_log');
    const body = g.body(flow!);
    expect(body).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    expect(String(body['vpc_id'])).toMatch(/^\$\{aws_vpc\./);
    const group = /^\$\{(aws_cloudwatch_log_group\.[^.]+)\.arn\}$/.exec(String(body['log_destination']))![1]!;
    const role = /^\$\{(aws_iam_role\.[^.]+)\.arn\}$/.exec(String(body['iam_role_arn']))![1]!;
    expect(statements(g.body(role)['assume_role_policy'])[0]!.Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    const inline = statements((g.body(role)['inline_policy'] as { policy: string }[])[0]!.policy);
    for (const s of inline.filter((x) => [x.Action].flat().some((a) => /Put|Create/.test(a)))) {
      expect([s.Resource].flat().every((r) => r.startsWith(`\${${group}.arn}`)), JSON.stringify(s)).toBe(true);
    }
  });

  it('the role trusts VPC Flow Logs only for flow logs of this account and region (the AWS guide\'s confused-deputy condition)', () => {
    const [flow] = g.ofType('aws_flow_log');
    const role = /^\$\{(aws_iam_role\.[^.]+)\.arn\}$/.exec(String(g.body(flow!)['iam_role_arn']))![1]!;
    const [trust, ...more] = statements(g.body(role)['assume_role_policy']) as (Statement & { Condition: { StringEquals: Record<string, string>; ArnLike: Record<string, string> } })[];
    expect(more).toEqual([]);
    const account = trust!.Condition.StringEquals['aws:SourceAccount']!;
    expect(account).toMatch(/^\$\{data\.aws_caller_identity\.[^}]+\.account_id\}$/);
    const sourceArn = trust!.Condition.ArnLike['aws:SourceArn']!;
    expect(sourceArn).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:ec2:/);
    expect(sourceArn.split(account).length - 1, 'the source ARN names the same account').toBe(1);
    // This flow log's ARN matches; another region's or account's does not.
    const pattern = arnLike(sourceArn.replace(account, '123456789012').replace(/\$\{[^}]+\}/g, 'aws'));
    expect(pattern.test('arn:aws:ec2:us-west-2:123456789012:vpc-flow-log/fl-0123456789abcdef0')).toBe(true);
    expect(pattern.test('arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-0123456789abcdef0')).toBe(false);
    expect(pattern.test('arn:aws:ec2:us-west-2:210987654321:vpc-flow-log/fl-0123456789abcdef0')).toBe(false);
  });

  it('a brought VPC gets no flow log from the stack', () => {
    const byo = graphOf('targets: { eks: { cluster: { network: { existing: { networkId: vpc-0abc, subnetIds: [subnet-1, subnet-2] } } } } }');
    expect(byo.ofType('aws_flow_log')).toEqual([]);
  });
});
