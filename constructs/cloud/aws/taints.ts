/** Kubernetes taints in the EKS node group API's spelling (`NO_SCHEDULE`). */
import type { Taint } from '../../../spec/profile/types.js';

const EKS_EFFECT: Record<Taint['effect'], string> = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' };

export interface EksTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export const toEksTaint = (t: Taint): EksTaint => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: EKS_EFFECT[t.effect] });
