/**
 * Read-only root filesystems everywhere: every container of every object a target emits, for the default spec and
 * every shipped example, runs with `readOnlyRootFilesystem: true`. Containers are found by walking each object (any
 * `containers`, `initContainers`, `ephemeralContainers` list and any DynamoGraphDeployment `mainContainer`), so a
 * new kind of object cannot slip past. checkov's CKV_K8S_22 sees only the built-in kinds, and skipping it is refused
 * outright (test/constructs/k8s/common/checkov.test.ts), so this test allows no exception. What each container
 * still writes must be on its volumes: the platform's below (from each process's own flags, env and configuration),
 * the graph services' in test/charts/graph-runtime.test.ts (from the images and the operator).
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../spec/schema.js';
import { ALL_EXAMPLES_SPEC, type KubeObject, specsFrom, synthSpec } from '../support/synth.js';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Every container of an object, with its JSON path. */
function containersOf(obj: Json): { path: string; container: Record<string, Json> }[] {
  const out: { path: string; container: Record<string, Json> }[] = [];
  const walk = (v: Json, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (LISTS.has(k) && Array.isArray(x)) x.filter(isObject).forEach((c, i) => out.push({ path: `${at}.${k}[${i}]`, container: c }));
        else if (k === 'mainContainer' && isObject(x)) out.push({ path: `${at}.${k}`, container: x });
        else walk(x, `${at}.${k}`);
      }
    }
  };
  walk(obj, '');
  return out;
}

const SPECS = { default: specsFrom(), examples: specsFrom(ALL_EXAMPLES_SPEC) };

describe.each(TARGETS)('%s: read-only root filesystems', (target) => {
  it.each(['default', 'examples'] as const)('%s spec: every container of every emitted object has readOnlyRootFilesystem: true', (set) => {
    const objects: KubeObject[] = synthSpec(SPECS[set][target]).objects;
    const found = objects.flatMap((o) => containersOf(o).map((c) => ({ ...c, where: `${o.kind}/${o.metadata.name}${c.path}` })));
    // The walk finds the platform's and the graphs' containers (a walker that finds nothing proves nothing).
    const kinds = new Set(found.map((f) => f.where.split('/')[0]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['DynamoGraphDeployment', 'Deployment', 'StatefulSet', 'Job', 'Pod']));
    for (const { container, where } of found) {
      const sc = isObject(container['securityContext']) ? container['securityContext'] : {};
      expect(sc['readOnlyRootFilesystem'], where).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------- platform writers

type Pod = { containers?: Record<string, Json>[]; initContainers?: Record<string, Json>[]; volumes?: Record<string, Json>[] };
const POD_PATHS: Record<string, (o: Record<string, Json>) => Json> = {
  Deployment: (o) => (o as { spec: { template: { spec: Json } } }).spec.template.spec,
  StatefulSet: (o) => (o as { spec: { template: { spec: Json } } }).spec.template.spec,
  Job: (o) => (o as { spec: { template: { spec: Json } } }).spec.template.spec,
  CronJob: (o) => (o as { spec: { jobTemplate: { spec: { template: { spec: Json } } } } }).spec.jobTemplate.spec.template.spec,
  Pod: (o) => o['spec'],
};
const DIR_VARS = ['HOME', 'TMPDIR', 'HF_HOME', 'XDG_CACHE_HOME'];
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);

/**
 * What a platform process writes, read from its own configuration: directory variables, etcd's `--data-dir` and
 * `--wal-dir`, the file of `etcdctl snapshot save` (and its `.part`, in the same directory), and the `pid_file`,
 * `store_dir` and `log_file` of a nats-server configuration the container mounts.
 */
function platformWrites(c: Record<string, Json>, pod: Pod, configMaps: Map<string, string>): string[] {
  const words = [...((c['command'] as string[] | undefined) ?? []), ...((c['args'] as string[] | undefined) ?? [])];
  const env = ((c['env'] as { name: string; value?: string }[] | undefined) ?? []).filter((e) => DIR_VARS.includes(e.name) && e.value).map((e) => e.value!);
  const flags = words.flatMap((w) => /^--(data|wal)-dir=(.+)$/.exec(w)?.[2] ?? []);
  const save = words.findIndex((w, i) => w === 'save' && words[i - 1] === 'snapshot');
  const snapshot = save >= 0 && words[save + 1] ? [words[save + 1]!] : [];
  const mounted = ((c['volumeMounts'] as { name: string }[] | undefined) ?? []).flatMap((m) => {
    const cm = (pod.volumes ?? []).find((v) => v['name'] === m.name)?.['configMap'] as { name: string } | undefined;
    return cm ? [configMaps.get(cm.name) ?? ''] : [];
  });
  const nats = mounted.flatMap((text) => [...text.matchAll(/^\s*(pid_file|store_dir|log_file):\s*"([^"]+)"/gm)].map((m) => m[2]!));
  return [...env, ...flags, ...snapshot, ...nats];
}

describe.each(TARGETS)('%s: platform containers write only to their volumes', (target) => {
  it('every path a platform process writes (from its own flags, env and configuration) is on a writable mount of its container', () => {
    const objects = synthSpec(SPECS.default[target]).objects;
    const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.values((o['data'] ?? {}) as Record<string, string>).map((text) => [o.metadata.name, text] as const)));
    const writers = new Set<string>();
    for (const o of objects) {
      const podOf = POD_PATHS[o.kind];
      if (!podOf) continue;
      const pod = podOf(o as Record<string, Json>) as Pod;
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const mounts = (c['volumeMounts'] as { mountPath: string; readOnly?: boolean }[] | undefined) ?? [];
        for (const path of platformWrites(c, pod, configMaps)) {
          const m = mounts.filter((x) => under(path, x.mountPath)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
          expect(m !== undefined && m.readOnly !== true, `${o.kind}/${o.metadata.name} ${String(c['name'])}: ${path} is on no writable mount`).toBe(true);
          writers.add(`${o.kind}/${String(c['name'])}`);
        }
      }
    }
    // etcd (data dir), the snapshot Job (file), NATS (pid file, JetStream store), the access pod (HOME, HF_HOME).
    expect([...writers].sort()).toEqual(expect.arrayContaining(['Job/save', 'Pod/shell', 'StatefulSet/etcd', 'StatefulSet/nats']));
  });
});

describe('the container walker', () => {
  it('finds containers of pods, templates, job templates and graph services, and nothing else', () => {
    const obj = {
      spec: {
        jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'a' }], containers: [{ name: 'b' }] } } } },
        services: { S: { extraPodSpec: { mainContainer: { image: 'x' }, containers: [{ name: 'side' }] } } },
        containersNote: 'not a list',
      },
    };
    expect(containersOf(obj).map((c) => c.path)).toEqual([
      '.spec.jobTemplate.spec.template.spec.initContainers[0]',
      '.spec.jobTemplate.spec.template.spec.containers[0]',
      '.spec.services.S.extraPodSpec.mainContainer',
      '.spec.services.S.extraPodSpec.containers[0]',
    ]);
  });
});
