/**
 * `dynamo-iac diff`: pairs of small spec files (test/tools/fixtures/diff, synthesized for local), one per breaking
 * class and two safe ones, with their exit codes and reasons; synthesized folders and dist roots written to a
 * temporary directory; the `--json` document; input errors; and the rules of diffObjects on objects built here
 * (etcd quorum arithmetic, StatefulSet, PVC quantities, DynamoGraphDeployment, other immutable fields, bounds).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthK8sTarget } from '../../charts/synth.js';
import { parseSpecFile, resolveSpecs } from '../../spec/load.js';
import { diffCommand, type DiffJson, diffObjects, type K8sObject, loadSide, MAX_FIELDS, renderDiff } from '../../tools/diff.js';
import { ROOT } from '../support/env.js';

const fixture = (name: string): string => join(ROOT, 'test', 'tools', 'fixtures', 'diff', `${name}.yaml`);

function run(oldArg: string, newArg: string, opts: { target?: 'local' | 'eks'; json?: boolean } = {}, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = diffCommand(oldArg, newArg, opts, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const breakingLines = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('BREAKING '));

describe('spec file pairs (local)', () => {
  it.each<[string, number, RegExp[]]>([
    ['safe', 0, [/^ {4}spec\.services\.VllmWorker\.replicas: 1 -> 2$/m, /^ {4}spec\.services\.VllmWorker\.envs\[name=EXTRA_FLAG\]: \(absent\) -> \{"name":"EXTRA_FLAG","value":"1"\}$/m]],
    ['cache-grow', 0, [/^ {4}spec\.resources\.requests\.storage: "100Gi" -> "1Ti"$/m]],
    [
      'backend',
      2,
      [
        /^BREAKING DynamoGraphDeployment dynamo-workloads\/g: spec\.backendFramework "vllm" -> "sglang": immutable, the Dynamo operator's webhook rejects the update/m,
        /^BREAKING DynamoGraphDeployment dynamo-workloads\/g: spec\.services: added worker; removed VllmWorker: the Dynamo operator's webhook rejects adding or removing services/m,
      ],
    ],
    ['multinode', 2, [/^BREAKING DynamoGraphDeployment dynamo-workloads\/g: spec\.services: VllmWorker \(single-node\) becomes worker \(multinode, nodeCount 2\): switching between single-node and multinode replaces the service's pods \(with Grove a PodClique becomes a PodCliqueScalingGroup/m]],
    [
      'etcd-replicas',
      2,
      [/^BREAKING StatefulSet dynamo-system\/dynamo-platform-etcd: spec\.replicas 1 -> 3 of an etcd with static membership .*dynamo-platform-etcd-1, dynamo-platform-etcd-2 are 2 of the 3 members the new flag lists, a quorum \(2\) by themselves: .*split brain/m],
    ],
    ['etcd-storage', 2, [/^BREAKING StatefulSet dynamo-system\/dynamo-platform-etcd: spec\.volumeClaimTemplates changed \(spec\.volumeClaimTemplates\[0\]\.spec\.resources\.requests\.storage: "1Gi" -> "2Gi"\): the API server forbids updating StatefulSet fields other than replicas, .*--cascade=orphan/m]],
    ['cache-shrink', 2, [/^BREAKING PersistentVolumeClaim dynamo-workloads\/model-cache: spec\.resources\.requests\.storage "100Gi" -> "50Gi": a claim cannot shrink/m]],
    ['cache-class', 2, [/^BREAKING PersistentVolumeClaim dynamo-workloads\/model-cache: spec\.storageClassName \(the cluster default\) -> "nfs-rwx": immutable after creation/m]],
  ])('base -> %s: exit %i', (name, code, patterns) => {
    const r = run(fixture('base'), fixture(name));
    expect(r.err).toBe('');
    expect(r.code).toBe(code);
    for (const p of patterns) expect(r.out).toMatch(p);
    if (code === 0) expect(breakingLines(r.out)).toEqual([]);
    expect(r.out.split('\n').at(-1)).toMatch(new RegExp(`^0 added, 0 removed, [12] changed, ${breakingLines(r.out).length} breaking$`));
  });

  it('the same spec on both sides: no differences, exit 0', () => {
    expect(run(fixture('base'), fixture('base'))).toEqual({ code: 0, out: 'no differences', err: '' });
  });

  it('--target picks the target a spec file is synthesized for (eks: 3 etcd members, no local-only objects)', () => {
    const eks = loadSide(fixture('base'), 'eks');
    const local = loadSide(fixture('base'), 'local');
    const etcd = (list: K8sObject[]) => list.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'dynamo-platform-etcd')!['spec'] as { replicas: number };
    expect([etcd(local).replicas, etcd(eks).replicas]).toEqual([1, 3]);
    const r = run(fixture('base'), fixture('etcd-replicas'), { target: 'eks', json: true });
    // etcd-replicas sets 3 members, which eks already has: nothing changes there.
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ targets: ['eks'], changed: [], breaking: [] });
  });
});

describe('--json', () => {
  it('a stable document: targets, added, removed, changed with field paths, breaking with reasons; nothing on stderr', () => {
    const r = run(fixture('base'), fixture('backend'), { json: true });
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out) as DiffJson;
    expect(Object.keys(doc)).toEqual(['targets', 'added', 'removed', 'changed', 'breaking']);
    expect(doc).toMatchObject({ targets: ['local'], added: [], removed: [] });
    const g = 'nvidia.com/DynamoGraphDeployment/dynamo-workloads/g';
    expect(doc.changed).toHaveLength(1);
    expect(doc.changed[0]).toMatchObject({ target: 'local', object: g, more: 0 });
    expect(doc.changed[0]!.fields).toContainEqual({ path: 'spec.backendFramework', from: '"vllm"', to: '"sglang"' });
    expect(doc.changed[0]!.fields.find((f) => f.path === 'spec.services.worker')).toEqual({ path: 'spec.services.worker', to: expect.stringMatching(/^\{"componentType":"worker".{0,70}\.\.\.$/) as unknown as string });
    expect(doc.breaking.map((b) => [b.target, b.object])).toEqual([
      ['local', g],
      ['local', g],
    ]);
    expect(doc.breaking[0]!.reason).toMatch(/^spec\.backendFramework "vllm" -> "sglang": immutable/);
  });
});

describe('synthesized folders', () => {
  let tmp: string;
  const write = (dir: string, specFile: string, target: 'local' | 'eks' = 'local') => {
    const spec = resolveSpecs(parseSpecFile(readFileSync(specFile, 'utf8'), specFile), [target])[target];
    for (const f of synthK8sTarget(spec)) {
      mkdirSync(join(dir, f.path, '..'), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
  };
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'dynamo-iac-diff-'));
    write(join(tmp, 'old'), fixture('base'));
    write(join(tmp, 'new'), fixture('etcd-replicas'));
    // A target folder that only the new root has.
    mkdirSync(join(tmp, 'new', 'gke'));
    writeFileSync(join(tmp, 'new', 'gke', '90-extra.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra, namespace: default }\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('dist/<target> folder against folder: the etcd StatefulSet and its budget changed, breaking (exit 2); the target comes from the folder name', () => {
    const r = run(join(tmp, 'old', 'local'), join(tmp, 'new', 'local'), { json: true });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out) as DiffJson;
    expect(doc.targets).toEqual(['local']);
    expect(doc.changed.map((c) => c.object)).toEqual(['apps/StatefulSet/dynamo-system/dynamo-platform-etcd', 'policy/PodDisruptionBudget/dynamo-system/dynamo-platform-etcd']);
    expect(doc.changed[0]!.fields[0]).toEqual({ path: 'spec.replicas', from: '1', to: '3' });
    expect(doc.breaking).toHaveLength(1);
    expect(doc.breaking[0]!.reason).toMatch(/split brain/);
  });

  it('a folder against the spec file it was synthesized from: no differences (the YAML round trip loses nothing)', () => {
    expect(run(join(tmp, 'old', 'local'), fixture('base')).out).toBe('no differences');
    expect(run(join(tmp, 'old', 'local'), fixture('etcd-replicas')).code).toBe(2);
  });

  it('dist roots: every target folder of either side, one section each (gke only on the new side: all added)', () => {
    const r = run(join(tmp, 'old'), join(tmp, 'new'));
    expect(r.code).toBe(2);
    const sections = r.out.split('\n\n');
    expect(sections.map((s) => s.split('\n')[0])).toEqual(['# target local', '# target gke']);
    expect(sections[1]).toBe('# target gke\n+ ConfigMap default/extra\n1 added, 0 removed, 0 changed, 0 breaking');
    const onlyLocal = JSON.parse(run(join(tmp, 'old'), join(tmp, 'new'), { target: 'local', json: true }).out) as DiffJson;
    expect(onlyLocal.targets).toEqual(['local']);
    expect(onlyLocal.added).toEqual([]);
  });

  it('plain folders (not named after a target): List objects unpacked, no target in the JSON, checksum annotations ignored', () => {
    const a = join(tmp, 'plain-a');
    const b = join(tmp, 'plain-b');
    mkdirSync(a);
    mkdirSync(b);
    const cm = (value: string, checksum: string) =>
      `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: c, namespace: n, annotations: { checksum/config: "${checksum}" } }\n    data: { key: "${value}" }\n`;
    writeFileSync(join(a, 'x.yaml'), cm('1', 'aaa'));
    writeFileSync(join(b, 'x.yml'), cm('2', 'bbb'));
    const doc = JSON.parse(run(a, b, { json: true }).out) as DiffJson;
    expect(doc).toEqual({ targets: [], added: [], removed: [], changed: [{ object: 'core/ConfigMap/n/c', fields: [{ path: 'data.key', from: '"1"', to: '"2"' }], more: 0 }], breaking: [] });
  });
});

describe('input errors: exit 1 with one line on stderr', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'dynamo-iac-diff-err-'));
    mkdirSync(join(tmp, 'bad'));
    writeFileSync(join(tmp, 'bad', 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata: {}\n');
    mkdirSync(join(tmp, 'broken'));
    writeFileSync(join(tmp, 'broken', 'a.yaml'), 'kind: [\n');
    writeFileSync(join(tmp, 'notes.txt'), 'hello');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each<[string, () => [string, string], RegExp]>([
    ['a missing path', () => [fixture('base'), join(tmp, 'missing')], /^dynamo-iac diff: .*missing: cannot read \(ENOENT\)$/],
    ['an invalid spec (every problem on the one line)', () => [fixture('invalid'), fixture('base')], /^dynamo-iac diff: .*invalid\.yaml: invalid spec for target local: graphs\.g\.replicas: unknown key$/],
    ['an object without a name', () => [join(tmp, 'bad'), join(tmp, 'bad')], /^dynamo-iac diff: .*a\.yaml, document 1: not a Kubernetes object/],
    ['malformed YAML in a folder', () => [join(tmp, 'broken'), fixture('base')], /^dynamo-iac diff: .*a\.yaml, document 1: malformed YAML/],
    ['a file that is no spec file', () => [join(tmp, 'notes.txt'), fixture('base')], /^dynamo-iac diff: .*notes\.txt: neither a folder nor a spec file/],
    ['a bad DYNAMO_IAC_TARGET', () => [fixture('base'), fixture('base')], /^dynamo-iac diff: DYNAMO_IAC_TARGET: must be one of/],
  ])('%s', (what, args, message) => {
    const [a, b] = args();
    const r = run(a, b, {}, what.includes('DYNAMO_IAC_TARGET') ? { DYNAMO_IAC_TARGET: 'mars' } : {});
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------- rules, on objects

const obj = (apiVersion: string, kind: string, name: string, body: Record<string, unknown>, namespace: string | null = 'ns'): K8sObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace && { namespace }) },
  ...body,
});
const reasons = (a: K8sObject, b: K8sObject): string[] => diffObjects([a], [b]).breaking.map((x) => x.reason);
const clone = <T>(v: T): T => structuredClone(v);

describe('etcd replica changes (static membership)', () => {
  let etcd: K8sObject;
  let nats: K8sObject;
  beforeAll(() => {
    const objects = loadSide(fixture('base'), 'local');
    etcd = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'dynamo-platform-etcd')!;
    nats = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'dynamo-platform-nats')!;
  });
  const withReplicas = (o: K8sObject, n: number): K8sObject => ({ ...clone(o), spec: { ...(o['spec'] as object), replicas: n } });

  it.each<[number, number, RegExp]>([
    [3, 5, /^spec\.replicas 3 -> 5 .*dynamo-platform-etcd-3, dynamo-platform-etcd-4 cannot join .* never become ready, and the rolling update stalls/],
    [3, 1, /^spec\.replicas 3 -> 1 .*deletes dynamo-platform-etcd-1, dynamo-platform-etcd-2, but they stay members .*: 1 of 3 members are left and quorum needs 2: etcd stops serving writes/],
    [5, 3, /3 of 5 members are left \(quorum 3\); the roll then restarts them one at a time, leaving 2: quorum is lost during the roll/],
    [7, 5, /5 of 7 members are left \(quorum 4\): the cluster tolerates 1 failure instead of 3/],
    [1, 7, /dynamo-platform-etcd-1 \.\. dynamo-platform-etcd-6 are 6 of the 7 members .*split brain/],
  ])('%i -> %i', (from, to, reason) => {
    const r = reasons(withReplicas(etcd, from), withReplicas(etcd, to));
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(reason);
  });

  it('a StatefulSet without --initial-cluster (NATS) scales without a flag', () => {
    expect(reasons(withReplicas(nats, 1), withReplicas(nats, 3))).toEqual([]);
  });
});

describe('StatefulSet fields', () => {
  const sts = (spec: Record<string, unknown>) => obj('apps/v1', 'StatefulSet', 's', { spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, serviceName: 'h', ...spec } });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, RegExp | undefined]>([
    ['podManagementPolicy set to its default', {}, { podManagementPolicy: 'OrderedReady' }, undefined],
    ['podManagementPolicy Parallel', {}, { podManagementPolicy: 'Parallel' }, /^spec\.podManagementPolicy changed \(spec\.podManagementPolicy: "OrderedReady" -> "Parallel"\): the API server forbids/],
    ['serviceName', {}, { serviceName: 'other' }, /^spec\.serviceName changed \(spec\.serviceName: "h" -> "other"\)/],
    ['selector', {}, { selector: { matchLabels: { a: 'c' } } }, /^spec\.selector changed \(spec\.selector\.matchLabels\.a: "b" -> "c"\)/],
    ['replicas, updateStrategy, minReadySeconds, revisionHistoryLimit', {}, { replicas: 4, updateStrategy: { type: 'OnDelete' }, minReadySeconds: 5, revisionHistoryLimit: 2 }, undefined],
  ])('%s', (_what, a, b, reason) => {
    const r = reasons(sts(a), sts(b));
    if (reason) {
      expect(r).toHaveLength(1);
      expect(r[0]).toMatch(reason);
    } else expect(r).toEqual([]);
  });
});

describe('PersistentVolumeClaim sizes compare as quantities', () => {
  const pvc = (storage: string, extra: Record<string, unknown> = {}) => obj('v1', 'PersistentVolumeClaim', 'c', { spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage } }, ...extra } });

  it.each<[string, string, boolean]>([
    ['50Gi', '100Gi', false],
    ['100Gi', '50Gi', true],
    ['1Ti', '1000Gi', true],
    ['1000Gi', '1Ti', false],
    ['1Gi', '1G', true],
    ['2Gi', '2048Mi', false],
    ['100Gi', '107374182400', false],
  ])('%s -> %s: breaking %s', (from, to, shrink) => {
    const d = diffObjects([pvc(from)], [pvc(to)]);
    expect(d.changed).toHaveLength(1);
    expect(d.breaking.map((b) => b.reason)).toEqual(shrink ? [`spec.resources.requests.storage "${from}" -> "${to}": a claim cannot shrink, the API server rejects a smaller request: keep the size, or move the data to a new claim`] : []);
  });

  it('accessModes and storageClassName are immutable; volumeAttributesClassName is not', () => {
    expect(reasons(pvc('1Gi', { storageClassName: 'a' }), pvc('1Gi', { storageClassName: 'b', accessModes: ['ReadWriteOnce'] }))).toEqual([
      'spec.storageClassName "a" -> "b": immutable after creation, the API server rejects the update: create a new claim and copy the data',
      'spec.accessModes[0]: "ReadWriteMany" -> "ReadWriteOnce": a claim\'s spec is immutable after creation except its storage request: create a new claim',
    ]);
    expect(reasons(pvc('1Gi'), pvc('1Gi', { volumeAttributesClassName: 'fast' }))).toEqual([]);
  });
});

describe('DynamoGraphDeployment', () => {
  const dgd = (services: Record<string, unknown>, backend = 'vllm') => obj('nvidia.com/v1alpha1', 'DynamoGraphDeployment', 'g', { spec: { backendFramework: backend, services } });
  const worker = (extra: Record<string, unknown> = {}) => ({ componentType: 'worker', replicas: 1, ...extra });

  it('a service of the same name turning multinode is rejected; a nodeCount change within multinode is not', () => {
    expect(reasons(dgd({ w: worker({ multinode: { nodeCount: 2 } }) }), dgd({ w: worker() }))).toEqual([
      expect.stringMatching(/^spec\.services\.w: multinode, nodeCount 2 -> single-node: switching between single-node and multinode replaces the service's pods/) as unknown as string,
    ]);
    expect(reasons(dgd({ w: worker({ multinode: { nodeCount: 2 } }) }), dgd({ w: worker({ multinode: { nodeCount: 4 } }) }))).toEqual([]);
    // nodeCount 1 is single-node, as upstream's IsMultinode counts it.
    expect(reasons(dgd({ w: worker() }), dgd({ w: worker({ multinode: { nodeCount: 1 } }) }))).toEqual([]);
  });

  it('replica edits: free without a scaling adapter, rejected with scalingAdapter.enabled', () => {
    expect(reasons(dgd({ w: worker() }), dgd({ w: worker({ replicas: 3 }) }))).toEqual([]);
    expect(reasons(dgd({ w: worker({ scalingAdapter: { enabled: true } }) }), dgd({ w: worker({ replicas: 3, scalingAdapter: { enabled: true } }) }))).toEqual([
      'spec.services.w.replicas 1 -> 3: the scaling adapter is enabled, so the webhook rejects direct replica edits: scale the DynamoGraphDeploymentScalingAdapter instead',
    ]);
  });

  it('adding a service (e.g. the Planner) is rejected', () => {
    expect(reasons(dgd({ w: worker() }), dgd({ w: worker(), Planner: { componentType: 'planner' } }))).toEqual([
      "spec.services: added Planner: the Dynamo operator's webhook rejects adding or removing services of an existing graph (service topology is immutable): delete the graph and create it again",
    ]);
  });
});

describe('other immutable fields', () => {
  it.each<[string, K8sObject, K8sObject, RegExp | undefined]>([
    ['Deployment selector', obj('apps/v1', 'Deployment', 'd', { spec: { selector: { matchLabels: { a: '1' } } } }), obj('apps/v1', 'Deployment', 'd', { spec: { selector: { matchLabels: { a: '2' } } } }), /^spec\.selector .*: immutable on a Deployment/],
    ['Deployment replicas', obj('apps/v1', 'Deployment', 'd', { spec: { replicas: 1 } }), obj('apps/v1', 'Deployment', 'd', { spec: { replicas: 2 } }), undefined],
    ['Job template', obj('batch/v1', 'Job', 'j', { spec: { template: { spec: { containers: [{ name: 'c', image: 'a' }] } } } }), obj('batch/v1', 'Job', 'j', { spec: { template: { spec: { containers: [{ name: 'c', image: 'b' }] } } } }), /^spec\.template .*: immutable on a Job/],
    ['headless Service becoming a ClusterIP one', obj('v1', 'Service', 's', { spec: { clusterIP: 'None' } }), obj('v1', 'Service', 's', { spec: {} }), /^spec\.clusterIP "None" -> "\(assigned\)": may not change once set/],
    ['Service ports', obj('v1', 'Service', 's', { spec: { ports: [{ port: 1 }] } }), obj('v1', 'Service', 's', { spec: { ports: [{ port: 2 }] } }), undefined],
    ['StorageClass parameters', obj('storage.k8s.io/v1', 'StorageClass', 'c', { provisioner: 'p', parameters: { type: 'gp2' } }, null), obj('storage.k8s.io/v1', 'StorageClass', 'c', { provisioner: 'p', parameters: { type: 'gp3' } }, null), /^parameters .*: immutable on a StorageClass/],
    ['StorageClass reclaimPolicy written as its default, and allowVolumeExpansion', obj('storage.k8s.io/v1', 'StorageClass', 'c', { provisioner: 'p' }, null), obj('storage.k8s.io/v1', 'StorageClass', 'c', { provisioner: 'p', reclaimPolicy: 'Delete', allowVolumeExpansion: true }, null), undefined],
  ])('%s', (_what, a, b, reason) => {
    const r = reasons(a, b);
    if (reason) {
      expect(r).toHaveLength(1);
      expect(r[0]).toMatch(reason);
    } else expect(r).toEqual([]);
  });
});

describe('diffObjects and renderDiff', () => {
  it('objects are keyed by group, kind, namespace and name (not version); text lists +, -, ~ and BREAKING lines', () => {
    const role = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', {}, null);
    const dgdA = obj('nvidia.com/v1alpha1', 'DynamoGraphDeployment', 'g', { spec: { backendFramework: 'vllm' } });
    const dgdB = obj('nvidia.com/v1beta1', 'DynamoGraphDeployment', 'g', { spec: { backendFramework: 'trtllm' } });
    const cm = obj('v1', 'ConfigMap', 'c', {});
    const d = diffObjects([role, dgdA], [dgdB, cm]);
    expect(d.added).toEqual(['core/ConfigMap/ns/c']);
    expect(d.removed).toEqual(['rbac.authorization.k8s.io/ClusterRole//r']);
    expect(renderDiff(d)).toBe(
      [
        '+ ConfigMap ns/c',
        '- ClusterRole r',
        '~ DynamoGraphDeployment ns/g',
        '    apiVersion: "nvidia.com/v1alpha1" -> "nvidia.com/v1beta1"',
        '    spec.backendFramework: "vllm" -> "trtllm"',
        'BREAKING DynamoGraphDeployment ns/g: spec.backendFramework "vllm" -> "trtllm": immutable, the Dynamo operator\'s webhook rejects the update (delete the graph and create it again)',
        '1 added, 1 removed, 1 changed, 1 breaking',
      ].join('\n'),
    );
  });

  it('checksum/* annotations are not differences; other annotations are', () => {
    const pod = (checksum: string, other: string) => obj('apps/v1', 'Deployment', 'd', { spec: { template: { metadata: { annotations: { 'checksum/config': checksum, note: other } } } } });
    expect(diffObjects([pod('a', 'x')], [pod('b', 'x')]).changed).toEqual([]);
    expect(diffObjects([pod('a', 'x')], [pod('b', 'y')]).changed[0]!.fields).toEqual([{ path: 'spec.template.metadata.annotations.note', from: '"x"', to: '"y"' }]);
  });

  it('bounded: at most MAX_FIELDS fields per object (the rest counted), values cut at 80 characters', () => {
    const labels = (v: string) => Object.fromEntries(Array.from({ length: MAX_FIELDS + 10 }, (_, i) => [`l${String(i).padStart(2, '0')}`, v]));
    const d = diffObjects([obj('v1', 'ConfigMap', 'c', { data: labels('a') })], [obj('v1', 'ConfigMap', 'c', { data: labels('x'.repeat(200)) })]);
    expect(d.changed[0]!.fields).toHaveLength(MAX_FIELDS);
    expect(d.changed[0]!.more).toBe(10);
    expect(d.changed[0]!.fields[0]!.to).toHaveLength(80);
    expect(d.changed[0]!.fields[0]!.to!.endsWith('...')).toBe(true);
    expect(renderDiff(d)).toContain('    ... 10 more');
  });

  it('named lists match by name; scalar lists of another length list the elements gone and new', () => {
    const c = (env: { name: string; value: string }[], args: string[]) => obj('apps/v1', 'Deployment', 'd', { spec: { template: { spec: { containers: [{ name: 'm', env, args }] } } } });
    const d = diffObjects([c([{ name: 'A', value: '1' }], ['--x', '--y'])], [c([{ name: 'B', value: '2' }, { name: 'A', value: '1' }], ['--x', '--z', '--y'])]);
    expect(d.changed[0]!.fields).toEqual([
      { path: 'spec.template.spec.containers[name=m].args[]', to: '"--z"' },
      { path: 'spec.template.spec.containers[name=m].env[name=B]', to: '{"name":"B","value":"2"}' },
    ]);
  });
});
