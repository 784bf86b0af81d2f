/**
 * The simulated control plane on loopback: etcd, kube-apiserver (RBAC and Pod Security admission on, as on every
 * managed cloud), kube-controller-manager, kube-scheduler and kwok, each a real process with its log in the run
 * directory. `stop()` ends them all; it runs on exit, on failure and on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SimBinaries } from './build.js';
import { KWOK_CONFIG } from './kwok-stages.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SimCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  /** kubectl against the simulated cluster as the admin; throws on failure unless `allowFail`. */
  kubectl(args: readonly string[], opts?: { input?: string; allowFail?: boolean }): { ok: boolean; stdout: string; stderr: string };
  /** The last lines of a component's log (for error messages). */
  logTail(component: string, lines?: number): string;
  stop(): void;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });


function kubeconfigFor(server: string, user: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sim',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: sim',
    '  context:',
    '    cluster: sim',
    `    user: ${user}`,
    'current-context: sim',
    '',
  ].join('\n');
}

export interface StartOptions {
  readonly bins: SimBinaries;
  /** Where state and logs go (a fresh directory per run). */
  readonly dir: string;
  readonly log: (line: string) => void;
  /** Admission plugins beyond the defaults (NodeRestriction and the defaults, among them PodSecurity). */
  readonly admissionPlugins?: readonly string[];
}

/** Starts the control plane and kwok and waits until the API answers and the default ServiceAccount exists. */
export async function startCluster(o: StartOptions): Promise<SimCluster> {
  const { bins, dir, log } = o;
  mkdirSync(join(dir, 'pki'), { recursive: true });
  const procs: { name: string; proc: ChildProcess }[] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const { proc } of [...procs].reverse()) if (proc.exitCode === null) proc.kill('SIGTERM');
    // The event loop does not run here (nothing reaps the children), so a child that exited is a zombie: read its
    // state from /proc rather than waiting for an exit event that cannot come.
    const alive = (pid: number | undefined) => {
      if (pid === undefined) return false;
      try {
        return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5000;
    for (const { proc } of procs) {
      while (alive(proc.pid) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
      if (alive(proc.pid)) proc.kill('SIGKILL');
    }
  };
  const run = (name: string, bin: string, args: string[]) => {
    const out = openSync(join(dir, `${name}.log`), 'a');
    const proc = spawn(bin, args, { stdio: ['ignore', out, out] });
    proc.on('exit', (code, signal) => {
      if (!stopped) log(`  ${name} exited (${signal ?? code}); its log: ${join(dir, `${name}.log`)}`);
    });
    procs.push({ name, proc });
    return proc;
  };
  const logTail = (name: string, lines = 20) => {
    const f = join(dir, `${name}.log`);
    return existsSync(f) ? readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  };

  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    run('etcd', bins.path('etcd'), [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--quota-backend-bytes=2147483648',
    ]);

    // Service-account token signing key, and static tokens for the admin and each component's own identity.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = join(dir, 'pki', 'sa.key');
    const saPub = join(dir, 'pki', 'sa.pub');
    writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const users = {
      admin: { name: 'sim-admin', groups: 'system:masters' },
      kcm: { name: 'system:kube-controller-manager', groups: '' },
      scheduler: { name: 'system:kube-scheduler', groups: '' },
      kwok: { name: 'sim-kwok', groups: 'system:masters' },
    };
    const tokens = Object.fromEntries(Object.keys(users).map((k) => [k, randomBytes(16).toString('hex')])) as Record<keyof typeof users, string>;
    writeFileSync(
      join(dir, 'pki', 'tokens.csv'),
      Object.entries(users).map(([k, u], i) => `${tokens[k as keyof typeof users]},${u.name},uid-${i}${u.groups ? `,"${u.groups}"` : ''}`).join('\n') + '\n',
      { mode: 0o600 },
    );
    const server = `https://127.0.0.1:${apiPort}`;
    const cfg = (k: keyof typeof users) => {
      const f = join(dir, `${k}.kubeconfig`);
      writeFileSync(f, kubeconfigFor(server, users[k].name, tokens[k]), { mode: 0o600 });
      return f;
    };
    const kubeconfig = cfg('admin');

    run('kube-apiserver', bins.path('kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--token-auth-file=${join(dir, 'pki', 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      `--enable-admission-plugins=${['NodeRestriction', ...(o.admissionPlugins ?? [])].join(',')}`,
      '--allow-privileged=true',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--endpoint-reconciler-type=none',
    ]);
    const kubectl: SimCluster['kubectl'] = (args, opts = {}) => {
      const r = spawnSync(bins.path('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], { encoding: 'utf8', input: opts.input, maxBuffer: 256 * 1024 * 1024 });
      const res = { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
      if (!res.ok && !opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed: ${res.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
      return res;
    };
    await waitFor('the API server', 90_000, () => kubectl(['get', '--raw', '/readyz'], { allowFail: true }).ok, () => logTail('kube-apiserver'));

    // A control-plane component: its own identity for the API and for delegated authn/authz, no serving port, the
    // only instance (no leader election).
    const component = (k: 'kcm' | 'scheduler') => {
      const f = cfg(k);
      return [`--kubeconfig=${f}`, `--authentication-kubeconfig=${f}`, `--authorization-kubeconfig=${f}`, '--secure-port=0', '--leader-elect=false'];
    };
    run('kube-controller-manager', bins.path('kube-controller-manager'), [
      ...component('kcm'),
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${join(dir, 'pki', 'apiserver.crt')}`,
      '--controllers=*',
      // kwok renews node leases, but on a loaded 2-core machine a renewal can come late; node health is not under
      // test, so a late heartbeat must not mark nodes NotReady and their pods unready.
      '--node-monitor-grace-period=10m',
      '--node-startup-grace-period=10m',
    ]);
    run('kube-scheduler', bins.path('kube-scheduler'), component('scheduler'));
    writeFileSync(join(dir, 'kwok.yaml'), KWOK_CONFIG);
    run('kwok', bins.path('kwok'), [
      `--kubeconfig=${cfg('kwok')}`,
      `--config=${join(dir, 'kwok.yaml')}`,
      '--node-lease-duration-seconds=40',
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
      `--server-address=127.0.0.1:${await freePort()}`,
    ]);
    await waitFor('the default ServiceAccount', 60_000, () => kubectl(['get', 'serviceaccount', 'default', '-n', 'default'], { allowFail: true }).ok, () => logTail('kube-controller-manager'));
    return { dir, kubeconfig, kubectl, logTail, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

async function waitFor(what: string, ms: number, ready: () => boolean, tail: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (ready()) return;
    await sleep(500);
  }
  throw new Error(`${what} did not come up within ${ms / 1000} s; last log lines:\n${tail()}`);
}
