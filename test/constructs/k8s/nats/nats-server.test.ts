/**
 * The real nats-server accepts the nats.conf we synthesize, and JetStream on it keeps a message across a crash.
 *
 * The config is taken from the synthesized ConfigMap (not from renderNatsConf), so this checks what `npm run synth`
 * ships. To run it on loopback, only what differs between a pod and this machine is substituted: the bind address,
 * the two ports, the store dir (the PVC mount) and the pid file (an emptyDir); every other line is asserted unchanged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, StorageType, type NatsConnection } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../../support/env.js';
import { byKind, type KubeObject, specsFrom, synthSpec } from '../../../support/synth.js';

type Container = { name: string; readinessProbe: { httpGet: { path: string; port: string } } };
const natsConf = (objs: KubeObject[]): string => (byKind(objs, 'ConfigMap').find((c) => c.metadata.name.endsWith('-nats-config'))!.data as Record<string, string>)['nats.conf']!;
const natsContainer = (objs: KubeObject[]): Container =>
  byKind(objs, 'StatefulSet')
    .flatMap((s) => (s as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers)
    .find((c) => c.name === 'nats')!;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Runs a command to completion (killed after `ms`), returning its exit code and output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, ms = 5000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('close', (code) => (clearTimeout(timer), resolve({ code, out })));
  });
}

const SERVER_ENV = { ...process.env, SERVER_NAME: 'dynamo-platform-nats-0' };
const procs: ChildProcess[] = [];
const logs = new Map<ChildProcess, string>();
function startServer(confFile: string): ChildProcess {
  const p = spawn('nats-server', ['-c', confFile], { env: SERVER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  logs.set(p, '');
  const log = (d: Buffer) => logs.set(p, logs.get(p)! + d.toString());
  p.stdout!.on('data', log);
  p.stderr!.on('data', log);
  procs.push(p);
  return p;
}
function sigkill(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}
/** Polls `url` until it answers 200; fails after `ms` or as soon as the server process exits. */
async function until200(url: string, p: ChildProcess, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`nats-server exited (${p.exitCode}):\n${logs.get(p)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(500) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms (last: ${last}):\n${logs.get(p)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'nats-server-test-'));
afterAll(async () => {
  await Promise.all(procs.map(sigkill));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasBinary('nats-server', 'nats-server'))('nats-server runs the synthesized nats.conf', () => {
  const specs = specsFrom();
  const local = synthSpec(specs.local).objects;
  const eks = synthSpec(specs.eks).objects;

  it.each([
    ['local (1 server)', local, false],
    ['eks (3 servers, route cluster)', eks, true],
  ] as const)('nats-server -t accepts the %s config', async (_, objs, clustered) => {
    // GIVEN the nats.conf of the synthesized ConfigMap, byte for byte
    const conf = natsConf(objs);
    expect(conf.includes('routes: [')).toBe(clustered);
    const file = join(dir, `${clustered ? 'eks' : 'local'}.conf`);
    writeFileSync(file, conf);
    // WHEN the real server checks it ($SERVER_NAME comes from the pod name in the StatefulSet)
    const { code, out } = await run('nats-server', ['-t', '-c', file], SERVER_ENV);
    // THEN it is valid
    expect(code, out).toBe(0);
  });

  it('serves JetStream on loopback, passes the readiness probe, and keeps a file-stored message across SIGKILL', async () => {
    // GIVEN the local config with only the pod-specific lines substituted
    const [client, monitor] = [await freePort(), await freePort()];
    const synthesized = natsConf(local);
    const subst: [from: string, to: string][] = [
      ['listen: 0.0.0.0:4222', `listen: 127.0.0.1:${client}`], // pod IP -> loopback, fixed port -> free port
      ['http: 0.0.0.0:8222', `http: 127.0.0.1:${monitor}`],
      ['pid_file: "/var/run/nats/nats.pid"', `pid_file: "${join(dir, 'nats.pid')}"`], // emptyDir -> temp dir
      ['  store_dir: "/data"', `  store_dir: "${join(dir, 'data')}"`], // PVC mount -> temp dir
    ];
    const before = synthesized.split('\n');
    const after = before.map((line) => subst.find(([from]) => line === from)?.[1] ?? line);
    // every substitution hit exactly one line, and no other line changed
    for (const [from] of subst) expect(before.filter((l) => l === from), from).toHaveLength(1);
    const changed = before.flatMap((l, i) => (l === after[i] ? [] : [l]));
    expect(changed).toEqual(subst.map(([from]) => from));
    const file = join(dir, 'loopback.conf');
    writeFileSync(file, after.join('\n'));

    // the readiness probe of the synthesized StatefulSet, on the monitoring port
    const probe = natsContainer(local).readinessProbe.httpGet;
    expect(probe.port).toBe('monitor');
    const readyUrl = `http://127.0.0.1:${monitor}${probe.path}`;

    // WHEN the server starts
    let server = startServer(file);
    await until200(readyUrl, server);

    // THEN a client sees the spec's max_payload, and a file stream stores a message
    const maxPayload = specs.local.platform.nats.maxPayload;
    expect(maxPayload).toBe(15728640);
    let nc: NatsConnection = await connect({ servers: `127.0.0.1:${client}`, timeout: 2000, reconnect: false });
    expect(nc.info?.max_payload).toBe(maxPayload);
    const jsm = await nc.jetstreamManager({ timeout: 3000 });
    await jsm.streams.add({ name: 'EVENTS', subjects: ['events.>'], storage: StorageType.File });
    const ack = await nc.jetstream({ timeout: 3000 }).publish('events.kv', 'survives a crash');
    expect(ack).toMatchObject({ stream: 'EVENTS', seq: 1, duplicate: false });

    // WHEN the server is killed without a chance to shut down, and restarted with the same config and store
    await sigkill(server);
    await nc.close();
    server = startServer(file);
    await until200(readyUrl, server);

    // THEN the message is read back from the stream
    nc = await connect({ servers: `127.0.0.1:${client}`, timeout: 2000, reconnect: false });
    try {
      const msg = await (await nc.jetstreamManager({ timeout: 3000 })).streams.getMessage('EVENTS', { seq: 1 });
      expect({ subject: msg.subject, data: msg.string() }).toEqual({ subject: 'events.kv', data: 'survives a crash' });
    } finally {
      await nc.close();
      await sigkill(server);
    }
  }, 20_000);
});
