/**
 * `npm run scan` fails on what a scanner must catch: a privileged pod planted in a copy of a Kubernetes target and
 * a security group open on port 22 to the world planted in a copy of the EKS stack JSON. Every other failed check in
 * the copies stays accepted, so the accepted list and the annotations name objects, not whole checks.
 * Needs the pinned checkov in .venv-scan/ (`node build/bin/scan.js --install`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CHECKOV } from '../../spec/scanner-version.js';
import { installedCheckov } from '../../tools/scan/checkov.js';
import { available, ROOT } from '../support/env.js';
import { stackJson } from '../support/stack-json.js';
import { specsFrom, synthSpec } from '../support/synth.js';

const run = available(`checkov ${CHECKOV.version} in .venv-scan/`, installedCheckov(ROOT) === CHECKOV.version, 'node build/bin/scan.js --install');

const PRIVILEGED_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'planted-privileged', namespace: 'dynamo-system' },
  spec: { containers: [{ name: 'root', image: 'busybox:1.36', securityContext: { privileged: true } }] },
};

describe.runIf(run)('npm run scan on planted known-bad objects', () => {
  let out = '';
  let status: number | null = null;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    // A copy of the eks target's NATS file (a small, fully accepted one) plus a privileged pod.
    const nats = synthSpec(specsFrom().eks, (p) => p.endsWith('20-nats.k8s.yaml')).files[0]!;
    mkdirSync(join(dir, 'dist', 'eks'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'eks', '20-nats.k8s.yaml'), `${nats.content}---\n${stringify(PRIVILEGED_POD)}`);
    // A copy of the EKS stack plus a security group that lets the world in on SSH.
    const stack = stackJson<{ resource: Record<string, Record<string, unknown>> }>('eks');
    stack.resource['aws_security_group'] = {
      ...stack.resource['aws_security_group'],
      planted_ssh: {
        name: 'planted-ssh',
        description: 'planted by the scan test',
        vpc_id: 'vpc-0123456789abcdef0',
        ingress: [{ description: 'ssh from anywhere', from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }],
      },
    };
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'eks'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'eks', 'cdk.tf.json'), JSON.stringify(stack, null, 2));
    const r = spawnSync('node', [join(ROOT, 'build', 'bin', 'scan.js'), '--dist', join(dir, 'dist'), '--tf-out', join(dir, 'cdktf.out')], { encoding: 'utf8' });
    out = r.stdout + r.stderr;
    status = r.status;
  }, 180_000);

  it('exits 1', () => {
    expect(status, out).toBe(1);
  });

  it('names the privileged pod (CKV_K8S_16) and the SSH security group (CKV_AWS_24)', () => {
    expect(out).toMatch(/FAILED CKV_K8S_16 kubernetes eks Pod\.dynamo-system\.planted-privileged /);
    expect(out).toMatch(/FAILED CKV_AWS_24 terraform_json eks \S*planted_ssh\S* /);
  });

  it('fails only on the planted objects: the copied ones stay accepted', () => {
    const failed = out.split('\n').filter((l) => l.includes('FAILED '));
    expect(failed.length).toBeGreaterThan(1);
    for (const l of failed) expect(l).toMatch(/planted/);
  });
});

describe.runIf(run)('npm run scan on a file checkov cannot read', () => {
  it('counts it as a parsing error, names it and exits 1 (checkov itself skips it silently)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-yaml-'));
    mkdirSync(join(dir, 'dist', 'local'), { recursive: true });
    // A plain `=` is YAML 1.1's !!value, which PyYAML's safe loader cannot build: the whole file would go unscanned.
    writeFileSync(join(dir, 'dist', 'local', '70-observability.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\ndata:\n  matchType: =\n');
    const r = spawnSync('node', [join(ROOT, 'build', 'bin', 'scan.js'), '--dist', join(dir, 'dist'), '--tf-out', join(dir, 'none')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/kubernetes local: 1 file\(s\) checkov could not parse: 70-observability\.k8s\.yaml: could not determine a constructor for the tag 'tag:yaml\.org,2002:value'/);
  });
});
