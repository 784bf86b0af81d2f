/** Pieces every cloud profile composes. */
import type { CloudSpec, Taint } from '../schema.js';
import { type GpuPoolProfile, type PoolPlacement, tolerationOf } from './types.js';

/** GPU nodes carry this taint so that only pods that ask for GPUs land there (GKE sets it itself). */
export const GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

/** Label that GPU feature discovery (GPU Operator) puts on every GPU node. */
export const GPU_NODE_LABEL = { key: 'nvidia.com/gpu.present', value: 'true' } as const;

/** How a cloud names its managed node pools on the node objects, and how it marks spot capacity. */
export interface CloudPoolFacts {
  /** Node label whose value is the pool name. */
  readonly poolLabel: string;
  /** Taint on spot nodes (set by the cloud or by our node pool resources). */
  readonly spotTaint: Taint;
  /** Extended resource of the fast network, when the cloud has one. */
  readonly fastNetworkResource?: string;
}

export function systemPlacement(spec: CloudSpec, facts: CloudPoolFacts): PoolPlacement {
  const pool = spec.cluster.systemPool;
  return { nodeSelector: { [facts.poolLabel]: pool.name }, tolerations: pool.taints.map(tolerationOf) };
}

export function gpuPoolProfiles(spec: CloudSpec, facts: CloudPoolFacts): Record<string, GpuPoolProfile> {
  const out: Record<string, GpuPoolProfile> = {};
  for (const [name, pool] of Object.entries(spec.cluster.gpuPools).sort(([a], [b]) => a.localeCompare(b))) {
    const spot = pool.capacity === 'spot';
    const taints = [GPU_TAINT, ...(spot ? [facts.spotTaint] : []), ...pool.taints];
    out[name] = {
      name,
      nodeSelector: { [facts.poolLabel]: name },
      tolerations: taints.map(tolerationOf),
      taints,
      spot,
      gpusPerNode: pool.gpusPerNode,
      accelerator: pool.accelerator,
      ...(pool.fastNetwork && facts.fastNetworkResource && { fastNetworkResource: facts.fastNetworkResource }),
    };
  }
  return out;
}
