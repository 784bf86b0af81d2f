/**
 * Serving-path availability on every target: the frontend count, the spread of every service with 2 or more
 * replicas, and the PodDisruptionBudgets, checked against the pods they must select (the labels the pods carry at run
 * time: the operator copies `extraPodMetadata`, and on the Grove path Grove overwrites its own keys, see
 * test/support/operator.ts podLabels) and against what the eviction API does with them during a drain.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { CLOUD_TARGETS, type Target } from '../../spec/schema.js';
import { type DgdJson, podLabels, runsOnGrove } from '../support/operator.js';
import { byKind, type KubeObject, specsFrom, synthSpec } from '../support/synth.js';

type Svc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Dgd = KubeObject & { spec: { services: Record<string, Svc> } };
type Pdb = KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable?: number; minAvailable?: number; unhealthyPodEvictionPolicy?: string } };

const EXAMPLES = `graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\n  big-mn: { backend: vllm, model: m, decode: { gpus: 2, nodeCount: 2, replicas: 2 }, prefill: { gpus: 1, replicas: 3 } }\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;
const specs = specsFrom(EXAMPLES);
const synth = new Map<Target, KubeObject[]>();
const objects = (t: Target) => synth.get(t) ?? (synth.set(t, synthSpec(specs[t]).objects), synth.get(t)!);

const matches = (labels: Record<string, string>, selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
interface Service { graph: string; name: string; svc: Svc; labels: Record<string, string> }
/** The pods a service runs: their run-time labels and their count. */
const podsOf = (s: Service) => ({ labels: s.labels, count: s.svc['replicas'] * (s.svc['multinode']?.['nodeCount'] ?? 1) });

function servicesOf(t: Target): Service[] {
  return byKind(objects(t), 'DynamoGraphDeployment').flatMap((d) => {
    const dgd = d as unknown as DgdJson & { metadata: { annotations?: Record<string, string> } };
    const grove = runsOnGrove(dgd, specs[t].platform.grove.enabled);
    return Object.entries((d as Dgd).spec.services).map(([name, svc]) => ({ graph: d.metadata.name, name, svc, labels: podLabels(dgd, name, grove) }));
  });
}

describe.each(CLOUD_TARGETS)('%s: serving-path availability', (target) => {
  it('the graphs run on Grove here, which relabels the pods: the model is live', () => {
    expect(specs[target].platform.grove.enabled).toBe(true);
    expect(servicesOf(target).every((s) => s.labels['app.kubernetes.io/managed-by'] === 'grove-operator')).toBe(true);
  });

  it('frontends default to 2 replicas, spread softly over zones and hosts for both schedulers, selecting exactly their own pods', () => {
    const all = servicesOf(target);
    const fronts = all.filter((s) => s.svc['componentType'] === 'frontend');
    expect(fronts.length).toBe(EXAMPLE_NAMES.length + 1); // the examples (the default graphs share their names), big-mn
    for (const f of fronts) {
      expect(f.svc['replicas']).toBe(2);
      const spread = f.svc['extraPodSpec']['topologySpreadConstraints'] as Svc[];
      expect(spread.map((c) => c['topologyKey'])).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      // KAI (the clique scheduler when on) has no PodTopologySpread: preferred anti-affinity carries the spread there.
      const anti = f.svc['extraPodSpec']['affinity']['podAntiAffinity']['preferredDuringSchedulingIgnoredDuringExecution'] as Svc[];
      expect(anti.map((a) => a['podAffinityTerm']['topologyKey']).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      const selectors = [...spread.map((c) => c['labelSelector']['matchLabels']), ...anti.map((a) => a['podAffinityTerm']['labelSelector']['matchLabels'])] as Record<string, string>[];
      for (const c of spread) expect(c['whenUnsatisfiable']).toBe('ScheduleAnyway');
      for (const sel of selectors) {
        expect(matches(podsOf(f).labels, sel), `${f.graph}: the spread counts the frontend's own pods`).toBe(true);
        for (const other of all.filter((o) => o !== f)) expect(matches(other.labels, sel), `${f.graph}/${f.name} vs ${other.graph}/${other.name}`).toBe(false);
      }
      // The frontend's own node preference survives the merge.
      expect(f.svc['extraPodSpec']['affinity']['nodeAffinity']).toBeDefined();
    }
  });

  it('every service with 2 or more replicas has exactly one budget over exactly its pods; a drain can always evict one replica', () => {
    const pdbs = byKind(objects(target), 'PodDisruptionBudget') as Pdb[];
    const all = servicesOf(target);
    for (const s of all) {
      const pods = podsOf(s);
      const mine = pdbs.filter((p) => p.metadata.namespace === 'dynamo-workloads' && matches(pods.labels, p.spec.selector.matchLabels));
      const where = `${s.graph}/${s.name}`;
      if (s.svc['replicas'] < 2 || s.svc['componentType'] === 'planner') {
        expect(mine, `${where}: a budget on one replica would block every drain`).toEqual([]);
        continue;
      }
      expect(mine.length, where).toBe(1);
      const pdb = mine[0]!;
      // The budget selects no pod of another service (a shared budget would let one service's drain block another).
      for (const other of all.filter((o) => o !== s)) expect(matches(other.labels, pdb.spec.selector.matchLabels), `${where} vs ${other.graph}/${other.name}`).toBe(false);
      // The eviction API counts pods: one pod at a time, so no round of evictions takes two pods of the service (two
      // gangs, or the last two frontends) and a drain still always finishes (at least one pod stays).
      expect(pdb.spec.maxUnavailable, where).toBe(1);
      expect(pods.count - pdb.spec.maxUnavailable!, where).toBeGreaterThanOrEqual(1);
      // A crash-looping (unready) pod must never block the drain.
      expect(pdb.spec.unhealthyPodEvictionPolicy, where).toBe('AlwaysAllow');
      // A gang's pods must stay in one zone (collectives across zones): hosts only for multinode services.
      const keys = [
        ...(s.svc['extraPodSpec']['topologySpreadConstraints'] as Svc[]).map((c) => c['topologyKey']),
        ...(s.svc['extraPodSpec']['affinity']['podAntiAffinity']['preferredDuringSchedulingIgnoredDuringExecution'] as Svc[]).map((a) => a['podAffinityTerm']['topologyKey']),
      ];
      if (s.svc['multinode']) expect([...new Set(keys)], where).toEqual(['kubernetes.io/hostname']);
      else expect([...new Set(keys)].sort(), where).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    }
    expect(pdbs.filter((p) => p.metadata.name === 'big-mn-decode').map((p) => p.spec.maxUnavailable)).toEqual([1]);
  });

  it('highAvailability: false turns spread and budgets off; frontend.replicas overrides the count', () => {
    const s = specsFrom(`targets: { ${target}: { graphs: { vllm-agg: { highAvailability: false, frontend: { replicas: 3 } } } } }`)[target];
    const objs = synthSpec(s).objects;
    const f = Object.values((byKind(objs, 'DynamoGraphDeployment', 'vllm-agg')[0] as Dgd).spec.services).find((x) => x['componentType'] === 'frontend')!;
    expect(f['replicas']).toBe(3);
    expect(f['extraPodSpec']['topologySpreadConstraints']).toBeUndefined();
    expect(byKind(objs, 'PodDisruptionBudget').filter((p) => p.metadata.name.startsWith('vllm-agg-'))).toEqual([]);
  });
});

describe('local: serving-path availability', () => {
  it('one frontend, no spread, no graph budget', () => {
    const fronts = servicesOf('local').filter((s) => s.svc['componentType'] === 'frontend');
    for (const f of fronts) {
      expect(f.svc['replicas']).toBe(1);
      expect(f.svc['extraPodSpec']['topologySpreadConstraints']).toBeUndefined();
    }
    expect(byKind(objects('local'), 'PodDisruptionBudget').filter((p) => p.metadata.namespace === 'dynamo-workloads')).toEqual([]);
  });
});
