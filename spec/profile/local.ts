/**
 * Any conformant cluster (kind, minikube, on-prem): no pools, the default storage class. On-prem GPU nodes commonly
 * carry an `nvidia.com/gpu` taint (any value): GPU workers tolerate it, so they run whether the nodes are tainted or not.
 */
import type { LocalSpec } from '../schema.js';
import { GPU_NODE_LABEL } from './common.js';
import type { CloudProfile, Toleration } from './types.js';

export const LOCAL_GPU_TOLERATION: Toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

export function localProfile(_spec: LocalSpec): CloudProfile {
  return { target: 'local', storage: {}, gpuNodeLabel: GPU_NODE_LABEL, gpuPools: {}, gpuTolerations: [LOCAL_GPU_TOLERATION] };
}
