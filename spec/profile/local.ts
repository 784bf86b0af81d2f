/** Any conformant cluster (kind, minikube, on-prem): no pools, no taints assumed, the default storage class. */
import type { LocalSpec } from '../schema.js';
import { GPU_NODE_LABEL } from './common.js';
import type { CloudProfile } from './types.js';

export function localProfile(_spec: LocalSpec): CloudProfile {
  return { target: 'local', storage: {}, gpuNodeLabel: GPU_NODE_LABEL, gpuPools: {} };
}
