/**
 * etcd snapshots: the pre-upgrade Job is named after the platform version and writes to its own claim; the
 * scheduled CronJob never overlaps; and the Job's own `etcdctl` command line, run against a real etcd on loopback
 * (endpoint and mount path mapped), produces a snapshot that restores into a member holding the data written before.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { versionSlug } from '../../../../constructs/k8s/etcd/etcd-snapshot.js';
import { VERSIONS } from '../../../../spec/versions.js';
import { hasBinary } from '../../../support/env.js';
import { byKind, type KubeObject, specsFrom, synthSpec } from '../../../support/synth.js';

type Container = { name: string; image: string; command: string[]; volumeMounts: { mountPath: string }[] };
type PodSpec = { restartPolicy: string; initContainers: Container[]; containers: Container[]; volumes: { persistentVolumeClaim: { claimName: string } }[]; securityContext: { runAsNonRoot: boolean } };
type Job = KubeObject & { spec: { backoffLimit: number; template: { spec: PodSpec } } };
type CronJob = KubeObject & { spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: PodSpec } } } } };

const eks = synthSpec(specsFrom().eks);
const job = byKind(eks.objects, 'Job')[0] as Job;

describe('etcd snapshots (09-etcd-backup)', () => {
  it('a pre-upgrade Job per platform version, on its own claim, in its own file applied before etcd', () => {
    expect(job.metadata.name).toMatch(new RegExp(`^dynamo-platform-etcd-snapshot-pre-${versionSlug(VERSIONS.dynamo.version)}-[0-9a-f]{8}$`));
    expect(eks.files.find((f) => f.content.includes('kind: Job'))!.path).toBe('eks/09-etcd-backup.k8s.yaml');
    const pod = job.spec.template.spec;
    expect(pod.volumes[0]!.persistentVolumeClaim.claimName).toBe('dynamo-platform-etcd-snapshots');
    expect(byKind(eks.objects, 'PersistentVolumeClaim', 'dynamo-platform-etcd-snapshots')).toHaveLength(1);
    expect(pod.initContainers[0]!.command).toEqual([
      '/usr/local/bin/etcdctl',
      '--endpoints=http://dynamo-platform-etcd.dynamo-system.svc.cluster.local:2379',
      '--command-timeout=120s',
      'snapshot',
      'save',
      `/snapshots/pre-upgrade-${versionSlug(VERSIONS.dynamo.version)}.db`,
    ]);
    // The same image as the members, so etcdctl and etcdutl match the server.
    expect(pod.initContainers[0]!.image).toBe(`${VERSIONS.etcd.image.repository}:${VERSIONS.etcd.image.tag}`);
    expect(pod.containers[0]!.command.slice(0, 3)).toEqual(['/usr/local/bin/etcdutl', 'snapshot', 'status']);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.restartPolicy).toBe('Never');
  });

  it('a Job\'s template is immutable: a new image, registry or pull Secret is a new Job name, the same input the same name', () => {
    const jobOf = (yaml?: string) => byKind(synthSpec(specsFrom(yaml).eks).objects, 'Job')[0] as Job;
    expect(jobOf().metadata.name).toBe(job.metadata.name);
    const mirrored = jobOf('platform: { images: { registry: r.example/m, pullSecrets: [pull] } }');
    expect(mirrored.metadata.name).not.toBe(job.metadata.name);
    expect(mirrored.metadata.name.length).toBeLessThanOrEqual(63);
    // The app-wide image pass leaves the Job as the construct wrote it (so the name hashes what the cluster gets).
    expect(mirrored.spec.template.spec.initContainers[0]!.image).toBe(`r.example/m/etcd-development/etcd:${VERSIONS.etcd.image.tag}`);
    expect((mirrored.spec.template.spec as unknown as { imagePullSecrets: unknown }).imagePullSecrets).toEqual([{ name: 'pull' }]);
    const long = jobOf('platform: { releaseName: a-release-name-of-thirty-char } ');
    expect(long.metadata.name.length).toBeLessThanOrEqual(63);
    expect(long.metadata.name).toMatch(/-[0-9a-f]{8}$/);
  });

  it('versions become name-safe slugs', () => {
    expect(versionSlug('0.9.0-post1')).toBe('0-9-0-post1');
    expect(versionSlug('v1.0.0+Build.7')).toBe('v1-0-0-build-7');
  });

  it('the clouds take a daily rolling snapshot that never overlaps; local has none, and backup: false drops the file', () => {
    const cron = byKind(eks.objects, 'CronJob')[0] as CronJob;
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec.template.spec.initContainers[0]!.command.at(-1)).toBe('/snapshots/scheduled.db');
    expect(byKind(synthSpec(specsFrom().local).objects, 'CronJob')).toEqual([]);
    const off = synthSpec(specsFrom('platform: { etcd: { backup: { enabled: false } } }').eks);
    expect(off.files.map((f) => f.path)).not.toContain('eks/09-etcd-backup.k8s.yaml');
  });

  it('NATS and etcd roll one member at a time within a budget that keeps quorum', () => {
    const stores = byKind(eks.objects, 'StatefulSet') as (KubeObject & { spec: { replicas: number; minReadySeconds?: number; updateStrategy?: { type: string; rollingUpdate?: { partition?: number; maxUnavailable?: number } }; selector: { matchLabels: Record<string, string> } } })[];
    expect(stores.map((s) => s.metadata.name).sort()).toEqual(['dynamo-platform-etcd', 'dynamo-platform-nats']);
    for (const sts of stores) {
      // RollingUpdate over every ordinal, one pod at a time (no maxUnavailable), each Ready for 10 s before the next.
      expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      expect(sts.spec.minReadySeconds).toBe(10);
      const pdb = (byKind(eks.objects, 'PodDisruptionBudget') as (KubeObject & { spec: { minAvailable?: number; selector: { matchLabels: Record<string, string> } } })[]).find(
        (p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(sts.spec.selector.matchLabels),
      );
      expect(pdb?.spec.minAvailable).toBe(Math.floor(sts.spec.replicas / 2) + 1);
    }
  });
});

const procs: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'etcd-snapshot-test-'));
afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
const ENV = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD'))), ETCDCTL_API: '3' };
const ctl = (args: string[]) => spawnSync('etcdctl', args, { env: ENV, encoding: 'utf8', timeout: 15000 });

async function startEtcd(name: string, dataDir: string): Promise<string> {
  const [c, p] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${c}`;
  const proc = spawn('etcd', [`--name=${name}`, `--data-dir=${dataDir}`, `--listen-client-urls=${url}`, `--advertise-client-urls=${url}`, `--listen-peer-urls=http://127.0.0.1:${p}`, `--initial-advertise-peer-urls=http://127.0.0.1:${p}`, `--initial-cluster=${name}=http://127.0.0.1:${p}`], { env: ENV, stdio: 'ignore' });
  procs.push(proc);
  for (let i = 0; i < 100; i++) {
    if (ctl([`--endpoints=${url}`, 'endpoint', 'health']).status === 0) return url;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`etcd ${name} did not become healthy`);
}

describe.skipIf(!(hasBinary('etcd', 'etcd-server') && hasBinary('etcdctl', 'etcd-client')))('the Job\'s snapshot command against a real etcd', () => {
  it('saves a snapshot that restores into a member holding the data written before', async () => {
    // GIVEN a running etcd with a key in it
    const url = await startEtcd('source', join(dir, 'source'));
    expect(ctl([`--endpoints=${url}`, 'put', '/dynamo/graph', 'vllm-agg']).status).toBe(0);

    // WHEN the Job's save command runs, with only the endpoint and the mount path mapped to this machine
    const save = job.spec.template.spec.initContainers[0]!;
    const mount = save.volumeMounts[0]!.mountPath;
    const args = save.command.slice(1).map((a) => a.replace(/^--endpoints=.*$/, `--endpoints=${url}`).replace(mount, join(dir, 'snapshots')));
    spawnSync('mkdir', ['-p', join(dir, 'snapshots')]);
    const r = ctl(args);
    expect(r.status, r.stderr).toBe(0);
    const file = args.at(-1)!;
    expect(existsSync(file)).toBe(true);
    // (etcdutl is not in Debian's etcd 3.4; its `snapshot status` is etcdctl's there.)
    expect(ctl(['snapshot', 'status', file, '--write-out=json']).stdout).toMatch(/"hash":\d+/);

    // THEN the snapshot restores into a new member that serves the key
    const restored = join(dir, 'restored');
    expect(ctl(['snapshot', 'restore', file, `--data-dir=${restored}`, '--name=restored', '--initial-cluster=restored=http://127.0.0.1:2380', '--initial-advertise-peer-urls=http://127.0.0.1:2380']).status).toBe(0);
    const url2 = await startEtcd('restored', restored);
    expect(ctl([`--endpoints=${url2}`, 'get', '/dynamo/graph', '--print-value-only']).stdout.trim()).toBe('vllm-agg');
  }, 60000);
});
