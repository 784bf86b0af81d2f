/**
 * Serving-path availability of a graph: a service that runs two or more replicas (the frontend, a worker group) is
 * spread over zones and hosts and gets a PodDisruptionBudget, so a node drain or a zone outage leaves it serving.
 *
 * The budget allows one replica's pods to be disrupted at a time: `maxUnavailable` = the pods of one replica (1, or
 * nodeCount for a multinode gang). The eviction API then lets a drain take one replica, waits until it is back, and
 * takes the next: a drain always finishes, one replica at a time. A gang replica breaks when one of its pods goes, so
 * its other pods turn unready; `unhealthyPodEvictionPolicy: AlwaysAllow` lets the drain evict such unready pods
 * without spending the budget, so a broken gang can never block a drain. Under Grove each clique and scaling group
 * keeps `minAvailable: 1` (the 0.9.0 operator's value), which a budget that keeps replicas - 1 never breaches.
 * A single-replica service gets no budget: the only budget that protects it (0 disruptions) blocks every drain.
 *
 * Spreading is soft (`ScheduleAnyway`): GPU pools often sit in one zone, and a hard rule would leave replicas
 * pending rather than co-located.
 */
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s.js';
import type { Construct } from 'constructs';
import { MANAGED_BY } from '../common/labels.js';
import type { JsonObject } from './dgd-types.js';
import { graphPodSelector, servicePodSelector } from './pod-labels.js';
import type { BuiltService } from './service-context.js';

export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const HOST_KEY = 'kubernetes.io/hostname';

/** Services that are spread and budgeted: the serving path (frontend, workers) with two or more replicas. */
export const needsAvailability = (s: BuiltService): boolean => s.component !== 'planner' && s.spec.replicas >= 2;

/** Soft spread of one service's pods over zones, then hosts. */
export function spreadConstraints(graph: string, s: BuiltService): JsonObject[] {
  const labelSelector = { matchLabels: servicePodSelector(graph, s.component, s.name) };
  return [ZONE_KEY, HOST_KEY].map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector }));
}

/** The budget of one service: one replica's pods at a time; unready pods may always be evicted. */
export function addServiceBudget(scope: Construct, graph: string, namespace: string, s: BuiltService): KubePodDisruptionBudget {
  return new KubePodDisruptionBudget(scope, `Budget-${s.name}`, {
    metadata: {
      name: `${graph}-${s.name.toLowerCase()}`,
      namespace,
      labels: { ...graphPodSelector({ graph, component: s.component }), 'app.kubernetes.io/managed-by': MANAGED_BY },
    },
    spec: {
      selector: { matchLabels: servicePodSelector(graph, s.component, s.name) },
      maxUnavailable: IntOrString.fromNumber(s.podsPerReplica),
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
