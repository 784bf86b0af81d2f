/**
 * Regional GKE pools: the node pool API (google provider 6.50 container_node_pool) counts `initial_node_count` and
 * `node_count` per zone and `min_node_count`/`max_node_count` per zone, while `total_min_node_count` /
 * `total_max_node_count` count the whole pool; a pool without `node_locations` runs in the three zones GKE gives a
 * regional cluster. The spec's minNodes/maxNodes/desiredNodes count the whole pool, as on EKS and AKS.
 */
import { describe, expect, it } from 'vitest';
import { problemsOf, specsFrom } from '../support/synth.js';
import { stackJson } from '../support/stack-json.js';

type Pool = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Tf { resource: Record<string, Record<string, Pool>> }

/** The zones GKE places a regional cluster's pool in when it names none. */
const REGIONAL_DEFAULT_ZONES = 3;

const gke = (cluster: string) => `targets: { gke: { cluster: ${cluster} } }`;
const SPECS: Record<string, string | undefined> = {
  default: undefined,
  'zones set, desired totals': gke(
    '{ systemPool: { zones: [us-central1-a, us-central1-b], minNodes: 2, maxNodes: 6, desiredNodes: 5 }, gpuPools: { gpu: { zones: [us-central1-a], minNodes: 1, maxNodes: 4, desiredNodes: 3 }, gpuspot: { minNodes: 0, maxNodes: 9, desiredNodes: 4 } } }',
  ),
};

describe.each(Object.keys(SPECS))('GKE node pool sizes: %s', (name) => {
  const spec = specsFrom(SPECS[name]).gke;
  if (spec.target === 'local') throw new Error('gke is a cloud target');
  const pools = Object.values(stackJson<Tf>('gke', SPECS[name]).resource['google_container_node_pool'] ?? {});
  const bySpec = { [spec.cluster.systemPool.name]: spec.cluster.systemPool, ...spec.cluster.gpuPools };

  it('every pool starts with a total (per zone x zones) within its bounds, as near the desired total as they allow', () => {
    expect(pools.map((p) => p['name']).sort()).toEqual(Object.keys(bySpec).sort());
    for (const p of pools) {
      const s = bySpec[p['name'] as string]!;
      const zones = (p['node_locations'] as string[] | undefined)?.length ?? REGIONAL_DEFAULT_ZONES;
      expect(zones).toBe(s.zones?.length ?? REGIONAL_DEFAULT_ZONES);
      const total = (p['initial_node_count'] as number) * zones;
      expect(total, p['name']).toBeGreaterThanOrEqual(s.minNodes);
      expect(total, p['name']).toBeLessThanOrEqual(s.maxNodes);
      // No other multiple of the zone count inside the bounds is nearer the desired total.
      const desired = s.desiredNodes ?? s.minNodes;
      for (let n = 0; n * zones <= s.maxNodes; n++) {
        if (n * zones >= s.minNodes) expect(Math.abs(total - desired), p['name']).toBeLessThanOrEqual(Math.abs(n * zones - desired));
      }
    }
  });

  it('the autoscaler bounds are the totals, never the per-zone fields, and no fixed node_count', () => {
    for (const p of pools) {
      const s = bySpec[p['name'] as string]!;
      expect(p['autoscaling']).toMatchObject({ total_min_node_count: s.minNodes, total_max_node_count: s.maxNodes });
      expect(p['autoscaling']['min_node_count']).toBeUndefined();
      expect(p['autoscaling']['max_node_count']).toBeUndefined();
      expect(p['node_count']).toBeUndefined();
    }
  });
});

describe('GKE pool bounds the spec refuses', () => {
  it('bounds that hold no multiple of the zone count (no per-zone start fits)', () => {
    expect(problemsOf(gke('{ gpuPools: { gpu: { minNodes: 1, maxNodes: 2 } } }'))).toEqual([
      'targets.gke.cluster.gpuPools.gpu.maxNodes: a GKE pool starts with the same number of nodes in each of its 3 zones, so minNodes..maxNodes (1..2) must include a multiple of 3: widen the bounds or set zones, got 2',
    ]);
    expect(problemsOf(gke('{ gpuPools: { gpu: { minNodes: 1, maxNodes: 2, zones: [us-central1-a] } } }'))).toEqual([]);
    // EKS and AKS count nodes per group: the same bounds are fine there.
    expect(problemsOf('targets: { eks: { cluster: { gpuPools: { gpu: { minNodes: 1, maxNodes: 2 } } } } }')).toEqual([]);
  });
});
