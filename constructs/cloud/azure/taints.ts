/** Kubernetes taints in the AKS node pool API's spelling (`key=value:NoSchedule` strings). */
import type { Taint } from '../../../spec/profile/types.js';

export const toAksTaint = (t: Taint): string => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`;
