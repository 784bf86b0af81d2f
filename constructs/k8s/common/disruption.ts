import { IntOrString } from './kube.cjs';

/** Majority of n members. */
export const quorum = (n: number): number => Math.floor(n / 2) + 1;

/**
 * PodDisruptionBudget bounds for a quorum-based store: voluntary disruptions (drains, upgrades) never take it below a
 * majority. A single member has no quorum to protect; there the budget allows the drain instead of blocking it forever.
 */
export function quorumBudget(replicas: number): { minAvailable: IntOrString } | { maxUnavailable: IntOrString } {
  return replicas === 1 ? { maxUnavailable: IntOrString.fromNumber(1) } : { minAvailable: IntOrString.fromNumber(quorum(replicas)) };
}
