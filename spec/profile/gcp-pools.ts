/**
 * GKE node pool sizes. Our clusters are regional: a pool's nodes are spread over its node locations, and the
 * node pool API counts `initial_node_count` (and `node_count`) per zone, while the autoscaler's
 * `total_min_node_count` / `total_max_node_count` count the whole pool (google provider 6.50, container_node_pool).
 * The spec's `minNodes`, `maxNodes` and `desiredNodes` mean the whole pool, as on EKS and AKS.
 */

/** A regional cluster without `node_locations` puts every pool in three zones of its region (GKE's default). */
export const GKE_DEFAULT_NODE_ZONES = 3;

export interface GkePoolBounds {
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Total at creation. @default - minNodes */
  readonly desiredNodes?: number | undefined;
  /** Node locations of the pool. @default - the cluster's (GKE_DEFAULT_NODE_ZONES zones) */
  readonly zones?: readonly string[] | undefined;
}

export const gkeZoneCount = (pool: Pick<GkePoolBounds, 'zones'>): number => pool.zones?.length ?? GKE_DEFAULT_NODE_ZONES;

/**
 * The per-zone `initial_node_count` whose total (per zone x zones) is nearest the desired total while staying
 * within [minNodes, maxNodes]; a string naming the problem when no per-zone count fits (the bounds hold no
 * multiple of the zone count).
 */
export function gkeInitialNodesPerZone(pool: GkePoolBounds): number | string {
  const zones = gkeZoneCount(pool);
  const low = Math.ceil(pool.minNodes / zones);
  const high = Math.floor(pool.maxNodes / zones);
  if (low > high) {
    return `a GKE pool starts with the same number of nodes in each of its ${zones} zones, so minNodes..maxNodes (${pool.minNodes}..${pool.maxNodes}) must include a multiple of ${zones}: widen the bounds or set zones`;
  }
  const desired = pool.desiredNodes ?? pool.minNodes;
  return Math.min(high, Math.max(low, Math.round(desired / zones)));
}
