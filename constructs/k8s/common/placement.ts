/**
 * Where a workload's pods go: node selector and tolerations of a pool, an optional soft preference to stay off
 * GPU nodes, and topology spread across zones and hosts when there is more than one replica.
 */
import type { Affinity, Toleration as KubeToleration, TopologySpreadConstraint } from 'cdk8s-plus-28/lib/imports/k8s.js';
import type { Toleration } from '../../../spec/profile/types.js';

export interface WorkloadPlacement {
  /** Labels a node must carry. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the pods tolerate. @default - none: tainted (GPU, spot) nodes are avoided */
  readonly tolerations?: readonly Toleration[];
  /** Prefer nodes that do not carry this label (e.g. GPU nodes on a local cluster). @default - no preference */
  readonly avoidNodesLabelled?: { readonly key: string; readonly value: string };
}

export interface PodPlacement {
  nodeSelector?: Record<string, string>;
  tolerations?: KubeToleration[];
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
}

/** Spread is soft across zones (a single-zone pool still schedules) and hard per host with skew 1. */
export function podPlacement(p: WorkloadPlacement, selector: Record<string, string>, replicas: number): PodPlacement {
  const out: PodPlacement = {};
  if (p.nodeSelector && Object.keys(p.nodeSelector).length) out.nodeSelector = { ...p.nodeSelector };
  if (p.tolerations?.length) out.tolerations = p.tolerations.map((t) => ({ ...t }));
  if (p.avoidNodesLabelled) {
    out.affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            preference: { matchExpressions: [{ key: p.avoidNodesLabelled.key, operator: 'NotIn', values: [p.avoidNodesLabelled.value] }] },
          },
        ],
      },
    };
  }
  if (replicas > 1) {
    out.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
    ];
  }
  return out;
}
