/**
 * Serving-path availability of a graph: a service that runs two or more replicas (the frontend, a worker group) is
 * spread over zones and hosts and gets a PodDisruptionBudget, so a node drain or a zone outage leaves it serving.
 *
 * Spread: soft, in two forms, because the pods may meet either scheduler. `topologySpreadConstraints` for the default
 * scheduler; preferred pod anti-affinity on zone and host for KAI (which the operator sets on every clique when KAI is
 * on): KAI v0.9.4 runs no PodTopologySpread plugin (`pkg/scheduler/k8s_internal/plugins`) but does score preferred
 * pod (anti-)affinity. Soft (`ScheduleAnyway`, preferred): GPU pools often sit in one zone, and a hard rule would
 * leave replicas pending rather than co-located.
 *
 * Budget: `maxUnavailable: 1` pod of the service, `unhealthyPodEvictionPolicy: AlwaysAllow`. A drain evicts one pod,
 * waits until a replacement is Ready, then the next: it always finishes. The budget counts pods, not replicas, so for a
 * multinode gang it guarantees only that two gangs are never broken by the same round of evictions; the gang whose
 * pod went restarts (the 0.9.0 operator drops the probes of non-leader vLLM and SGLang pods, and gives TRT-LLM's a TCP
 * probe on the SSH port, so those count as Ready while running and never hold a drain). It gives no guarantee that a broken gang has recovered before the next eviction:
 * for that, drain one node at a time and watch the graph. Unready pods may always be evicted, so a crash-looping
 * pod never blocks a drain. A single-replica service gets no budget: the only budget that protects it (0
 * disruptions) blocks every drain.
 *
 * Selectors use our own label keys (pod-labels.ts): Grove overwrites the standard `app.kubernetes.io/*` keys on pods.
 */
import type { LabelSelector } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { KubePodDisruptionBudget } from '../common/kube.cjs';
import { JsonApiObject } from '../common/json-api-object.js';
import type { Construct } from 'constructs';
import type { JsonObject } from './dgd-types.js';
import { graphObjectLabels, servicePodSelector } from './pod-labels.js';
import type { BuiltService } from './service-context.js';

export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const HOST_KEY = 'kubernetes.io/hostname';

/** Services that are spread and budgeted: the serving path (frontend, workers) with two or more replicas. */
export const needsAvailability = (s: BuiltService): boolean => s.component !== 'planner' && s.spec.replicas >= 2;

/**
 * Soft spread of one service's pods over zones, then hosts: the pod spec fields, for both schedulers. A multinode
 * service spreads over hosts only: its selector also counts the pod's own gang-mates, and a zone term would push the
 * pods of one gang into different zones (KAI scores each matching pod at 10^5 times the raw affinity score, more
 * than anything else it weighs), so the gang would run its collectives across zones.
 */
export function spreadPodSpec(graph: string, s: BuiltService): JsonObject {
  const labelSelector = { matchLabels: servicePodSelector(graph, s.component, s.name) };
  const keys = s.multinode ? [HOST_KEY] : [ZONE_KEY, HOST_KEY];
  return {
    topologySpreadConstraints: keys.map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector })),
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: keys.map((topologyKey) => ({ weight: 100, podAffinityTerm: { topologyKey, labelSelector } })),
      },
    },
  };
}

/**
 * The budget of one service: one pod at a time; unready pods may always be evicted. Plain JSON (one per replicated
 * service of every graph, so rendered by JsonApiObject's pass), as KubePodDisruptionBudget would write it.
 */
export function addServiceBudget(scope: Construct, graph: string, namespace: string, s: BuiltService): JsonApiObject {
  const budget: { selector: LabelSelector; maxUnavailable: number; unhealthyPodEvictionPolicy: string } = {
    selector: { matchLabels: servicePodSelector(graph, s.component, s.name) },
    maxUnavailable: 1,
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  };
  return new JsonApiObject(scope, `Budget-${s.name}`, {
    ...KubePodDisruptionBudget.GVK,
    metadata: {
      name: `${graph}-${s.name.toLowerCase()}`,
      namespace,
      labels: { ...graphObjectLabels(graph), 'app.kubernetes.io/component': s.component },
    },
    spec: budget,
  });
}
