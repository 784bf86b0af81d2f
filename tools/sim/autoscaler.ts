/**
 * The cloud autoscaler, modelled: a pod the scheduler reports Unschedulable adds one node to a pool that an autoscaler
 * the stack really installs grows (EKS: a cluster-autoscaler release; AKS and GKE: their managed autoscaler), whose
 * node template takes the pod (labels, taints, resources, as cluster-autoscaler's scheduler simulation decides), up
 * to the pool's maximum. This models cluster-autoscaler's scale-up decision; it is not cluster-autoscaler.
 */
import { placementProblem, podRequests, quantity, resourceProblem } from './fit.js';
import type { SimPool } from './pools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const podKey = (p: Json): string => `${p['metadata']['namespace']}/${p['metadata']['name']}`;

export const isUnschedulable = (p: Json): boolean =>
  p['status']?.['phase'] === 'Pending' &&
  !p['spec']?.['nodeName'] &&
  ((p['status']?.['conditions'] ?? []) as Json[]).some((c) => c['type'] === 'PodScheduled' && c['status'] === 'False' && c['reason'] === 'Unschedulable');

/** Why no autoscaled pool can take the pod, per pool; empty when one can. */
export function whyNoPool(spec: Json, pools: readonly SimPool[], sizes: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const p of pools) {
    if (!p.autoscaler) out.push(`${p.name}: no autoscaler grows it`);
    else if ((sizes.get(p.name) ?? 0) >= p.max) out.push(`${p.name}: at its maximum of ${p.max}`);
    else {
      const why = placementProblem(spec, { ...p.template.labels, 'topology.kubernetes.io/zone': p.zones[0]! }, p.template.taints) ?? resourceProblem(spec, p.template.resources.allocatable);
      if (why) out.push(`${p.name}: ${why}`);
      else return [];
    }
  }
  return out;
}

/**
 * Pods cluster-autoscaler would not scale for: DaemonSet pods (a new node brings its own), and pods held back by a
 * claim rather than by nodes (its scheduler simulation fails them on a template as well: VolumeBinding).
 */
export function ignoredByAutoscaler(pod: Json): boolean {
  if (((pod['metadata']['ownerReferences'] ?? []) as Json[]).some((r) => r['kind'] === 'DaemonSet')) return true;
  const msg = String(((pod['status']?.['conditions'] ?? []) as Json[]).find((c) => c['type'] === 'PodScheduled')?.['message'] ?? '');
  return /PersistentVolumeClaim/.test(msg);
}

/** The share of a node's CPU and memory a pod leaves unused (cluster-autoscaler's least-waste expander scores this). */
function waste(spec: Json, pool: SimPool): number {
  const req = podRequests(spec);
  const alloc = pool.template.resources.allocatable;
  const cpu = quantity(alloc['cpu']);
  const mem = quantity(alloc['memory']);
  return (cpu ? (cpu - (req['cpu'] ?? 0)) / cpu : 0) + (mem ? (mem - (req['memory'] ?? 0)) / mem : 0);
}

export class AutoscalerModel {
  /** Pods a node was added for, and when: they get time to be scheduled before asking again. */
  private readonly asked = new Map<string, number>();
  constructor(private readonly pools: readonly SimPool[], private readonly graceMs = 20_000) {}

  /** The pools to grow by one node each for the pending pods. */
  decide(pods: readonly Json[], sizes: ReadonlyMap<string, number>, now = Date.now()): SimPool[] {
    const grow = new Map<string, SimPool>();
    for (const pod of pods.filter((p) => isUnschedulable(p) && !ignoredByAutoscaler(p))) {
      const key = podKey(pod);
      if (now - (this.asked.get(key) ?? -Infinity) < this.graceMs) continue;
      // The stacks run cluster-autoscaler with `--expander=least-waste`: of the pools that take the pod, the one it
      // leaves the least idle.
      const pool = this.pools
        .filter(
          (p) =>
            p.autoscaler &&
            (sizes.get(p.name) ?? 0) + (grow.has(p.name) ? 1 : 0) < p.max &&
            !placementProblem(pod['spec'], { ...p.template.labels, 'topology.kubernetes.io/zone': p.zones[0]! }, p.template.taints) &&
            !resourceProblem(pod['spec'], p.template.resources.allocatable),
        )
        .sort((a, b) => waste(pod['spec'], a) - waste(pod['spec'], b))[0];
      if (!pool || grow.has(pool.name)) {
        if (pool) this.asked.set(key, now);
        continue;
      }
      grow.set(pool.name, pool);
      this.asked.set(key, now);
    }
    return [...grow.values()];
  }
}
