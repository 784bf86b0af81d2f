/**
 * `dynamo-iac diff OLD NEW`: what applying NEW over OLD changes, and which of those changes the cluster rejects or
 * only gets by replacing something.
 *
 * Each side is a synthesized output folder (`dist/<target>`, or a `dist` root whose target folders are compared one
 * by one) or a spec file (YAML or JSON, synthesized in memory for the target). Objects are matched by API group,
 * kind, namespace and name (the version is compared as a field). Changed objects list the JSON paths of their
 * changed leaves, values cut short and at most MAX_FIELDS per object.
 *
 * Pod-template annotations `checksum/*` are ignored: they are hashes of another object of the same output (a
 * ConfigMap), whose own change is listed, so they would only repeat it as an unreadable hash.
 *
 * A change is breaking when the API server or an admission webhook rejects it, or when it goes through but replaces
 * pods or breaks a quorum. The rules (RULES below) cite where each comes from.
 *
 * Exit codes: 0 nothing breaking, 2 something breaking, 1 the inputs could not be read or synthesized.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthK8sTarget } from '../charts/synth.js';
import { quantityToBytes } from '../constructs/k8s/common/quantity.js';
import { SpecError } from '../spec/errors.js';
import { parseSpecFile, resolveSpecs } from '../spec/load.js';
import { TARGETS, type Target } from '../spec/schema.js';

/** A Kubernetes object as written in a manifest. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One changed leaf: `from` is absent when the field is new, `to` when it is gone. Values are JSON, cut short. */
export interface FieldChange {
  readonly path: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ChangedObject {
  /** `<group>/<kind>/<namespace>/<name>`; the core group is `core`, cluster-scoped objects have an empty namespace. */
  readonly object: string;
  readonly fields: readonly FieldChange[];
  /** Changed leaves left out of `fields` (more than MAX_FIELDS). */
  readonly more: number;
}

export interface BreakingChange {
  readonly object: string;
  readonly reason: string;
}

export interface DiffResult {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedObject[];
  readonly breaking: readonly BreakingChange[];
}

export const MAX_FIELDS = 30;
const MAX_VALUE = 80;

// ---------------------------------------------------------------------------------------------- JSON helpers

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const rec = (v: unknown): Rec => (isRec(v) ? v : {});

function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = isRec(cur) ? cur[k] : undefined;
  return cur;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isRec(a) && isRec(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

/** A value for a message: JSON, at most MAX_VALUE characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 3)}...` : s;
}

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;
const child = (path: string, key: string): string => (SIMPLE_KEY.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** The element names of a list whose elements are all objects with distinct string `name`s (containers, env). */
function names(list: readonly unknown[]): string[] | undefined {
  const out = list.map((e) => (isRec(e) && typeof e['name'] === 'string' ? e['name'] : undefined));
  return out.every((n): n is string => n !== undefined) && new Set(out).size === out.length ? out : undefined;
}

/** The changed leaves between two values, in document order (maps by sorted key). */
export function fieldChanges(a: unknown, b: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(a, b, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (equal(a, b)) return;
  if (isRec(a) && isRec(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], child(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const na = names(a);
    const nb = names(b);
    if (na && nb && a.length + b.length > 0) {
      // Lists of named elements (containers, env vars, ports): matched by name, so an insertion is one change.
      const byName = (list: readonly unknown[], n: readonly string[]) => new Map(n.map((name, i) => [name, list[i]]));
      const ma = byName(a, na);
      const mb = byName(b, nb);
      for (const n of [...new Set([...na, ...nb])]) walk(ma.get(n), mb.get(n), `${path}[name=${n}]`, out);
      return;
    }
    if (a.length !== b.length && [...a, ...b].every((e) => !isRec(e) && !Array.isArray(e))) {
      // Scalar lists (args) of another length: the elements gone and the elements new.
      const rest = [...b];
      for (const e of a) {
        const i = rest.findIndex((x) => equal(x, e));
        if (i >= 0) rest.splice(i, 1);
        else out.push({ path: `${path}[]`, from: show(e) });
      }
      for (const e of rest) out.push({ path: `${path}[]`, to: show(e) });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  out.push({ path, ...(a !== undefined && { from: show(a) }), ...(b !== undefined && { to: show(b) }) });
}

/** A copy without the `checksum/*` annotations (see the header). */
function withoutChecksums(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((e) => withoutChecksums(e));
  if (!isRec(v)) return v;
  const out: Rec = {};
  for (const [k, e] of Object.entries(v)) {
    if (key === 'annotations' && k.startsWith('checksum/')) continue;
    out[k] = withoutChecksums(e, k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- identity

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : 'core');

/** `<group>/<kind>/<namespace>/<name>`: always four parts (groups and names hold no '/'). */
export const objectId = (o: K8sObject): string => `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function displayName(id: string): string {
  const [, kind, ns, name] = id.split('/');
  return `${kind} ${ns ? `${ns}/` : ''}${name}`;
}

// ---------------------------------------------------------------------------------------------- breaking rules

/** Reasons why updating `a` to `b` is rejected or replaces something; empty when it is safe. */
type Rule = (a: K8sObject, b: K8sObject) => string[];

const RECREATE = 'delete the object and create it again';

/**
 * The Dynamo operator's validating webhook on DynamoGraphDeployment updates, as of the pinned 0.9.0
 * (`deploy/operator/internal/webhook/validation/dynamographdeployment.go` in ai-dynamo/dynamo, formerly under
 * `deploy/cloud/operator/`): `validateImmutableFields` rejects a changed `spec.backendFramework` and a service
 * switching between single-node and multinode (`IsMultinode`: `multinode.nodeCount` > 1); `validateServiceTopology`
 * rejects adding or removing services; `validateReplicasChanges` rejects replica edits of a service whose
 * `scalingAdapter.enabled` is true (the DGDSA owns them; opt-in since 0.8.0, our graphs never set it).
 * These are flagged whether or not the webhook is on (platform.operator.webhook.enabled, off by default): without it
 * the update is admitted, but upstream does not support it (adding or removing services was already refused by
 * Grove before the webhook checked it, ai-dynamo/dynamo#5240): recreate the graph.
 */
const dgdRule: Rule = (a, b) => {
  const out: string[] = [];
  const fa = at(a, 'spec', 'backendFramework');
  const fb = at(b, 'spec', 'backendFramework');
  if (!equal(fa, fb)) {
    out.push(`spec.backendFramework ${show(fa)} -> ${show(fb)}: immutable, the Dynamo operator's webhook rejects the update (delete the graph and create it again)`);
  }
  const sa = rec(at(a, 'spec', 'services'));
  const sb = rec(at(b, 'spec', 'services'));
  const nodes = (s: unknown): number => {
    const n = at(s, 'multinode', 'nodeCount');
    return isRec(at(s, 'multinode')) && typeof n === 'number' ? n : 1;
  };
  const topology = (s: unknown): string => (nodes(s) > 1 ? `multinode, nodeCount ${nodes(s)}` : 'single-node');
  const role = (s: unknown): string => `${String(at(s, 'componentType') ?? '')}/${String(at(s, 'subComponentType') ?? '')}`;
  const SWITCH =
    "switching between single-node and multinode replaces the service's pods (with Grove a PodClique becomes a PodCliqueScalingGroup of leader and worker cliques, or back), and the Dynamo operator's webhook rejects it: delete the graph and create it again";
  let removed = Object.keys(sa).filter((n) => !(n in sb)).sort();
  let added = Object.keys(sb).filter((n) => !(n in sa)).sort();
  // Our worker services are named after backend, role and topology, so a topology switch renames the service:
  // pair a removed and an added service of the same role to say what really happened.
  for (const r of [...removed]) {
    const x = added.find((n) => role(sb[n]) === role(sa[r]) && nodes(sb[n]) > 1 !== nodes(sa[r]) > 1);
    if (!x) continue;
    out.push(`spec.services: ${r} (${topology(sa[r])}) becomes ${x} (${topology(sb[x])}): ${SWITCH}`);
    removed = removed.filter((n) => n !== r);
    added = added.filter((n) => n !== x);
  }
  if (added.length || removed.length) {
    const what = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ');
    out.push(`spec.services: ${what}: the Dynamo operator's webhook rejects adding or removing services of an existing graph (service topology is immutable): delete the graph and create it again`);
  }
  for (const n of Object.keys(sb).filter((k) => k in sa).sort()) {
    if (nodes(sa[n]) > 1 !== nodes(sb[n]) > 1) out.push(`spec.services.${n}: ${topology(sa[n])} -> ${topology(sb[n])}: ${SWITCH}`);
    const replicas = (s: unknown) => at(s, 'replicas') ?? 1;
    if (at(sb[n], 'scalingAdapter', 'enabled') === true && !equal(replicas(sa[n]), replicas(sb[n]))) {
      out.push(`spec.services.${n}.replicas ${show(replicas(sa[n]))} -> ${show(replicas(sb[n]))}: the scaling adapter is enabled, so the webhook rejects direct replica edits: scale the DynamoGraphDeploymentScalingAdapter instead`);
    }
  }
  return out;
};

/**
 * Kubernetes `ValidateStatefulSetUpdate` (kubernetes/kubernetes pkg/apis/apps/validation/validation.go): "updates to
 * statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
 * 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".
 */
const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);
const STATEFULSET_DEFAULTS: Rec = { podManagementPolicy: 'OrderedReady', serviceName: '' };

function summary(changes: readonly FieldChange[], n = 2): string {
  const head = changes.slice(0, n).map((c) => `${c.path}: ${c.from ?? '(absent)'} -> ${c.to ?? '(absent)'}`);
  return `${head.join('; ')}${changes.length > n ? `; ${changes.length - n} more` : ''}`;
}

const statefulSetRule: Rule = (a, b) => {
  const sa = rec(a['spec']);
  const sb = rec(b['spec']);
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(sa), ...Object.keys(sb)])].sort()) {
    if (STATEFULSET_MUTABLE.has(k)) continue;
    const va = sa[k] ?? STATEFULSET_DEFAULTS[k];
    const vb = sb[k] ?? STATEFULSET_DEFAULTS[k];
    if (equal(va, vb)) continue;
    const claims = k === 'volumeClaimTemplates' ? '; the existing claims keep their size and class (grow them with kubectl patch pvc)' : '';
    out.push(
      `spec.${k} changed (${summary(fieldChanges(va, vb, `spec.${k}`))}): the API server forbids updating StatefulSet fields other than replicas, ordinals, template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds: delete the StatefulSet with --cascade=orphan (its pods and claims stay) and apply again${claims}`,
    );
  }
  return out;
};

/** Every container argument (and command) of a StatefulSet's pod template. */
function containerArgs(o: K8sObject): string[] {
  const containers = at(o, 'spec', 'template', 'spec', 'containers');
  return (Array.isArray(containers) ? containers : []).flatMap((c) => [at(c, 'command'), at(c, 'args')].flatMap((l) => (Array.isArray(l) ? l.filter((x): x is string => typeof x === 'string') : [])));
}

const quorum = (n: number): number => Math.floor(n / 2) + 1;
const members = (name: string, from: number, to: number): string => {
  const list = Array.from({ length: to - from }, (_, i) => `${name}-${from + i}`);
  return list.length > 3 ? `${list[0]} .. ${list[list.length - 1]}` : list.join(', ');
};

/**
 * etcd with static bootstrap membership (constructs/k8s/etcd/etcd-args.ts): every member starts with
 * `--initial-cluster` listing `<name>-0 .. <name>-<replicas-1>` and `--initial-cluster-state=new`. Those flags only
 * bootstrap; afterwards the membership lives in the members' data volumes and changes only through the members API
 * (`etcdctl member add/remove`). So a replica change never changes the membership, and the roll it triggers (the
 * flag is in the pod template) restarts the members one at a time.
 */
function etcdReplicaReason(name: string, from: number, to: number): string {
  const head = `spec.replicas ${from} -> ${to} of an etcd with static membership (--initial-cluster, --initial-cluster-state=new):`;
  if (to > from) {
    const fresh = to - from;
    const split = fresh >= quorum(to);
    return `${head} the running cluster keeps its ${from} member${from === 1 ? '' : 's'} (the membership lives in the data volumes) and nobody runs etcdctl member add; ${members(name, from, to)} ${
      split
        ? `are ${fresh} of the ${to} members the new flag lists, a quorum (${quorum(to)}) by themselves: they bootstrap a second, empty cluster behind the same Service (split brain)`
        : `cannot join (their cluster ID is not the running one's) and never become ready, and the rolling update stalls on them`
    }; add members one at a time with etcdctl member add (--initial-cluster-state=existing) instead`;
  }
  const q = quorum(from);
  const effect =
    to < q
      ? `${to} of ${from} members are left and quorum needs ${q}: etcd stops serving writes and Dynamo's service discovery stops`
      : to - 1 < q
        ? `${to} of ${from} members are left (quorum ${q}); the roll then restarts them one at a time, leaving ${to - 1}: quorum is lost during the roll`
        : `${to} of ${from} members are left (quorum ${q}): the cluster tolerates ${to - q} failure${to - q === 1 ? '' : 's'} instead of ${from - q}`;
  return `${head} the StatefulSet deletes ${members(name, to, from)}, but they stay members (nobody runs etcdctl member remove): ${effect}; remove members with etcdctl member remove first`;
}

const etcdRule: Rule = (a, b) => {
  const isStatic = (o: K8sObject) => containerArgs(o).some((x) => x.startsWith('--initial-cluster='));
  if (!isStatic(a) && !isStatic(b)) return [];
  const ra = at(a, 'spec', 'replicas') ?? 1;
  const rb = at(b, 'spec', 'replicas') ?? 1;
  if (typeof ra !== 'number' || typeof rb !== 'number' || ra === rb) return [];
  return [etcdReplicaReason(b.metadata.name, ra, rb)];
};

/** Bytes of a storage quantity, or undefined when it is not one (then sizes are not compared). */
function bytes(q: unknown): number | undefined {
  if (typeof q !== 'string') return undefined;
  try {
    return quantityToBytes(q);
  } catch {
    return undefined;
  }
}

/**
 * Kubernetes `ValidatePersistentVolumeClaimUpdate` (pkg/apis/core/validation/validation.go): a claim's spec is
 * immutable after creation except `resources.requests` (storage may only grow: "field can not be less than previous
 * value") and `volumeAttributesClassName`.
 */
const pvcRule: Rule = (a, b) => {
  const out: string[] = [];
  const sa = rec(a['spec']);
  const sb = rec(b['spec']);
  const qa = at(sa, 'resources', 'requests', 'storage');
  const qb = at(sb, 'resources', 'requests', 'storage');
  const ba = bytes(qa);
  const bb = bytes(qb);
  if (ba !== undefined && bb !== undefined && bb < ba) {
    out.push(`spec.resources.requests.storage ${show(qa)} -> ${show(qb)}: a claim cannot shrink, the API server rejects a smaller request: keep the size, or move the data to a new claim`);
  }
  if (!equal(sa['storageClassName'], sb['storageClassName'])) {
    const from = sa['storageClassName'] === undefined ? '(the cluster default)' : show(sa['storageClassName']);
    const to = sb['storageClassName'] === undefined ? '(the cluster default)' : show(sb['storageClassName']);
    out.push(`spec.storageClassName ${from} -> ${to}: immutable after creation, the API server rejects the update: create a new claim and copy the data`);
  }
  const strip = (s: Rec): Rec => {
    const { storageClassName: _c, volumeAttributesClassName: _v, resources, ...rest } = s;
    const { requests: _r, ...otherResources } = rec(resources);
    return { ...rest, ...(Object.keys(otherResources).length && { resources: otherResources }) };
  };
  const other = fieldChanges(strip(sa), strip(sb), 'spec');
  if (other.length) out.push(`${summary(other)}: a claim's spec is immutable after creation except its storage request: create a new claim`);
  return out;
};

/** Fields the API server never lets change (`field is immutable`, `may not change once set`, `forbidden`). */
function immutable(kind: string, paths: readonly string[][], defaults: Rec = {}): Rule {
  return (a, b) =>
    paths.flatMap((p) => {
      const key = p[p.length - 1]!;
      const va = at(a, ...p) ?? defaults[key];
      const vb = at(b, ...p) ?? defaults[key];
      return equal(va, vb) ? [] : [`${p.join('.')} ${show(va)} -> ${show(vb)}: immutable on a ${kind}, the API server rejects the update: ${RECREATE}`];
    });
}

/** A Service's cluster IP may not change once set; headless (None) and a virtual IP do not turn into each other. */
const serviceRule: Rule = (a, b) => {
  const ca = at(a, 'spec', 'clusterIP');
  const cb = at(b, 'spec', 'clusterIP');
  if (equal(ca, cb) || (ca !== 'None' && cb !== 'None' && (ca === undefined || cb === undefined))) return [];
  return [`spec.clusterIP ${show(ca ?? '(assigned)')} -> ${show(cb ?? '(assigned)')}: may not change once set, the API server rejects the update: ${RECREATE}`];
};

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  'nvidia.com/DynamoGraphDeployment': [dgdRule],
  'apps/StatefulSet': [statefulSetRule, etcdRule],
  'core/PersistentVolumeClaim': [pvcRule],
  'core/Service': [serviceRule],
  'apps/Deployment': [immutable('Deployment', [['spec', 'selector']])],
  'apps/DaemonSet': [immutable('DaemonSet', [['spec', 'selector']])],
  'batch/Job': [immutable('Job', [['spec', 'selector'], ['spec', 'template']])],
  // ValidateStorageClassUpdate: "updates to parameters / provisioner / reclaimPolicy are forbidden", volumeBindingMode immutable.
  'storage.k8s.io/StorageClass': [
    immutable('StorageClass', [['provisioner'], ['parameters'], ['reclaimPolicy'], ['volumeBindingMode']], { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' }),
  ],
};

// ---------------------------------------------------------------------------------------------- diff

/** Added, removed and changed objects, and the breaking changes. Pure; ordered by object id. */
export function diffObjects(old: readonly K8sObject[], next: readonly K8sObject[]): DiffResult {
  const index = (list: readonly K8sObject[]) => new Map(list.map((o) => [objectId(o), o]));
  const a = index(old);
  const b = index(next);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changed: ChangedObject[] = [];
  const breaking: BreakingChange[] = [];
  for (const id of ids) {
    const oa = a.get(id);
    const ob = b.get(id);
    if (!oa || !ob) continue;
    const fields = fieldChanges(withoutChecksums(oa), withoutChecksums(ob));
    if (!fields.length) continue;
    changed.push({ object: id, fields: fields.slice(0, MAX_FIELDS), more: Math.max(0, fields.length - MAX_FIELDS) });
    const [group, kind] = id.split('/');
    for (const rule of RULES[`${group}/${kind}`] ?? []) for (const reason of rule(oa, ob)) breaking.push({ object: id, reason });
  }
  return { added: ids.filter((id) => !a.has(id)), removed: ids.filter((id) => !b.has(id)), changed, breaking };
}

export function renderDiff(r: DiffResult): string {
  const lines = [
    ...r.added.map((id) => `+ ${displayName(id)}`),
    ...r.removed.map((id) => `- ${displayName(id)}`),
    ...r.changed.flatMap((c) => [
      `~ ${displayName(c.object)}`,
      ...c.fields.map((f) => `    ${f.path}: ${f.from ?? '(absent)'} -> ${f.to ?? '(absent)'}`),
      ...(c.more ? [`    ... ${c.more} more`] : []),
    ]),
    ...r.breaking.map((x) => `BREAKING ${displayName(x.object)}: ${x.reason}`),
  ];
  const counts = `${r.added.length} added, ${r.removed.length} removed, ${r.changed.length} changed, ${r.breaking.length} breaking`;
  return [...lines, lines.length ? counts : 'no differences'].join('\n');
}

// ---------------------------------------------------------------------------------------------- inputs

/** Unreadable or malformed input (exit code 1). */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffInputError';
  }
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json'];
type Kind = 'spec' | 'folder' | 'root';

/** A spec file (a file named .yaml/.yml/.json), a manifest folder, or a root of target folders. */
function kindOf(path: string): Kind {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new DiffInputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (st.isFile()) {
    if (SPEC_EXTENSIONS.includes(extname(path).toLowerCase())) return 'spec';
    throw new DiffInputError(`${path}: neither a folder nor a spec file (.yaml, .yml or .json)`);
  }
  const entries = readdirSync(path, { withFileTypes: true });
  const manifests = entries.some((e) => e.isFile() && MANIFEST.test(e.name));
  return !manifests && entries.some((e) => e.isDirectory() && (TARGETS as readonly string[]).includes(e.name)) ? 'root' : 'folder';
}

/** The objects of every manifest file directly in a folder (`List` objects are unpacked). */
function readFolder(dir: string): K8sObject[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && MANIFEST.test(e.name)).map((e) => e.name).sort();
  return files.flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

function parseManifests(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  const add = (v: unknown, where: string) => {
    if (v === null || v === undefined) return;
    if (isRec(v) && v['kind'] === 'List' && Array.isArray(v['items'])) {
      v['items'].forEach((item, i) => add(item, `${where}, item ${i}`));
      return;
    }
    if (!isRec(v) || typeof v['apiVersion'] !== 'string' || typeof v['kind'] !== 'string' || typeof at(v, 'metadata', 'name') !== 'string') {
      throw new DiffInputError(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
    }
    out.push(v as unknown as K8sObject);
  };
  parseAllDocuments(text).forEach((doc, i) => {
    const where = `${source}, document ${i + 1}`;
    const problem = doc.errors[0];
    if (problem) throw new DiffInputError(`${where}: malformed YAML: ${problem.message.split('\n')[0]}`);
    add(doc.toJS(), where);
  });
  return out;
}

/** The objects a spec file synthesizes for one target (only that target is resolved). */
function synthSpecFile(path: string, target: Target): K8sObject[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiffInputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const spec = resolveSpecs(parseSpecFile(text, path), [target])[target];
  return synthK8sTarget(spec).flatMap((f) => parseManifests(f.content, f.path));
}

/**
 * One side of the diff for one target: a spec file synthesized for `target`, a manifest folder as it is, or
 * `<root>/<target>` of a root of target folders (nothing when that target folder is missing).
 */
export function loadSide(pathOrSpecFile: string, target: Target): K8sObject[] {
  switch (kindOf(pathOrSpecFile)) {
    case 'spec':
      return synthSpecFile(pathOrSpecFile, target);
    case 'folder':
      return readFolder(pathOrSpecFile);
    case 'root': {
      const dir = join(pathOrSpecFile, target);
      return existsDir(dir) ? readFolder(dir) : [];
    }
  }
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The JSON document of `--json`: one list per outcome over every target compared. */
export interface DiffJson {
  /** The targets compared, empty when two plain folders were (the target did not matter). */
  readonly targets: readonly Target[];
  readonly added: readonly { target?: Target; object: string }[];
  readonly removed: readonly { target?: Target; object: string }[];
  readonly changed: readonly ({ target?: Target } & ChangedObject)[];
  readonly breaking: readonly ({ target?: Target } & BreakingChange)[];
}

export interface DiffOptions {
  /** @default - every target folder when both sides are roots; else a side's target folder name, DYNAMO_IAC_TARGET or local */
  readonly target?: Target;
  readonly json?: boolean;
}

export interface DiffIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** `dynamo-iac diff OLD NEW`: prints the diff; returns 0 (nothing breaking), 2 (something breaking) or 1 (error). */
export function diffCommand(oldArg: string, newArg: string, opts: DiffOptions, io: DiffIo): number {
  let results: { target?: Target; result: DiffResult }[];
  try {
    const kinds = [kindOf(oldArg), kindOf(newArg)] as const;
    const folderTarget = [oldArg, newArg].map((p, i) => (kinds[i] === 'folder' ? basename(p) : '')).find((n): n is Target => (TARGETS as readonly string[]).includes(n));
    const envTarget = io.env['DYNAMO_IAC_TARGET'];
    if (envTarget !== undefined && !(TARGETS as readonly string[]).includes(envTarget)) throw new DiffInputError(`DYNAMO_IAC_TARGET: must be one of ${TARGETS.join(', ')}, got "${envTarget}"`);
    const side = (arg: string, t: Target) => {
      try {
        return loadSide(arg, t);
      } catch (e) {
        if (e instanceof SpecError) throw new DiffInputError(`${arg}: invalid spec for target ${t}: ${e.problems.join('; ')}`);
        throw e;
      }
    };
    if (kinds[0] === 'root' && kinds[1] === 'root' && !opts.target) {
      const present = (t: Target) => existsDir(join(oldArg, t)) || existsDir(join(newArg, t));
      results = TARGETS.filter(present).map((t) => ({ target: t, result: diffObjects(side(oldArg, t), side(newArg, t)) }));
    } else {
      const target = opts.target ?? folderTarget ?? (envTarget as Target | undefined) ?? 'local';
      const matters = kinds.some((k) => k !== 'folder') || folderTarget !== undefined || opts.target !== undefined;
      results = [{ ...(matters && { target }), result: diffObjects(side(oldArg, target), side(newArg, target)) }];
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`dynamo-iac diff: ${message.split('\n')[0]}`);
    return 1;
  }
  const breaking = results.some((r) => r.result.breaking.length > 0);
  if (opts.json) {
    const tag = <T extends object>(t: Target | undefined, x: T) => ({ ...(t && { target: t }), ...x });
    const doc: DiffJson = {
      targets: results.flatMap((r) => (r.target ? [r.target] : [])),
      added: results.flatMap((r) => r.result.added.map((object) => tag(r.target, { object }))),
      removed: results.flatMap((r) => r.result.removed.map((object) => tag(r.target, { object }))),
      changed: results.flatMap((r) => r.result.changed.map((c) => tag(r.target, c))),
      breaking: results.flatMap((r) => r.result.breaking.map((x) => tag(r.target, x))),
    };
    io.out(JSON.stringify(doc, null, 2));
  } else {
    io.out(results.length === 1 ? renderDiff(results[0]!.result) : results.map((r) => `# target ${r.target}\n${renderDiff(r.result)}`).join('\n\n') || 'no target folders');
  }
  return breaking ? 2 : 0;
}
