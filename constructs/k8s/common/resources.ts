import { Quantity } from './kube.cjs';
import type { ResourceRequirements } from 'cdk8s-plus-28/lib/imports/k8s.js';

/** Container requests and limits as plain quantity strings. */
export interface Resources {
  readonly requests: { readonly cpu?: string; readonly memory?: string };
  readonly limits: { readonly cpu?: string; readonly memory?: string };
}

const list = (l: Resources['requests']): Record<string, Quantity> =>
  Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Quantity.fromString(v as string)]));

export function resourceRequirements(r: Resources): ResourceRequirements {
  return { requests: list(r.requests), limits: list(r.limits) };
}
