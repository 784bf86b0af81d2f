/**
 * Proof that the graphs of every target run as the 0.9.0 operator and the runtime images will run them: for the
 * default spec and every shipped example, each service's environment is merged the way the operator merges it
 * (test/support/operator.ts) and checked against the mounts the service really has: with a read-only root, every
 * directory its processes write (home, temporary directory, caches, shared memory, the multinode launchers' own)
 * must be on a writable mount of that container.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGETS, type Target } from '../../spec/schema.js';
import { GKE_DRIVER_PATHS } from '../../spec/profile/index.js';
import { cachePaths, type DgdJson, effectiveEnv, imageWritable, injectFlags, isPythonCommand, mountHolding, mountsOf, readOnlyRoot, writePaths } from '../support/operator.js';
import { ALL_EXAMPLES_SPEC, byKind, type KubeObject, specsFrom, synthSpec } from '../support/synth.js';

type Svc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Dgd = KubeObject & DgdJson;

const SPECS = { default: specsFrom(), examples: specsFrom(ALL_EXAMPLES_SPEC) };
const synthCache = new Map<string, KubeObject[]>();
const objectsOf = (set: keyof typeof SPECS, t: Target): KubeObject[] => {
  const key = `${set}/${t}`;
  if (!synthCache.has(key)) synthCache.set(key, synthSpec(SPECS[set][t]).objects);
  return synthCache.get(key)!;
};
const dgds = (set: keyof typeof SPECS, t: Target) => byKind(objectsOf(set, t), 'DynamoGraphDeployment') as Dgd[];
const cases = TARGETS.flatMap((t) => (['default', 'examples'] as const).map((set) => [t, set] as const));

describe.each(cases)('%s, %s spec: every graph service as the operator runs it', (target, set) => {
  it('every cache path a service sets explicitly is on a writable volume of that service', () => {
    const graphs = dgds(set, target);
    expect(graphs.length).toBeGreaterThan(0);
    for (const d of graphs) {
      for (const name of Object.keys(d.spec.services)) {
        const mounts = mountsOf(d, name);
        for (const c of cachePaths(effectiveEnv(d, name)).filter((x) => x.explicit)) {
          const m = mountHolding(mounts, c.path);
          expect(m !== undefined && !m.readOnly, `${d.metadata.name}/${name} ${c.name}=${c.path}: set explicitly, so it must be on a writable volume of this service`).toBe(true);
        }
      }
    }
  });

  it('every main container has a read-only root, and every path its processes write is on a writable mount of that container', () => {
    let checked = 0;
    for (const d of dgds(set, target)) {
      for (const name of Object.keys(d.spec.services)) {
        const where = `${d.metadata.name}/${name}`;
        expect(readOnlyRoot(d, name), `${where}: readOnlyRootFilesystem`).toBe(true);
        const mounts = mountsOf(d, name);
        for (const w of writePaths(d, name)) {
          const m = mountHolding(mounts, w.path);
          // With a writable root the image user could still write its home, /opt/dynamo, /workspace and /tmp.
          const ok = m ? !m.readOnly : !readOnlyRoot(d, name) && imageWritable(w.path);
          expect(ok, `${where} ${w.what} ${w.path}: on no writable mount (mounts: ${mounts.map((x) => x.path + (x.readOnly ? ' (ro)' : '')).join(', ')})`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('no container gets a literal PATH or LD_LIBRARY_PATH (Kubernetes env replaces the image ENV)', () => {
    for (const d of dgds(set, target)) {
      for (const name of Object.keys(d.spec.services)) {
        const env = effectiveEnv(d, name);
        expect(env.has('PATH') || env.has('LD_LIBRARY_PATH'), `${d.metadata.name}/${name}`).toBe(false);
      }
    }
    const pods = objectsOf(set, target).flatMap((o) => {
      const spec = (o as Svc)['spec'];
      return [spec?.['template']?.['spec'], o.kind === 'Pod' ? spec : undefined, spec?.['jobTemplate']?.['spec']?.['template']?.['spec']].filter(Boolean) as Svc[];
    });
    for (const p of pods) {
      for (const c of [...(p['containers'] ?? []), ...(p['initContainers'] ?? [])] as Svc[]) {
        const names = ((c['env'] ?? []) as { name: string }[]).map((e) => e.name);
        expect(names.filter((n) => n === 'PATH' || n === 'LD_LIBRARY_PATH'), `${c['name']}`).toEqual([]);
      }
    }
  });

  it('frontends carry the hub token reference whenever workers do', () => {
    for (const d of dgds(set, target)) {
      const svcs = Object.values(d.spec.services);
      const workerSecrets = new Set(svcs.filter((s) => s['componentType'] === 'worker').map((s) => s['envFromSecret'] as string | undefined));
      for (const f of svcs.filter((s) => s['componentType'] === 'frontend')) {
        for (const secret of workerSecrets) if (secret) expect(f['envFromSecret'], d.metadata.name).toBe(secret);
      }
      expect([...workerSecrets].filter(Boolean).length, 'the default spec loads the hub token').toBeGreaterThan(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------- GKE driver paths

const NVIDIA = ['/usr/local/nvidia', ...GKE_DRIVER_PATHS.libraryDirs, ...GKE_DRIVER_PATHS.binDirs];
const mentionsDriver = (x: unknown) => NVIDIA.some((d) => JSON.stringify(x).includes(d));

/** Runs a command the way the kubelet does (exec form), with a stand-in python3 that reports argv and paths. */
function run(command: readonly string[], args: readonly string[], imagePath: string, imageLd: string) {
  const bin = mkdtempSync(join(tmpdir(), 'fake-python-'));
  const fake = join(bin, 'python3');
  writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "ARG %s\\n" "$a"; done\nprintf "PATH %s\\nLD %s\\n" "$PATH" "$LD_LIBRARY_PATH"\n');
  chmodSync(fake, 0o755);
  const [file, ...rest] = [...command, ...args];
  const out = execFileSync(file!, rest, { encoding: 'utf8', env: { PATH: `${bin}:${imagePath}`, LD_LIBRARY_PATH: imageLd } });
  const lines = out.trim().split('\n');
  return {
    argv: lines.filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4)),
    path: lines.find((l) => l.startsWith('PATH '))!.slice(5),
    ld: lines.find((l) => l.startsWith('LD '))!.slice(3),
    bin,
  };
}

describe('GKE: GPU workers keep the image\'s PATH and LD_LIBRARY_PATH and add the driver directories', () => {
  const IMAGE_PATH = '/opt/dynamo/venv/bin:/usr/local/ucx/bin:/usr/bin:/bin';
  const IMAGE_LD = '/opt/nvidia/nvda_nixl/lib/x86_64-linux-gnu:/usr/local/ucx/lib';

  it('single-node workers of every backend: the wrapped command runs the engine with its exact arguments and both paths extended', () => {
    const singles = dgds('examples', 'gke').flatMap((d) => Object.entries(d.spec.services).filter(([, s]) => s['componentType'] === 'worker' && !s['multinode']).map(([n, s]) => ({ d, n, s })));
    expect(new Set(singles.map((x) => x.d.spec.backendFramework))).toEqual(new Set(['vllm', 'sglang', 'trtllm']));
    for (const { d, n, s } of singles) {
      const c = s['extraPodSpec']['mainContainer'];
      const r = run(c['command'], c['args'], IMAGE_PATH, IMAGE_LD);
      const where = `${d.metadata.name}/${n}`;
      // Every argument arrives as one word, exactly as the unwrapped command of the same worker on eks passes it.
      const plain = dgds('examples', 'eks').find((x) => x.metadata.name === d.metadata.name)!.spec.services[n]!['extraPodSpec']['mainContainer'];
      expect(plain['command'][0], where).toBe('python3');
      expect(r.argv, where).toEqual([...plain['command'].slice(1), ...plain['args']]);
      expect(r.path, where).toBe(`${r.bin}:${IMAGE_PATH}:${GKE_DRIVER_PATHS.binDirs.join(':')}`);
      expect(r.ld, where).toBe(`${IMAGE_LD}:${GKE_DRIVER_PATHS.libraryDirs.join(':')}`);
    }
  });

  it('an image without LD_LIBRARY_PATH gets just the driver directory (no empty entry, which would mean the working directory)', () => {
    const d = dgds('examples', 'gke').find((x) => x.metadata.name === 'vllm-agg')!;
    const c = Object.values(d.spec.services).find((s) => s['componentType'] === 'worker')!['extraPodSpec']['mainContainer'];
    expect(run(c['command'], c['args'], IMAGE_PATH, '').ld).toBe(GKE_DRIVER_PATHS.libraryDirs.join(':'));
  });

  it('multinode SGLang: the operator injects its flags into our shell form and the result still runs the engine with paths extended', () => {
    const d = dgds('examples', 'gke').find((x) => x.metadata.name === 'sglang-disagg-mn')!;
    const plainOf = (n: string) => dgds('examples', 'eks').find((x) => x.metadata.name === 'sglang-disagg-mn')!.spec.services[n]!['extraPodSpec']['mainContainer'];
    for (const [n, s] of Object.entries(d.spec.services).filter(([, x]) => x['multinode'])) {
      const c = s['extraPodSpec']['mainContainer'];
      const flags = '--dist-init-addr leader:29500 --nnodes 2 --node-rank 1';
      const rewritten = injectFlags(c['command'], c['args'], flags, true, 'sglang');
      const r = run(rewritten.command, rewritten.args, IMAGE_PATH, IMAGE_LD);
      // The same words the operator would give the unwrapped command (flags right after the module).
      const plain = plainOf(n);
      expect(r.argv).toEqual([...plain['command'].slice(1), ...flags.split(' '), ...plain['args']]);
      expect(r.ld).toBe(`${IMAGE_LD}:${GKE_DRIVER_PATHS.libraryDirs.join(':')}`);
    }
  });

  it('multinode vLLM (Ray) and TRT-LLM (mpirun): the operator replaces the command, so the worker keeps the plain python form it rewrites', () => {
    const mn = dgds('examples', 'gke').filter((d) => d.spec.backendFramework !== 'sglang').flatMap((d) => Object.values(d.spec.services).filter((s) => s['multinode']));
    expect(mn.length).toBe(4);
    for (const s of mn) {
      const c = s['extraPodSpec']['mainContainer'];
      expect(isPythonCommand(c['command'][0])).toBe(true);
      expect(mentionsDriver(c)).toBe(false);
    }
  });

  it.each(TARGETS.filter((t) => t !== 'gke'))('%s: nothing mentions the GKE driver directories', (target) => {
    for (const set of ['default', 'examples'] as const) expect(mentionsDriver(dgds(set, target))).toBe(false);
  });
});
