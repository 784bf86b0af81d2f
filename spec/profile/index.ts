import type { Spec } from '../schema.js';
import { eksProfile } from './aws.js';
import { aksProfile } from './azure.js';
import { gkeProfile } from './gcp.js';
import { localProfile } from './local.js';
import type { CloudProfile } from './types.js';

export * from './types.js';
export { GPU_NODE_LABEL, GPU_TAINT } from './common.js';
export { EKS_POOL_FACTS } from './aws.js';
export { AKS_POOL_FACTS } from './azure.js';
export { GKE_DRIVER_PATHS, GKE_POOL_FACTS } from './gcp.js';

/** The cloud profile of a resolved spec. Pure: same spec, same profile. */
export function cloudProfile(spec: Spec): CloudProfile {
  switch (spec.target) {
    case 'local':
      return localProfile(spec);
    case 'eks':
      return eksProfile(spec);
    case 'aks':
      return aksProfile(spec);
    case 'gke':
      return gkeProfile(spec);
  }
}
export * from './gpu-fit.js';
