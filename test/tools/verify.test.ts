/**
 * `verify` against recorded `kubectl get ... -o json` answers through an injected kubectl runner: a healthy EKS
 * deployment passes every row; a crash-looping worker, an unbound claim, a missing token Secret, a down Prometheus
 * target and a missing NATS server each fail the row they concern (with the pod, claim or command named), while
 * WARN rows (an unreachable Prometheus, a claim nobody mounts) leave the exit code alone; an unreachable cluster is
 * one failed row. The token Secret is only ever looked up by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../spec/load.js';
import type { Spec } from '../../spec/schema.js';
import { hfTokenCommand } from '../../tools/benchmark.js';
import { kube, type KubectlResult, type KubectlRunner } from '../../tools/kubectl.js';
import { type Check, failed, renderChecks } from '../../tools/preflight.js';
import { isNotFound, verify } from '../../tools/verify.js';
import { ROOT } from '../support/env.js';

const fixture = (name: string): string => readFileSync(join(ROOT, 'test', 'tools', 'fixtures', `${name}.json`), 'utf8');
const ok = (stdout: string): KubectlResult => ({ ok: true, stdout, stderr: '' });
const EMPTY = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] });
const TOKEN = 'hf_doNotLeakThisValue42';

const spec: Spec = loadSpecs({})['eks'];

const KEYS = {
  platformPods: 'get pods -n dynamo-system -o json',
  workloadPods: 'get pods -n dynamo-workloads -o json',
  dgds: 'get dynamographdeployments.nvidia.com -n dynamo-workloads -o json',
  targets: 'get --raw /api/v1/namespaces/monitoring/services/kube-prometheus-stack-prometheus:9090/proxy/api/v1/targets?state=active',
  platformPvcs: 'get persistentvolumeclaims -n dynamo-system -o json',
  workloadPvcs: 'get persistentvolumeclaims -n dynamo-workloads -o json',
  secret: 'get secret hf-token-secret -n dynamo-workloads -o name',
} as const;

/** Answers by joined args; a string is a fixture name. The defaults are a healthy EKS deployment. */
type Cluster = Partial<Record<keyof typeof KEYS, string | KubectlResult>>;
const HEALTHY: Required<Cluster> = {
  platformPods: 'verify-pods-platform-healthy',
  workloadPods: 'verify-pods-workloads-healthy',
  dgds: 'verify-dgds-healthy',
  targets: 'verify-prometheus-targets-up',
  platformPvcs: 'verify-pvcs-platform-bound',
  workloadPvcs: 'verify-pvcs-workloads-bound',
  secret: ok('secret/hf-token-secret\n'),
};

/** A fake kubectl; records every call. Whoever asks for a Secret's content gets the token, so a leak would show. */
function cluster(c: Cluster = {}): { runner: KubectlRunner; calls: string[] } {
  const calls: string[] = [];
  const answers = { ...HEALTHY, ...c };
  const runner: KubectlRunner = (args) => {
    const key = args.join(' ');
    calls.push(key);
    if (/\bsecrets?\b/.test(key) && !key.endsWith('-o name')) return ok(JSON.stringify({ kind: 'Secret', data: { HF_TOKEN: Buffer.from(TOKEN).toString('base64') }, stringData: { HF_TOKEN: TOKEN } }));
    const entry = Object.entries(KEYS).find(([, k]) => k === key);
    if (!entry) throw new Error(`unexpected kubectl call: ${key}`);
    const a = answers[entry[0] as keyof typeof KEYS];
    return typeof a === 'string' ? ok(a.startsWith('{') ? a : fixture(a)) : a;
  };
  return { runner, calls };
}

function run(c: Cluster = {}, s: Spec = spec): { checks: Check[]; calls: string[]; row: (name: string) => Check } {
  const k = cluster(c);
  const checks = verify(kube(k.runner), s);
  return { checks, calls: k.calls, row: (name) => checks.find((x) => x.name === name) ?? expect.unreachable(`no row "${name}"`) };
}

const PLATFORM_CLAIMS = ['nats', 'etcd'].flatMap((w) => [0, 1, 2].map((i) => `claim dynamo-system/data-dynamo-platform-${w}-${i}`));

describe('verify', () => {
  it('a healthy EKS deployment passes every row, in the order of the checklist', () => {
    const { checks, calls, row } = run();
    expect(checks.map((c) => c.name)).toEqual([
      'Dynamo operator',
      'NATS',
      'etcd',
      'graph vllm-agg',
      'graph vllm-disagg',
      'Prometheus targets',
      ...PLATFORM_CLAIMS,
      'claim dynamo-workloads/model-cache',
      'Hugging Face token Secret',
    ]);
    expect(checks.filter((c) => c.status !== 'PASS')).toEqual([]);
    expect(failed(checks)).toBe(false);
    expect(row('NATS').detail).toBe('3 of 3 ready');
    expect(row('Dynamo operator').detail).toBe('1 of 1 ready');
    expect(row('graph vllm-agg').detail).toBe('Frontend 1/1, VllmWorker 1/1 ready; state successful');
    expect(row('graph vllm-disagg').detail).toBe('Frontend 1/1, VllmPrefillWorker 1/1, VllmDecodeWorker 1/1 ready; state successful');
    // kube-proxy's target is down, but it is not ours; DCGM's is ours and not scraped yet.
    expect(row('Prometheus targets').detail).toBe('5 of ours up (1 not scraped yet)');
    // The access pod has finished: it does not count as mounting the cache.
    expect(row('claim dynamo-workloads/model-cache').detail).toBe('Bound, mounted by vllm-agg-0-vllmworker-9fj3d and 2 more');
    expect(row('claim dynamo-system/data-dynamo-platform-nats-1').detail).toBe('Bound, mounted by dynamo-platform-nats-1');
    expect(row('Hugging Face token Secret').detail).toBe('dynamo-workloads/hf-token-secret exists');
    const table = renderChecks(checks);
    expect(table.split('\n')[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    expect(table).not.toContain('hints:');
    // Each list is asked for once, even though several rows use it.
    expect(calls.filter((c) => c === KEYS.workloadPods)).toHaveLength(1);
  });

  it('a crash-looping worker fails its graph, naming the pod, the reason and the logs to read', () => {
    const { checks, row } = run({ workloadPods: 'verify-pods-workloads-crashloop', dgds: 'verify-dgds-disagg-pending' });
    const g = row('graph vllm-disagg');
    expect(g.status).toBe('FAIL');
    expect(g.detail).toContain('vllm-disagg-0-vllmdecodeworker-b6r9z (CrashLoopBackOff, last exit Error, 7 restarts)');
    expect(g.detail).toContain('VllmDecodeWorker 0/1');
    expect(g.detail).toContain('state pending');
    expect(g.hint).toBe('kubectl -n dynamo-workloads logs vllm-disagg-0-vllmdecodeworker-b6r9z -c main --previous');
    expect(row('graph vllm-agg').status).toBe('PASS');
    expect(checks.filter((c) => c.status === 'FAIL').map((c) => c.name)).toEqual(['graph vllm-disagg']);
    expect(failed(checks)).toBe(true);
    expect(renderChecks(checks)).toContain('  FAIL graph vllm-disagg: kubectl -n dynamo-workloads logs vllm-disagg-0-vllmdecodeworker-b6r9z -c main --previous');
  });

  it('an unbound claim fails, naming the claim, its phase and class; the workers waiting on it fail as Unschedulable', () => {
    const { checks, row } = run({ workloadPvcs: 'verify-pvcs-workloads-pending', workloadPods: 'verify-pods-workloads-unbound' });
    const claim = row('claim dynamo-workloads/model-cache');
    expect(claim).toMatchObject({ status: 'FAIL', detail: 'Pending (storage class efs-model-cache)' });
    expect(claim.hint).toContain('kubectl -n dynamo-workloads describe pvc model-cache');
    expect(claim.hint).toContain('kubectl get storageclass efs-model-cache');
    const g = row('graph vllm-agg');
    expect(g.status).toBe('FAIL');
    expect(g.detail).toContain('vllm-agg-0-vllmworker-9fj3d (Unschedulable)');
    expect(g.hint).toBe('kubectl -n dynamo-workloads describe pod vllm-agg-0-vllmworker-9fj3d');
    for (const name of PLATFORM_CLAIMS) expect(row(name).status).toBe('PASS');
    expect(failed(checks)).toBe(true);
  });

  it('a Bound claim that no Running pod mounts is a warning; graphs without pods fail', () => {
    const { checks, row } = run({ workloadPods: EMPTY });
    expect(row('claim dynamo-workloads/model-cache')).toMatchObject({ status: 'WARN', detail: 'Bound, mounted by no Running pod' });
    expect(row('graph vllm-agg')).toMatchObject({ status: 'FAIL', detail: 'no pods; state successful' });
    expect(row('graph vllm-agg').hint).toContain('kubectl -n dynamo-workloads describe dynamographdeployment vllm-agg');
    expect(checks.filter((c) => c.status === 'FAIL').map((c) => c.name)).toEqual(['graph vllm-agg', 'graph vllm-disagg']);
  });

  it('a missing NATS server fails NATS with the manifest to apply; its idle claim only warns', () => {
    const pods = JSON.parse(fixture('verify-pods-platform-healthy')) as { items: { metadata: { name: string } }[] };
    pods.items = pods.items.filter((p) => p.metadata.name !== 'dynamo-platform-nats-2');
    const { row } = run({ platformPods: JSON.stringify(pods) });
    expect(row('NATS')).toMatchObject({ status: 'FAIL', detail: '2 of 3 ready (1 missing)' });
    expect(row('NATS').hint).toBe('kubectl apply -f dist/eks/20-nats.k8s.yaml; kubectl -n dynamo-system describe statefulset dynamo-platform-nats');
    expect(row('etcd').status).toBe('PASS');
    expect(row('claim dynamo-system/data-dynamo-platform-nats-2').status).toBe('WARN');
  });

  it('a missing token Secret fails with the documented create command; its value never reaches the output', () => {
    const notFound = { ok: false, stdout: '', stderr: 'Error from server (NotFound): secrets "hf-token-secret" not found\n' };
    expect(isNotFound(notFound.stderr)).toBe(true);
    const { checks, calls, row } = run({ secret: notFound });
    expect(row('Hugging Face token Secret')).toEqual({
      name: 'Hugging Face token Secret',
      status: 'FAIL',
      detail: 'dynamo-workloads/hf-token-secret is missing: workers cannot download gated models',
      hint: hfTokenCommand(spec),
    });
    expect(checks.filter((c) => c.status === 'FAIL')).toHaveLength(1);
    expect(failed(checks)).toBe(true);
    const healthy = run();
    for (const r of [{ checks, calls }, healthy]) {
      expect(`${renderChecks(r.checks)}\n${JSON.stringify(r.checks)}`).not.toContain(TOKEN);
      expect(r.calls.filter((c) => /secret/.test(c))).toEqual([KEYS.secret]);
    }
  });

  it('a Secret lookup that is denied is a warning, not a missing Secret or a tool error', () => {
    const denied = { ok: false, stdout: '', stderr: 'Error from server (Forbidden): secrets "hf-token-secret" is forbidden: User "dev" cannot get resource "secrets"\n' };
    expect(isNotFound(denied.stderr)).toBe(false);
    const { checks, row } = run({ secret: denied });
    expect(row('Hugging Face token Secret').status).toBe('WARN');
    expect(row('Hugging Face token Secret').detail).toContain('access denied');
    expect(failed(checks)).toBe(false);
  });

  it('a target of ours down fails the Prometheus row, naming the pod and the scrape error', () => {
    const { row } = run({ targets: 'verify-prometheus-targets-down' });
    expect(row('Prometheus targets')).toMatchObject({
      status: 'FAIL',
      detail: '1 of 6 down: vllm-disagg-0-vllmdecodeworker-b6r9z (dynamo-workloads/dynamo-worker): Get "http://10.0.3.41:9090/metrics": dial tcp 10.0.3.41:9090: connect: connection refused',
    });
    expect(row('Prometheus targets').hint).toBe('kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090, then open http://localhost:9090/targets');
  });

  it('an unreachable Prometheus is a warning with a hint; monitoring off skips the row and the query', () => {
    const unavailable = { ok: false, stdout: '', stderr: 'Error from server (ServiceUnavailable): the server is currently unable to handle the request\n' };
    const { checks, row } = run({ targets: unavailable });
    expect(row('Prometheus targets').status).toBe('WARN');
    expect(row('Prometheus targets').detail).toContain('Prometheus not reachable at monitoring/kube-prometheus-stack-prometheus:9090');
    expect(row('Prometheus targets').hint).toContain('is kube-prometheus-stack running?');
    expect(failed(checks)).toBe(false);
    const off = run({}, { ...spec, observability: { ...spec.observability, enabled: false } });
    expect(off.checks.map((c) => c.name)).not.toContain('Prometheus targets');
    expect(off.calls.some((c) => c.includes('--raw'))).toBe(false);
  });

  it('graphs fail when the DynamoGraphDeployment CRD is missing, or the graph was never applied', () => {
    const noCrd = run({ dgds: { ok: false, stdout: '', stderr: 'error: the server doesn\'t have a resource type "dynamographdeployments"' } });
    expect(noCrd.row('graph vllm-agg')).toMatchObject({ status: 'FAIL', detail: 'the DynamoGraphDeployment CRD is not installed' });
    expect(noCrd.row('graph vllm-agg').hint).toContain('install the dynamo-crds chart');
    const notApplied = run({ dgds: EMPTY });
    expect(notApplied.row('graph vllm-disagg')).toMatchObject({ status: 'FAIL', detail: 'no DynamoGraphDeployment vllm-disagg in dynamo-workloads', hint: 'kubectl apply -f dist/eks/50-graph-vllm-disagg.k8s.yaml' });
  });

  it('an unreachable cluster is one failed row with a hint, and nothing else is asked', () => {
    const { checks, calls } = run({ platformPods: { ok: false, stdout: '', stderr: 'E0530 12:00:00.000000   123 memcache.go:265] couldn\'t get current server API group list: Get "https://10.0.0.1:443/api": dial tcp 10.0.0.1:443: i/o timeout\nUnable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout\n' } });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'cluster reachable', status: 'FAIL', hint: 'fix the kubectl context, then run verify again' });
    expect(checks[0]!.detail).toMatch(/^the cluster is unreachable \(Unable to connect to the server/);
    expect(failed(checks)).toBe(true);
    expect(calls).toEqual([KEYS.platformPods]);
  });
});
