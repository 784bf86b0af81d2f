/** Kubernetes taints in the GKE node pool API's spelling (`NO_SCHEDULE`). */
import type { Taint } from '../../../spec/profile/types.js';

const GKE_EFFECT: Record<Taint['effect'], string> = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' };

export interface GkeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** GKE requires a value; a key-only taint gets the empty string. */
export const toGkeTaint = (t: Taint): GkeTaint => ({ key: t.key, value: t.value ?? '', effect: GKE_EFFECT[t.effect] });
