/**
 * `dynamo-iac fault-test` end to end through the command line, offline: the graphs are the DynamoGraphDeployments we
 * synthesize for EKS, their pods carry the labels the operator gives them, kubectl is the recorded runner of the
 * other tools, and the frontend is a real HTTP server on 127.0.0.1 (test/support/fake-frontend.ts) that starts
 * failing when the runner sees the `delete pod`, reached through real local port-forwards (kubectlPortForward
 * running a stand-in kubectl that listens and pipes to it, and ends when its pod is deleted). The clock runs FACTOR times faster than real time, so the seed's
 * real thresholds (99 % / 60 s, 10 % / 180 s) and the real default flags apply, and a 180 s window takes 1.8 s.
 * A request's real latency is multiplied too (15 ms on a busy machine is 1.5 s here): the faults are sized far from
 * the thresholds, measuring runs take `--warmup 30` (a cold first request), and the HA runs `--timeout 300`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpecs } from '../../spec/load.js';
import { runCli } from '../../tools/cli.js';
import { FAULT_SLA } from '../../tools/fault-sla.js';
import { FAULT_TEST_FLAGS, FAULT_TEST_USAGE, type FaultReport } from '../../tools/fault-test.js';
import { findFaultTarget } from '../../tools/fault-target.js';
import { kube, type KubectlAsyncRunner, type KubectlResult, type KubectlRunner } from '../../tools/kubectl.js';
import type { PortForward } from '../../tools/port-forward.js';
import { type FakeFault, type FakeFrontend, fakeFrontend, fastClock, standInPortForward } from '../support/fake-frontend.js';
import { type DgdJson, operatorPodLabels, podLabels } from '../support/operator.js';
import { ROOT } from '../support/env.js';
import { byKind, synthSpec } from '../support/synth.js';

const FACTOR = 100;
const MODEL = 'Qwen/Qwen3-0.6B';
const SPEC = loadSpecs({})['eks'];
const NS = SPEC.workloads.namespace;
const SYNTHESIZED = byKind(synthSpec(SPEC, (p) => p.includes('50-graph-')).objects, 'DynamoGraphDeployment') as unknown as DgdJson[];

/** A synthesized graph, with replicas overridden per service (as a spec with more replicas would emit). */
function graph(name: string, replicas: Record<string, number> = {}): DgdJson {
  const d = structuredClone(SYNTHESIZED.find((x) => x.metadata.name === name)!);
  for (const [s, n] of Object.entries(replicas)) d.spec.services[s]!['replicas'] = n;
  return d;
}

interface PodJson {
  metadata: { name: string; labels: Record<string, string> };
  status: { phase: string; containerStatuses: { name: string; ready: boolean }[] };
}
/** Every pod the operator runs for a graph through Grove (`<graph>-0-<service>-<n>`), Running and Ready. */
const podsOf = (d: DgdJson): PodJson[] =>
  Object.entries(d.spec.services).flatMap(([s, svc]) =>
    Array.from({ length: (svc['replicas'] as number | undefined) ?? 1 }, (_, i) => ({
      metadata: { name: `${d.metadata.name}-0-${s.toLowerCase()}-${'abcdef'[i]}`, labels: { ...operatorPodLabels(d, s), ...podLabels(d, s, true) } },
      status: { phase: 'Running', containerStatuses: [{ name: 'main', ready: true }] },
    })),
  );

const ok = (stdout: string): KubectlResult => ({ ok: true, stdout, stderr: '' });
const notFound = (what: string): KubectlResult => ({ ok: false, stdout: '', stderr: `Error from server (NotFound): ${what} not found` });
const list = (items: unknown[]) => ok(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));

interface Case {
  graphs?: DgdJson[];
  /** The pods of the graph under test; default: podsOf(it). */
  pods?: PodJson[];
  /** The operator's frontend Service exists. @default true */
  frontendService?: boolean;
  fault?: FakeFault;
  baselineFails?: boolean;
  /** GET /v1/models never answers. */
  modelsHang?: boolean;
  /** The port-forward to the surviving frontend pod reports that it ended, once the pod is deleted. */
  forwardDiesAfterDelete?: boolean;
  /** After the delete of a frontend pod: its replacement, Ready this many clock seconds after the delete. */
  replacementReadyAfter?: number;
  /** The `delete pod` takes this long (real ms) to answer. */
  deleteTakesMs?: number;
  /** Ctrl-C this long (real ms) after the delete, or before it (`beforeDelete`). */
  interrupt?: { afterDeleteMs?: number; beforeDelete?: boolean };
}

let server: FakeFrontend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The recorded kubectl of a cluster holding `graphs`, for graph `name`; `onDelete` sees the `delete pod`. */
function recorded(c: Case, name: string, onDelete: (pod: string) => void, clock = fastClock(FACTOR)): { runner: KubectlRunner; calls: string[] } {
  const graphs = c.graphs ?? [graph('vllm-agg'), graph('vllm-disagg')];
  const calls: string[] = [];
  let deleted: { pod: string; at: number } | undefined;
  /** The pods now: the deleted one gone, a replacement of a deleted frontend pod Ready after c.replacementReadyAfter. */
  const podsNow = (g: DgdJson): PodJson[] => {
    const pods = (c.pods ?? podsOf(g)).filter((p) => p.metadata.name !== deleted?.pod);
    if (!deleted?.pod.includes('-frontend-') || c.replacementReadyAfter === undefined) return pods;
    const ready = clock.now() - deleted.at >= c.replacementReadyAfter * 1000;
    const template = podsOf(g).find((p) => p.metadata.name === deleted!.pod)!;
    return [...pods, { metadata: { ...template.metadata, name: template.metadata.name.replace(/-[a-f]$/, '-z') }, status: { phase: 'Running', containerStatuses: [{ name: 'main', ready }] } }];
  };
  const runner: KubectlRunner = (args) => {
    const key = args.join(' ');
    calls.push(key);
    if (key === `get dynamographdeployments.nvidia.com -n ${NS} -o json`) return list(graphs);
    if (key === `get service ${name}-frontend -n ${NS} -o name`) return c.frontendService === false ? notFound(`services "${name}-frontend"`) : ok(`service/${name}-frontend\n`);
    const g = graphs.find((x) => x.metadata.name === name);
    if (g && key === `get pods -n ${NS} -l nvidia.com/dynamo-graph-deployment-name=${name} -o json`) return list(podsNow(g));
    if (key.startsWith('delete pod ')) {
      deleted = { pod: args[2]!, at: clock.now() };
      onDelete(args[2]!);
      return ok(`pod "${args[2]}" deleted\n`);
    }
    throw new Error(`unexpected kubectl call: ${key}`);
  };
  return { runner, calls };
}

/** Runs `fault-test` through runCli against the recorded cluster, the fake frontend and the stand-in port-forwards. */
async function run(argv: string[], c: Case = {}) {
  const name = argv[1]?.startsWith('--') === false ? argv[1] : '';
  const clock = fastClock(FACTOR);
  const fake = await fakeFrontend({ clock, model: MODEL, fault: c.fault ?? { seconds: 0 }, ...(c.baselineFails && { baselineFails: true }), ...(c.modelsHang && { modelsHang: true }) });
  server = fake;
  const forwards = standInPortForward(fake);
  const interrupt = new AbortController();
  let deleted = false;
  const { runner, calls } = recorded(
    c,
    name,
    (pod) => {
      deleted = true;
      fake.deleted();
      forwards.deleted(pod);
      if (c.interrupt?.afterDeleteMs !== undefined) setTimeout(() => interrupt.abort(), c.interrupt.afterDeleteMs);
    },
    clock,
  );
  const duringDelete = { chatsBefore: 0, chatsAfter: 0 };
  const asyncRunner: KubectlAsyncRunner = async (args) => {
    if (args[0] !== 'delete' || !c.deleteTakesMs) return runner(args);
    duringDelete.chatsBefore = fake.seen.chats;
    await new Promise((r) => setTimeout(r, c.deleteTakesMs));
    duringDelete.chatsAfter = fake.seen.chats;
    return runner(args);
  };
  const forward = { started: 0, closed: 0 };
  const portForward = async (ns: string, pod: string, port: number): Promise<PortForward> => {
    forward.started++;
    if (c.interrupt?.beforeDelete) setTimeout(() => interrupt.abort(), 5);
    const f = await forwards.starter(ns, pod, port);
    return { ...f, failure: () => f.failure() ?? (c.forwardDiesAfterDelete && deleted ? 'kubectl port-forward pod/x ended (exit 1)' : undefined), close: () => (forward.closed++, f.close()) };
  };
  const out: string[] = [];
  const err: string[] = [];
  const t0 = performance.now();
  const code = await runCli(argv, { runner, asyncRunner, env: {}, out: (t) => out.push(t), err: (t) => err.push(t), portForward, clock, signal: interrupt.signal });
  return { code, out: out.join('\n'), err: err.join('\n'), calls, forward, forwards: forwards.calls(), seen: fake.seen, duringDelete, realMs: performance.now() - t0 };
}

const report = (r: { out: string }): FaultReport => JSON.parse(r.out) as FaultReport;
const deletes = (calls: string[]) => calls.filter((c) => c.startsWith('delete pod '));

describe('fault-test: measurements against the seed SLA', () => {
  it('a single replica down for 30 s is within its SLA (exit 0); --json holds the class, thresholds, window and verdict', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--json', '--warmup', '30'], { fault: { seconds: 30 } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = report(r);
    expect(j).toMatchObject({
      graph: 'vllm-agg',
      namespace: NS,
      frontendService: 'vllm-agg-frontend',
      model: MODEL,
      deleted: { kind: 'worker', service: 'VllmWorker', replicas: 1, pod: 'vllm-agg-0-vllmworker-a', graceful: false },
      slaClass: 'single',
      sla: FAULT_SLA.single,
      load: { concurrency: 4, intervalSeconds: 1, timeoutSeconds: 30, warmupSeconds: 30, confirm: 10, maxRequests: 5000 },
      window: { seconds: 180 },
      withinSla: true,
    });
    expect(j.sla).toEqual({ minSuccessRatio: 0.1, maxRecoverySeconds: 180 });
    // The outage is 30 s of the 180 s window: the ratio and the recovery show it (the slack is the requests' latency).
    expect(j.window.recoverySeconds).toBeGreaterThan(15);
    expect(j.window.recoverySeconds).toBeLessThan(60);
    expect(j.window.successRatio).toBeGreaterThan(0.5);
    expect(j.window.successRatio).toBeLessThan(0.95);
    expect(j.window.sent - j.window.succeeded).toBe(j.window.failures.reduce((n, f) => n + f.count, 0));
    expect(j.window.failures.map((f) => f.reason)).toEqual(['HTTP 503']);
    expect(j.baseline.sent).toBeGreaterThan(0);
    expect(j.baseline.succeeded).toBe(j.baseline.sent);
    expect(j.checks.map((c) => [c.name, c.status])).toEqual([['success ratio', 'PASS'], ['recovery time', 'PASS']]);
    // A crash, as upstream's fault tests inject it; the pod of the worker service; the forward ended; paths and bodies right.
    expect(deletes(r.calls)).toEqual([`delete pod vllm-agg-0-vllmworker-a -n ${NS} --grace-period=0 --force --wait=false`]);
    expect(r.forward).toEqual({ started: 1, closed: 1 });
    expect(r.forwards).toEqual([['port-forward', '-n', NS, 'pod/vllm-agg-0-frontend-a', ':8000', '--address', '127.0.0.1']]);
    expect(r.seen.strayPaths).toEqual([]);
    expect(r.seen.badBodies).toEqual([]);
    expect(r.realMs).toBeLessThan(5000);
  });

  it('a replicated worker whose peer serves on: within the HA SLA (exit 0), as a table', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--timeout', '300'], { graphs: [graph('vllm-agg', { VllmWorker: 2 })] });
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`fault-test vllm-agg (namespace ${NS}): deleted worker pod vllm-agg-0-vllmworker-a of service VllmWorker (2 replicas: replicated (HA) SLA)`);
    expect(r.out).toMatch(/^CHECK\s+STATUS\s+MEASURED\s+SLA$/m);
    expect(r.out).toMatch(/^success ratio\s+PASS\s+(\d+) of \1 \(100\.00 %\)\s+>= 99 %$/m);
    expect(r.out).toMatch(/^recovery time\s+PASS\s+0\.0 s\s+< 60 s$/m);
    expect(r.out).toContain('fault window: 60 s from the delete (then 3 s that may confirm a recovery); 0 failed');
    expect(r.out).toContain('verdict: within the SLA');
    expect(r.err).toContain('… deleted pod vllm-agg-0-vllmworker-a (VllmWorker); measuring for 60 s');
  });

  it('recovery too slow: a single replica that keeps failing every other request is outside the SLA (exit 2) though its ratio passes', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--json'], { fault: { seconds: 1000, every: 2 } });
    expect(r.code).toBe(2);
    const j = report(r);
    expect(j.withinSla).toBe(false);
    expect(j.window.recoverySeconds).toBeNull();
    expect(j.window.successRatio).toBeGreaterThan(0.3);
    expect(j.checks).toEqual([
      expect.objectContaining({ name: 'success ratio', status: 'PASS', sla: '>= 10 %' }),
      { name: 'recovery time', status: 'FAIL', measured: 'not recovered within 180 s', sla: '< 180 s' },
    ]);
  });

  it('a failing success ratio: a replicated worker whose requests fail for 10 s is outside the HA SLA (exit 2), though it recovers in time', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--json', '--timeout', '300'], { graphs: [graph('vllm-agg', { VllmWorker: 2 })], fault: { seconds: 10, how: 'reset' } });
    expect(r.code).toBe(2);
    const j = report(r);
    expect(j.slaClass).toBe('ha');
    expect(j.window.seconds).toBe(60);
    expect(j.checks.map((c) => [c.name, c.status])).toEqual([['success ratio', 'FAIL'], ['recovery time', 'PASS']]);
    expect(j.window.successRatio).toBeLessThan(0.95);
    expect(j.window.recoverySeconds).toBeGreaterThan(3);
    expect(j.window.recoverySeconds).toBeLessThan(40);
    expect(j.window.failures.map((f) => f.reason)).toEqual(['connection reset']);
  });

  it('--delete frontend: a pod of the frontend (2 replicas on EKS: the HA SLA), gracefully with --graceful', async () => {
    const r = await run(['fault-test', 'vllm-disagg', '--target', 'eks', '--warmup', '30', '--json', '--delete', 'frontend', '--graceful', '--timeout', '300']);
    expect(r.code).toBe(0);
    const j = report(r);
    expect(j.deleted).toEqual({ kind: 'frontend', service: 'Frontend', replicas: 2, pod: 'vllm-disagg-0-frontend-a', graceful: true });
    expect(j.slaClass).toBe('ha');
    expect(deletes(r.calls)).toEqual([`delete pod vllm-disagg-0-frontend-a -n ${NS} --wait=false`]);
    // The requests go to the other frontend pod, which lives through the fault.
    expect(j.frontendPods).toEqual(['vllm-disagg-0-frontend-b']);
    expect(r.forwards.map((a) => a[3])).toEqual(['pod/vllm-disagg-0-frontend-b']);
  });

  it('--delete frontend with a single frontend: the forward ends with the pod; until the replacement is Ready and forwarded to, requests fail (documented unavailability)', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--json', '--delete', 'frontend'], { graphs: [graph('vllm-agg', { Frontend: 1 })], replacementReadyAfter: 20 });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = report(r);
    expect(j.deleted).toMatchObject({ kind: 'frontend', replicas: 1, pod: 'vllm-agg-0-frontend-a' });
    expect(j.slaClass).toBe('single');
    expect(j.frontendPods).toEqual(['vllm-agg-0-frontend-a', 'vllm-agg-0-frontend-z']);
    expect(r.forwards.map((a) => a[3])).toEqual(['pod/vllm-agg-0-frontend-a', 'pod/vllm-agg-0-frontend-z']);
    expect(j.window.failures.map((f) => f.reason)).toContain('no frontend pod to forward to');
    // Ready at 20 s; then a poll (1 s) and the start of a kubectl process (a stand-in node program here: some 200 ms
    // of real time, 20 s on this clock).
    expect(j.window.recoverySeconds).toBeGreaterThanOrEqual(19);
    expect(j.window.recoverySeconds).toBeLessThan(100);
    expect(r.seen.strayPaths).toEqual([]);
  });

  it('an HA worker with a short real outage (2 failed requests) is judged against 99 % and passes (exit 0)', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--json', '--timeout', '300', '--concurrency', '8'], { graphs: [graph('vllm-agg', { VllmWorker: 2 })], fault: { seconds: 1000, requests: 2 } });
    expect(r.code).toBe(0);
    const j = report(r);
    expect(j.slaClass).toBe('ha');
    expect(j.window.sent - j.window.succeeded).toBe(2);
    expect(j.window.successRatio).toBeGreaterThanOrEqual(0.99);
    expect(j.window.successRatio).toBeLessThan(1);
    // Measured, and within the limit. It may be 0: with 8 clients the first request of the final streak can have been
    // sent before the delete (in flight across it), which depends on scheduling on a loaded machine.
    expect(j.window.recoverySeconds).toBeGreaterThanOrEqual(0);
    expect(j.window.recoverySeconds).toBeLessThan(60);
    expect(j.checks.map((c) => [c.name, c.status, c.sla])).toEqual([['success ratio', 'PASS', '>= 99 %'], ['recovery time', 'PASS', '< 60 s']]);
  });

  it('the delete runs asynchronously: requests go on while kubectl deletes', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--json'], { deleteTakesMs: 150 });
    expect(r.code).toBe(0);
    expect(r.duringDelete.chatsAfter).toBeGreaterThan(r.duringDelete.chatsBefore);
  });

  it('never through the API server\'s service proxy (our NetworkPolicies drop its traffic): port-forwards to pods only', async () => {
    const runs = [
      await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30']),
      await run(['fault-test', 'vllm-disagg', '--target', 'eks', '--warmup', '30', '--delete', 'frontend', '--timeout', '300']),
    ];
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.calls.filter((c) => /\bproxy\b|services\/|svc\//.test(c))).toEqual([]);
      expect(r.forwards.length).toBeGreaterThan(0);
      for (const a of r.forwards) expect(a).toEqual(['port-forward', '-n', NS, expect.stringMatching(/^pod\/[a-z0-9-]+-frontend-[a-z]$/), ':8000', '--address', '127.0.0.1']);
      // The fake frontend answers at the pod's own paths: a service-proxy path would be a stray one.
      expect(r.seen.strayPaths).toEqual([]);
      expect(r.seen.chats).toBeGreaterThan(0);
    }
  });
});

describe('fault-test: refusals and errors (exit 1, one line, nothing deleted)', () => {
  it('unknown graph: names it, the namespace and the graphs there; no port-forward is started', async () => {
    const r = await run(['fault-test', 'nope', '--target', 'eks']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n').at(-1)).toBe(`dynamo-iac fault-test: unknown graph "nope": no DynamoGraphDeployment of that name in namespace ${NS} (there: vllm-agg, vllm-disagg)`);
    expect(r.forward.started).toBe(0);
    expect(deletes(r.calls)).toEqual([]);
  });

  it('a graph without a frontend service, and a frontend whose Service is missing', async () => {
    const headless = graph('vllm-agg');
    delete headless.spec.services['Frontend'];
    const none = await run(['fault-test', 'vllm-agg', '--target', 'eks'], { graphs: [headless] });
    expect(none.code).toBe(1);
    expect(none.err).toContain('dynamo-iac fault-test: graph "vllm-agg" has no frontend: none of its services (VllmWorker) has componentType frontend');
    const noService = await run(['fault-test', 'vllm-agg', '--target', 'eks'], { frontendService: false });
    expect(noService.code).toBe(1);
    expect(noService.err).toContain(`graph "vllm-agg" has no frontend Service vllm-agg-frontend in ${NS}`);
    for (const r of [none, noService]) {
      expect(r.forward.started).toBe(0);
      expect(deletes(r.calls)).toEqual([]);
    }
  });

  it('a graph that is not healthy before the fault: a pod not ready, or requests failing before the delete', async () => {
    const pods = podsOf(graph('vllm-agg'));
    pods.find((p) => p.metadata.name.includes('vllmworker'))!.status.containerStatuses[0]!.ready = false;
    const sick = await run(['fault-test', 'vllm-agg', '--target', 'eks'], { pods });
    expect(sick.code).toBe(1);
    expect(sick.err).toContain('service VllmWorker has 0 of 1 pods ready; vllm-agg-0-vllmworker-a: Running, not ready: fault-test starts only from a healthy graph (nothing was deleted)');
    const failing = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30'], { baselineFails: true });
    expect(failing.code).toBe(1);
    expect(failing.err).toMatch(/(\d+) of \1 requests failed before the fault \(HTTP 503 x\1\): the graph does not serve steadily, so nothing was deleted/);
    expect(failing.forward).toEqual({ started: 1, closed: 1 });
    for (const r of [sick, failing]) expect(deletes(r.calls)).toEqual([]);
  });

  it.each([
    [['--concurrency', '0'], '--concurrency: must be a whole number from 1 to 64 (clients sending at once), got "0"'],
    [['--interval', 'fast'], '--interval: must be a number from 0.1 to 60 (seconds between the requests of one client), got "fast"'],
    [['--timeout', '2.5e3'], '--timeout: must be a number from 1 to 300 (seconds a request may take), got "2.5e3"'],
    [['--confirm', '1.5'], '--confirm: must be a whole number from 1 to 1000 (successes in a row that confirm recovery), got "1.5"'],
    [['--delete', 'planner'], '--delete: must be one of worker, frontend, got "planner"'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('bad flags %j: the flag, the value and the rule, then the usage', async (flags, message) => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', ...flags]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toContain(message);
    expect(r.err.split('\n')[1]).toBe(FAULT_TEST_USAGE);
    expect(r.calls).toEqual([]);
  });

  it('no graph, or two; a request budget the run would exceed; a --service of the wrong kind', async () => {
    expect((await run(['fault-test', '--target', 'eks'])).err).toContain('fault-test needs exactly one GRAPH (a DynamoGraphDeployment name), got none');
    const budget = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--max-requests', '100']);
    expect(budget.code).toBe(1);
    expect(budget.err).toContain('--max-requests 100: the run may send 776 requests (--concurrency 4 clients, one per --interval 1 s, for --warmup 10 s, the 180 s fault window and 3 s that may confirm a recovery at its end, --confirm 10)');
    const wrong = await run(['fault-test', 'vllm-disagg', '--target', 'eks', '--service', 'Frontend']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('--service: service "Frontend" of graph "vllm-disagg" is a frontend, not a worker (--delete worker)');
    for (const r of [budget, wrong]) expect(deletes(r.calls)).toEqual([]);
  });

  it('a disaggregated graph: the decode worker by default, the prefill worker with --service; the operator\'s Service name', () => {
    const find = (o: { kind: 'worker' | 'frontend'; service?: string }) => findFaultTarget(kube(recorded({}, 'vllm-disagg', () => {}).runner), NS, 'vllm-disagg', o);
    expect(find({ kind: 'worker' })).toEqual({ graph: 'vllm-disagg', namespace: NS, frontendService: 'vllm-disagg-frontend', frontend: 'Frontend', frontendPods: ['vllm-disagg-0-frontend-a', 'vllm-disagg-0-frontend-b'], kind: 'worker', service: 'VllmDecodeWorker', replicas: 1, pod: 'vllm-disagg-0-vllmdecodeworker-a' });
    expect(find({ kind: 'worker', service: 'VllmPrefillWorker' })).toMatchObject({ service: 'VllmPrefillWorker', pod: 'vllm-disagg-0-vllmprefillworker-a' });
    expect(find({ kind: 'frontend' })).toMatchObject({ service: 'Frontend', replicas: 2, pod: 'vllm-disagg-0-frontend-a' });
    // A service scaled to zero has nothing to delete: named, it is an error; by default the next one is taken.
    const scaledDown = { graphs: [graph('vllm-disagg', { VllmDecodeWorker: 0 })] };
    const find0 = (service?: string) => findFaultTarget(kube(recorded(scaledDown, 'vllm-disagg', () => {}).runner), NS, 'vllm-disagg', { kind: 'worker', ...(service && { service }) });
    expect(() => find0('VllmDecodeWorker')).toThrow('service VllmDecodeWorker of graph "vllm-disagg" has no pod to delete (replicas: 0)');
    expect(find0().service).toBe('VllmPrefillWorker');
  });

  it('Ctrl-C before the delete deletes nothing; after it, says so; the port-forward ends either way', async () => {
    const early = await run(['fault-test', 'vllm-agg', '--target', 'eks'], { interrupt: { beforeDelete: true } });
    expect(early.code).toBe(1);
    expect(early.err).toContain('dynamo-iac fault-test: interrupted (Ctrl-C): nothing was deleted');
    expect(deletes(early.calls)).toEqual([]);
    const late = await run(['fault-test', 'vllm-agg', '--target', 'eks'], { interrupt: { afterDeleteMs: 20 } });
    expect(late.code).toBe(1);
    expect(late.err).toContain('interrupted (Ctrl-C): pod vllm-agg-0-vllmworker-a was deleted; the operator recreates it');
    expect(late.realMs).toBeLessThan(500);
    for (const r of [early, late]) expect(r.forward).toEqual({ started: 1, closed: 1 });
  });

  it('Ctrl-C while waiting for the last requests aborts them at once', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--timeout', '300'], { graphs: [graph('vllm-agg', { VllmWorker: 2 })], fault: { seconds: 1000, how: 'hang' }, interrupt: { afterDeleteMs: 700 } });
    expect(r.code).toBe(1);
    expect(r.err).toContain('interrupted (Ctrl-C): pod vllm-agg-0-vllmworker-a was deleted');
    // The window and the confirmation time end at 630 ms; the hung requests would time out 3 s later.
    expect(r.realMs).toBeLessThan(2000);
  });

  it('GET /v1/models that never answers ends at --timeout', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--timeout', '1'], { modelsHang: true });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dynamo-iac fault-test: GET \/v1\/models through http:\/\/127\.0\.0\.1:\d+: timeout$/);
    expect(r.realMs).toBeLessThan(1000);
    expect(deletes(r.calls)).toEqual([]);
  });

  it('a port-forward to a frontend pod that was not deleted, ending during the run, voids the measurement', async () => {
    const r = await run(['fault-test', 'vllm-agg', '--target', 'eks', '--warmup', '30', '--timeout', '300'], { graphs: [graph('vllm-agg', { VllmWorker: 2 })], forwardDiesAfterDelete: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain('kubectl port-forward pod/x ended (exit 1): the measurement is void (requests failed for that reason, not the graph\'s); pod vllm-agg-0-vllmworker-a was deleted');
    expect(r.realMs).toBeLessThan(850); // the warmup (300 ms here) and not the 600 ms window: it stopped at once
  });

  it('--help: every flag with its default, the SLA and the exit codes, touching no cluster', async () => {
    const r = await run(['fault-test', '--help']);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.out.split('\n')[0]).toBe(FAULT_TEST_USAGE);
    for (const [name, f] of Object.entries(FAULT_TEST_FLAGS)) expect(r.out).toContain(`--${name}`.padEnd(15) + ` ${f.unit}; default ${f.default}`);
    expect(r.out).toContain('replicated (HA): success ratio >= 99 %, recovery < 60 s');
    expect(r.out).toContain('single replica: success ratio >= 10 %, recovery < 180 s');
    expect(r.out).toContain('exit 0: within the SLA; 2: outside it; 1: an error');
  });

  it('the installed binary: the exit code of the asynchronous command reaches the shell (no kubectl: 1, one line)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build', 'bin', 'dynamo-iac.js'), 'fault-test', 'vllm-agg', '--target', 'eks'], { encoding: 'utf8', env: { PATH: '/nonexistent' }, timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('dynamo-iac fault-test: kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster');
  });
});
