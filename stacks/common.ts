/** What every cloud stack shares: the manifests the deploy path installs, and node disk defaults. */
import type { SynthFile } from '../charts/synth.js';

/** The synthesized manifests of the target, split the way the deploy path installs them. */
export interface TargetManifests {
  readonly platform: readonly SynthFile[];
  readonly graphs: readonly SynthFile[];
}

/** Root disks per node: GPU images are 10-20 GB and models download there before the cache fills. */
export const DEFAULT_DISK_GIB = { system: 50, gpu: 200 } as const;

/** The size of a spec pool as the node pool constructs take it (desired defaults to the floor). */
export function poolSize(pool: { minNodes: number; maxNodes: number; desiredNodes?: number | undefined; diskSizeGiB?: number | undefined }, kind: 'system' | 'gpu') {
  return { minNodes: pool.minNodes, maxNodes: pool.maxNodes, desiredNodes: pool.desiredNodes ?? pool.minNodes, diskSizeGiB: pool.diskSizeGiB ?? DEFAULT_DISK_GIB[kind] };
}
