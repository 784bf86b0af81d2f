/**
 * `npm run synth` end to end (the compiled app, as users run it): every target and stack is written; two runs give
 * the same bytes; bad input exits non-zero with one line per problem and leaves the previous output untouched.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const SYNTH = join(ROOT, 'build', 'bin', 'synth.js');

function run(dir: string, env: Record<string, string> = {}, extra: string[] = []) {
  const r = spawnSync(process.execPath, [SYNTH, '--dist', join(dir, 'dist'), '--tf-out', join(dir, 'cdktf.out'), ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, DYNAMO_IAC_CONFIG: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Path -> sha256 of every file under dir. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const prefixed = (t: Record<string, string>, prefix: string) => Object.fromEntries(Object.entries(t).map(([k, v]) => [join(prefix, k), v]));

describe('synth CLI', () => {
  it('is built (npm test runs the build first)', () => {
    expect(existsSync(SYNTH), `${SYNTH} is missing: run npm run build`).toBe(true);
  });

  it('writes every target and stack, and the same bytes twice', () => {
    const a = mkdtempSync(join(tmpdir(), 'synth-a-'));
    const b = mkdtempSync(join(tmpdir(), 'synth-b-'));
    expect(run(a).code).toBe(0);
    expect(run(b).code).toBe(0);
    const ta = tree(a);
    for (const t of ['local', 'eks', 'aks', 'gke']) expect(Object.keys(ta).some((p) => p.startsWith(`dist/${t}/`))).toBe(true);
    for (const s of ['eks', 'aks', 'gke']) expect(ta[`cdktf.out/stacks/${s}/cdk.tf.json`]).toBeDefined();
    expect(tree(b)).toEqual(ta);
    // and again into the same folder (the swap path)
    expect(run(a).code).toBe(0);
    expect(tree(a)).toEqual(ta);
  });

  it('writes the goldens: the one-shot settings (compile cache empty and filled, V8 tiering, zod without JIT) change no byte, nor does turning them off', () => {
    const golden = join(ROOT, 'test', 'golden', '__golden__');
    const want = { ...prefixed(tree(join(golden, 'dist')), 'dist'), ...prefixed(tree(join(golden, 'cdktf.out')), 'cdktf.out') };
    const cache = mkdtempSync(join(tmpdir(), 'synth-golden-cache-'));
    const settings = { DYNAMO_IAC_ONE_SHOT: '', DYNAMO_IAC_COMPILE_CACHE: cache };
    for (const env of [settings, settings, { DYNAMO_IAC_ONE_SHOT: 'off' }]) {
      const dir = mkdtempSync(join(tmpdir(), 'synth-golden-'));
      expect(run(dir, env).code).toBe(0);
      const got = tree(dir);
      // Every dist file is a golden one; of cdktf.out, the stacks' JSON (its manifest and chart assets are not golden).
      expect(Object.keys(got).filter((k) => k.startsWith('dist/')).sort()).toEqual(Object.keys(want).filter((k) => k.startsWith('dist/')).sort());
      expect(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]))).toEqual(want);
    }
    expect(readdirSync(cache)).toEqual([`${process.version}-${process.arch}`]);
  });

  it('bad input: exit 1, every problem on its own line, nothing written, the old output kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-bad-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'previous.k8s.yaml'), 'kept: true\n');
    writeFileSync(join(dir, 'bad.yaml'), 'platform:\n  etcd: { replicas: 2 }\n  nats: { replica: 3 }\n');
    const r = run(dir, { DYNAMO_IAC_CONFIG: join(dir, 'bad.yaml') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  - platform.etcd.replicas: must be odd and at least 1, got 2\n');
    expect(r.stderr).toContain('  - platform.nats.replica: unknown key (did you mean "replicas"?)\n');
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(join(dir, 'dist'))).toEqual(['previous.k8s.yaml']);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no staging folder left behind
  });

  it('a missing config file is one line, not a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-missing-'));
    const r = run(dir, { DYNAMO_IAC_CONFIG: join(dir, 'nope.yaml') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`DYNAMO_IAC_CONFIG=${join(dir, 'nope.yaml')}: cannot read the file (ENOENT)`);
  });

  it('a pinned Kubernetes minor past its end of standard support is a warning on stderr, not a failure (DYNAMO_IAC_NOW sets the clock)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-eos-'));
    const late = run(dir, { DYNAMO_IAC_NOW: '2099-01-01' }, ['--only', 'k8s']);
    expect(late.code).toBe(0);
    expect(late.stderr).toMatch(/^warning: EKS Kubernetes \d+\.\d+ .* is past the end of standard support/m);
    expect(late.stderr.match(/^warning: /gm)).toHaveLength(3);
    const early = run(dir, { DYNAMO_IAC_NOW: '2026-11-30' }, ['--only', 'k8s']);
    expect(early.code).toBe(0);
    expect(early.stderr).not.toContain('warning:');
    expect(run(dir, { DYNAMO_IAC_NOW: 'someday' }, ['--only', 'k8s']).stderr).toContain('DYNAMO_IAC_NOW: must be an ISO date');
  });

  it('a public API endpoint open to 0.0.0.0/0 is a warning on stderr, not a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-open-'));
    writeFileSync(join(dir, 'spec.yaml'), 'targets: { gke: { cluster: { network: { publicEndpoint: true, publicAccessCidrs: [0.0.0.0/0] } } } }\n');
    const r = run(dir, { DYNAMO_IAC_CONFIG: join(dir, 'spec.yaml'), DYNAMO_IAC_NOW: '2026-11-30' }, ['--only', 'k8s']);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^warning: .*/gm)).toEqual([expect.stringContaining('publicAccessCidrs of target gke opens the Kubernetes API endpoint to the whole internet (0.0.0.0/0)')]);
  });

  it('a JSON spec file works like YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-json-'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ platform: { namespace: 'inference-platform' } }));
    expect(run(dir, { DYNAMO_IAC_CONFIG: join(dir, 'spec.json') }, ['--only', 'k8s']).code).toBe(0);
    expect(readFileSync(join(dir, 'dist', 'local', '00-namespace.k8s.yaml'), 'utf8')).toContain('name: inference-platform');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });
});
