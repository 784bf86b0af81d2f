/**
 * Non-leader pods of multinode workers. The 0.9.0 operator starts only the leader of a multinode vLLM or TRT-LLM
 * worker as a Dynamo process; the other pods run `ray start --block` (vLLM, `internal/dynamo/backend_vllm.go`) or
 * `sshd` (TRT-LLM, `backend_trtllm.go`) and serve nothing on the system port, so a scrape of them fails forever.
 * They are recognised by the labels their controllers set:
 * - Grove: each role is its own PodClique named `<pcs>-<n>-<service>-<m>-<service>-wkr` (consts
 *   `GroveRoleSuffixWorker`, graph.go expandRolesForService), and Grove labels every pod `grove.io/podclique: <clique>`;
 * - LeaderWorkerSet: `leaderworkerset.sigs.k8s.io/worker-index` is `0` on the leader, 1.. on the others.
 * The worker PodMonitor drops both (an SGLang multinode worker's other ranks are dropped as well: the leader exports
 * the engine's metrics).
 */
import { podLabelMeta } from './pod-label-meta.js';

export const GROVE_PODCLIQUE_LABEL = 'grove.io/podclique';
export const LWS_WORKER_INDEX_LABEL = 'leaderworkerset.sigs.k8s.io/worker-index';
/**
 * Relabel regexes (RE2, anchored by Prometheus) matching a non-leader pod's label value. A multinode service is a
 * PodCliqueScalingGroup `<pcs>-<replica>-<service>` whose member cliques Grove names `<group>-<replica>-<clique>`
 * (GeneratePodCliqueName), the clique being `<service>-wkr`: `<pcs>-<n>-<service>-<m>-<service>-wkr`, lower case.
 * A single-node clique is `<pcs>-<n>-<service>`: the graph refuses service names ending in `-wkr`
 * (dynamo-graph-deployment.ts), so it never matches.
 */
export const NON_LEADER_PODCLIQUE = '[a-z0-9-]+-[0-9]+-[a-z0-9-]+-[0-9]+-[a-z0-9-]+-wkr';
export const NON_LEADER_WORKER_INDEX = '[1-9][0-9]*';

/** PodMonitor relabelings (Prometheus operator spelling) that drop non-leader pods of multinode workers. */
export const NON_LEADER_DROP: readonly Record<string, unknown>[] = [
  { sourceLabels: [podLabelMeta(GROVE_PODCLIQUE_LABEL)], regex: NON_LEADER_PODCLIQUE, action: 'drop' },
  { sourceLabels: [podLabelMeta(LWS_WORKER_INDEX_LABEL)], regex: NON_LEADER_WORKER_INDEX, action: 'drop' },
];
