/**
 * Three real etcd members, started with the flags of the synthesized StatefulSet, form a cluster that keeps quorum
 * when one member is killed, and the restarted member (same flags, same data dir) catches up.
 *
 * The args come from the synthesized eks StatefulSet. Only what the kubelet and cluster DNS provide is mapped:
 * `$(POD_NAME)` -> `<statefulset>-<i>`, each pod host name `<statefulset>-<i>.<headless>.<ns>.svc.cluster.local:<port>`
 * -> `127.0.0.1:<free port of (i, port)>`, the listen URLs `0.0.0.0:<port>` of member i -> its loopback ports, and
 * `--data-dir` (the PVC) -> a temp dir. Every other flag is passed through unchanged, so an unsupported flag fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../../support/env.js';
import { byKind, specsFrom, synthSpec } from '../../../support/synth.js';

type Container = { name: string; args: string[]; ports: { containerPort: number }[]; readinessProbe: { httpGet: { path: string } } };
type Sts = { metadata: { name: string; namespace: string }; spec: { replicas: number; serviceName: string; template: { spec: { containers: Container[] } } } };

/** Distinct free loopback ports: all listeners are open at once, then closed. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
      const s = createServer().once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const flagName = (arg: string) => arg.slice(0, arg.indexOf('='));
// No ETCD_*/ETCDCTL_* from the caller's environment may change the flags under test.
const ENV = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD'))), ETCDCTL_API: '3' };

function etcdctl(endpoints: string[], args: string[], ms = 4000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('etcdctl', [`--endpoints=${endpoints.join(',')}`, '--dial-timeout=1s', '--command-timeout=2s', ...args], { env: ENV });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('close', (code) => (clearTimeout(timer), resolve({ code, out })));
  });
}
/** Retries `attempt` until it returns true; fails with `describe()` after `ms`. */
async function eventually(what: string, attempt: () => Promise<boolean>, describe: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await attempt()) return;
    await sleep(200);
  }
  throw new Error(`${what} not within ${ms} ms\n${describe()}`);
}

const procs: (ChildProcess | undefined)[] = [];
const logs: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'etcd-real-test-'));
function sigkill(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => (p.once('exit', () => resolve()), p.kill('SIGKILL')));
}
afterAll(async () => {
  await Promise.all(procs.map(sigkill));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!(hasBinary('etcd', 'etcd-server') && hasBinary('etcdctl', 'etcd-client')))('etcd members with the synthesized flags', () => {
  const sts = byKind(synthSpec(specsFrom().eks).objects, 'StatefulSet')
    .map((o) => o as unknown as Sts)
    .find((s) => s.spec.template.spec.containers.some((c) => c.name === 'etcd'))!;
  const container = sts.spec.template.spec.containers.find((c) => c.name === 'etcd')!;
  const { name, namespace } = sts.metadata;
  const members = Array.from({ length: sts.spec.replicas }, (_, i) => `${name}-${i}`);
  const containerPorts = container.ports.map((p) => p.containerPort);
  let port: (i: number, containerPort: number) => number = () => NaN;
  let argv: string[][] = [];
  const client = (i: number) => `127.0.0.1:${port(i, 2379)}`;
  const clients = (ids: number[]) => ids.map(client);

  function start(i: number): void {
    const p = spawn('etcd', argv[i]!, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    logs[i] = '';
    p.stdout!.on('data', (d: Buffer) => (logs[i] += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (logs[i] += d.toString()));
    procs[i] = p;
  }
  const tail = (i: number) => `--- ${members[i]} (exit ${procs[i]?.exitCode ?? 'running'}) ---\n${(logs[i] ?? '').slice(-3000)}`;
  async function healthy(i: number): Promise<boolean> {
    const p = procs[i];
    if (p && p.exitCode !== null) throw new Error(`etcd ${members[i]} exited; a flag may be unsupported by this etcd:\n${tail(i)}`);
    try {
      const res = await fetch(`http://${client(i)}${container.readinessProbe.httpGet.path}`, { signal: AbortSignal.timeout(1000) });
      return res.status === 200 && ((await res.json()) as { health: string }).health === 'true';
    } catch {
      return false;
    }
  }

  it('maps only pod names, host names, listen addresses and the data dir; every other flag passes unchanged', async () => {
    // GIVEN the args of the 3-member StatefulSet and a free loopback port per (member, container port)
    expect(members).toHaveLength(3);
    expect([...containerPorts].sort()).toEqual([2379, 2380]);
    const free = await freePorts(members.length * containerPorts.length);
    port = (i, cp) => free[i * containerPorts.length + containerPorts.indexOf(cp)]!;
    const host = new RegExp(`\\b${escape(name)}-(\\d+)\\.${escape(sts.spec.serviceName)}\\.${escape(namespace)}\\.svc\\.cluster\\.local:(\\d+)`, 'g');

    // WHEN each member's command line is built from them
    argv = members.map((member, i) =>
      container.args.map((arg) => {
        if (arg.startsWith('--data-dir=')) return `--data-dir=${join(dir, member, 'data')}`;
        return arg
          .replaceAll('$(POD_NAME)', member)
          .replace(host, (_, j: string, p: string) => `127.0.0.1:${port(Number(j), Number(p))}`)
          .replace(/^(--listen-[a-z]+-urls=http:\/\/)0\.0\.0\.0:(\d+)$/, (_, f: string, p: string) => `${f}127.0.0.1:${port(i, Number(p))}`);
      }),
    );

    // THEN the flag names are exactly the manifest's, nothing pod-specific is left,
    // and the flags not about names, addresses or the data dir are byte for byte the manifest's
    const mapped = /^--(name|data-dir|listen-client-urls|listen-peer-urls|advertise-client-urls|initial-advertise-peer-urls|initial-cluster)=/;
    for (const args of argv) {
      expect(new Set(args.map(flagName))).toEqual(new Set(container.args.map(flagName)));
      expect(args.join(' ')).not.toMatch(/\$\(|cluster\.local|0\.0\.0\.0|NaN/);
      expect(args.filter((a) => !mapped.test(a))).toEqual(container.args.filter((a) => !mapped.test(a)));
    }
    expect(argv[1]).toContain(`--initial-advertise-peer-urls=http://127.0.0.1:${port(1, 2380)}`);
  });

  it('three members form a healthy cluster', async () => {
    // WHEN all members start together (podManagementPolicy: Parallel)
    members.forEach((_, i) => start(i));
    // THEN each answers the readiness probe path, and etcdctl sees all three healthy
    await eventually('all members healthy', async () => (await Promise.all(members.map((_, i) => healthy(i)))).every(Boolean), () => members.map((_, i) => tail(i)).join('\n'), 10_000);
    const health = await etcdctl(clients([0, 1, 2]), ['endpoint', 'health']);
    expect(health.code, health.out).toBe(0);
    const list = await etcdctl(clients([0]), ['member', 'list']);
    expect(list.out.trim().split('\n').map((l) => l.split(', ')[2]).sort()).toEqual(members);
  });

  it('keeps quorum with one member killed, and the restarted member catches up', async () => {
    // GIVEN a key written to the healthy cluster
    const put1 = await etcdctl(clients([0, 1, 2]), ['put', '/dynamo/before', 'v1']);
    expect(put1.code, put1.out).toBe(0);

    // WHEN member 2 is killed (SIGKILL) and a key is written through the remaining two (quorum 2 of 3; a new
    // leader may need an election timeout, so retry for a few seconds)
    await sigkill(procs[2]);
    let put2 = { code: null as number | null, out: '' };
    await eventually('put with member 2 down', async () => (put2 = await etcdctl(clients([0, 1]), ['put', '/dynamo/while-down', 'v2'])).code === 0, () => put2.out, 8000);

    // AND member 2 restarts with the same args and data dir
    start(2);

    // THEN a serializable read on member 2 alone (its local copy) returns the value written while it was down
    let got = { code: null as number | null, out: '' };
    await eventually(
      'member 2 caught up',
      async () => {
        if (procs[2] && procs[2].exitCode !== null) throw new Error(`restarted member exited:\n${tail(2)}`);
        got = await etcdctl(clients([2]), ['get', '/dynamo/while-down', '--consistency=s', '--print-value-only']);
        return got.code === 0 && got.out.trim() === 'v2';
      },
      () => `${got.out}\n${tail(2)}`,
      10_000,
    );
    const before = await etcdctl(clients([2]), ['get', '/dynamo/before', '--consistency=s', '--print-value-only']);
    expect(before.out.trim()).toBe('v1');
  }, 25_000);
});
