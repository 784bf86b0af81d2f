/**
 * The breaking-change rules of `dynamo-iac diff`: why updating an object to its new version is rejected (by the API
 * server or an admission webhook) or goes through but replaces pods or breaks a quorum. Each rule cites where it
 * comes from; `breakingReasons` applies the rules of an object's API group and kind (RULES).
 */
import { quantityToBytes } from '../constructs/k8s/common/quantity.js';
import { at, equal, type FieldChange, fieldChanges, isRec, type K8sObject, objectId, rec, type Rec, show } from './diff-fields.js';

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

/** Reasons why updating `a` to `b` (objects of the same objectId) is rejected or replaces something; empty when it is safe. */
export function breakingReasons(a: K8sObject, b: K8sObject): string[] {
  const [group, kind] = objectId(a).split('/');
  return (RULES[`${group}/${kind}`] ?? []).flatMap((rule) => rule(a, b));
}
