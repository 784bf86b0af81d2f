/**
 * The DCGM exporter of dist/gke runs on every GPU node of the GKE stack and on no other node. Join of the two layers:
 * the node pools of the Terraform JSON as the scheduler sees their nodes (the labels and taints we set, plus what GKE
 * adds: `cloud.google.com/gke-nodepool`, on GPU nodes `cloud.google.com/gke-accelerator=<type>` and the
 * `nvidia.com/gpu=present:NoSchedule` taint, on spot nodes `cloud.google.com/gke-spot=true`), against the exporter's
 * pod template (required node affinity, tolerations), as kube-scheduler's filters decide. A spec with a pool of its
 * own taint and a spot pool checks that every taint of every GPU pool is tolerated, whatever the pools are.
 */
import { describe, expect, it } from 'vitest';
import { GKE_ACCELERATOR_LABEL } from '../../spec/profile/gcp.js';
import { canLand, type NodePoolModel, podTemplates } from '../support/pod-placement.js';
import { stackJson } from '../support/stack-json.js';
import { specsFrom, synthSpec } from '../support/synth.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EFFECT: Record<string, string> = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };
/** GKE taints every GPU node itself (GKE's GPU documentation); our pools do not list it. */
const GKE_GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

function gkePools(yaml?: string): NodePoolModel[] {
  const tf = stackJson<Json>('gke', yaml);
  return (Object.values(tf['resource']['google_container_node_pool']) as Json[]).map((p) => {
    const cfg = p['node_config'] as Json;
    const gpu = ((cfg['guest_accelerator'] ?? []) as Json[])[0];
    return {
      name: p['name'],
      labels: {
        ...(cfg['labels'] ?? {}),
        'cloud.google.com/gke-nodepool': p['name'],
        ...(gpu && { [GKE_ACCELERATOR_LABEL]: gpu['type'], 'cloud.google.com/gke-gpu': 'true' }),
        ...(cfg['spot'] && { 'cloud.google.com/gke-spot': 'true' }),
      },
      taints: [...((cfg['taint'] ?? []) as Json[]).map((t) => ({ key: t['key'], value: t['value'], effect: EFFECT[t['effect']]! })), ...(gpu ? [GKE_GPU_TAINT] : [])],
      facts: { gpu: Boolean(gpu) },
    };
  });
}

const SPECS: Record<string, { yaml?: string; gpuPools: string[] }> = {
  'the default GKE spec (an on-demand and a spot GPU pool)': { gpuPools: ['gpu', 'gpuspot'] },
  'a spot GPU pool with a taint of its own': { gpuPools: ['gpu', 'gpuspot', 'tainted'], yaml: `targets: { gke: { cluster: { gpuPools: { tainted: { instanceType: g2-standard-24, accelerator: nvidia-l4, gpusPerNode: 2, capacity: spot, fastNetwork: false, minNodes: 0, maxNodes: 3, zones: [us-central1-a], labels: {}, taints: [{ key: dedicated, value: inference, effect: NoExecute }] } } } } }` },
};

describe.each(Object.keys(SPECS))('GKE DCGM exporter placement: %s', (name) => {
  const { yaml, gpuPools: expected } = SPECS[name]!;
  const pools = gkePools(yaml);
  const exporter = podTemplates(synthSpec(specsFrom(yaml).gke).objects).filter((t) => t.owner === 'DaemonSet/nvidia-dcgm-exporter');

  it('lands on every GPU pool and on no other pool', () => {
    expect(exporter).toHaveLength(1);
    const gpuPools = pools.filter((p) => p.facts['gpu']).map((p) => p.name).sort();
    expect(gpuPools).toEqual(expected);
    expect(pools.filter((p) => canLand(exporter[0]!.spec, p)).map((p) => p.name).sort()).toEqual(gpuPools);
  });

  it('each pool taint is needed: without its toleration the exporter misses that pool (the join is live)', () => {
    const spec = exporter[0]!.spec;
    for (const pool of pools.filter((p) => p.facts['gpu'])) {
      for (const taint of pool.taints) {
        const fewer = { ...spec, tolerations: (spec['tolerations'] as Json[]).filter((t) => t['key'] !== taint.key) };
        expect(canLand(fewer, pool), `${pool.name} without a toleration of ${taint.key}`).toBe(false);
      }
    }
  });
});
