/**
 * Builds the simulated cluster's binaries from Go modules, once per set of versions: kube-apiserver,
 * kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes (through our module in tools/sim/go,
 * which pins the staging modules that k8s.io/kubernetes only names by local path), and kwok. Later runs find them in
 * `.cache/sim/<versions>/bin` and build nothing. etcd comes from Debian's etcd-server package (on the PATH).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_VERSIONS, cacheKey } from './versions.js';

export const CONTROL_PLANE = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'] as const;
export type SimBinary = (typeof CONTROL_PLANE)[number] | 'kwok' | 'etcd';

export interface SimBinaries {
  readonly dir: string;
  path(name: SimBinary): string;
}

function go(args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (l: string) => void): void {
  log(`  go ${args.join(' ')}`);
  // Reproducible whatever the environment: our go.sum only (no workspace, no module edits), the machine's Go.
  const r = spawnSync('go', args, {
    cwd,
    env: { ...process.env, CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '-mod=readonly -buildvcs=false', GOTOOLCHAIN: 'local', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error) throw new Error(`go could not be started (${r.error.message}): the simulated cluster builds its binaries with Go 1.26 on the PATH`);
  if (r.status !== 0) throw new Error(`go ${args[0]} failed (exit ${r.status}) in ${cwd}`);
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** What `make` stamps into Kubernetes binaries, so the server and kubectl report the version they are built from. */
function versionStamp(): string {
  const v = SIM_VERSIONS.kubernetes;
  const [major, minor] = v.replace(/^v/, '').split('.');
  const vars = { gitVersion: v, gitMajor: major, gitMinor: minor, gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z' };
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => Object.entries(vars).map(([k, val]) => `-X ${pkg}.${k}=${val}`))
    .join(' ');
}

/** Makes sure every binary exists; builds what is missing. Returns where they are. */
export function ensureSimBinaries(root: string, log: (l: string) => void): SimBinaries {
  const mod = join(root, 'tools', 'sim', 'go');
  const goModule = createHash('sha256').update(readFileSync(join(mod, 'go.mod'))).update(readFileSync(join(mod, 'go.sum'))).digest('hex');
  const dir = join(root, '.cache', 'sim', cacheKey(goModule), 'bin');
  const etcd = which('etcd');
  if (!etcd) throw new Error('etcd is not on the PATH: install Debian\'s etcd-server package (`apt-get install -y etcd-server`)');
  const path = (name: SimBinary) => (name === 'etcd' ? etcd : join(dir, name));
  const missing = [...CONTROL_PLANE, 'kwok' as const].filter((b) => !existsSync(path(b)));
  if (missing.length === 0) return { dir, path };
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  log(`building ${missing.join(', ')} into ${dir} (Kubernetes ${SIM_VERSIONS.kubernetes}, kwok ${SIM_VERSIONS.kwok}); a cold build takes 15 to 25 minutes on 2 cores`);
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const k8s = missing.filter((b) => b !== 'kwok');
    if (k8s.length) {
      go(['build', '-trimpath', `-ldflags=-s -w ${versionStamp()}`, '-o', `${tmp}/`, ...k8s.map((b) => `k8s.io/kubernetes/cmd/${b}`)], mod, {}, log);
    }
    if (missing.includes('kwok')) {
      // `go install pkg@version` builds from the module's own go.sum, outside any module of ours.
      go(['install', '-trimpath', '-ldflags=-s -w', `sigs.k8s.io/kwok/cmd/kwok@${SIM_VERSIONS.kwok}`], tmp, { GOBIN: tmp, GOFLAGS: '-buildvcs=false' }, log);
    }
    for (const b of missing) renameSync(join(tmp, b), path(b));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return { dir, path };
}
