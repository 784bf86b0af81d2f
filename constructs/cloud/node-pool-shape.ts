/** What every cloud's node pool construct takes alike: size bounds, root disk, labels and taints. */
import type { Taint } from '../../spec/profile/types.js';

export interface NodePoolShape {
  /** Autoscaler floor; 0 lets the pool scale to zero. */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Nodes at creation; the autoscaler owns the count afterwards. */
  readonly desiredNodes: number;
  readonly diskSizeGiB: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Every taint of the pool, from the cloud profile (GPU, spot, the spec's own). */
  readonly taints: readonly Taint[];
}
