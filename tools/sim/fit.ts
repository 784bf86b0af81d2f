/**
 * Whether a pod fits a node that does not exist yet (an autoscaler's node template): kube-scheduler's NodeAffinity,
 * TaintToleration and NodeResourcesFit filters, as cluster-autoscaler runs them on its templates. Inter-pod affinity
 * and topology spread are left to the real scheduler once the node exists.
 */
import type { Taint } from './pools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Kubernetes quantity in base units (cores, bytes, count). */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/.exec(q.trim());
  if (!m) throw new Error(`quantity "${q}" is not a Kubernetes quantity`);
  const mult: Record<string, number> = { m: 1e-3, k: 1e3, Ki: 2 ** 10, M: 1e6, Mi: 2 ** 20, G: 1e9, Gi: 2 ** 30, T: 1e12, Ti: 2 ** 40, P: 1e15, Pi: 2 ** 50, E: 1e18, Ei: 2 ** 60 };
  return Number(m[1]) * (m[2] ? mult[m[2]]! : 1);
}

/** The pod's effective requests: the sum over containers (a limit stands in for a missing request), at least the largest init container, plus overhead. */
export function podRequests(spec: Json): Record<string, number> {
  const of = (c: Json): Record<string, number> => {
    const r: Record<string, number> = {};
    for (const [k, v] of Object.entries({ ...(c['resources']?.['limits'] ?? {}), ...(c['resources']?.['requests'] ?? {}) })) r[k] = quantity(v as string);
    return r;
  };
  const total: Record<string, number> = {};
  for (const c of (spec['containers'] ?? []) as Json[]) for (const [k, v] of Object.entries(of(c))) total[k] = (total[k] ?? 0) + v;
  for (const c of (spec['initContainers'] ?? []) as Json[]) for (const [k, v] of Object.entries(of(c))) total[k] = Math.max(total[k] ?? 0, v);
  for (const [k, v] of Object.entries((spec['overhead'] ?? {}) as Record<string, string>)) total[k] = (total[k] ?? 0) + quantity(v);
  return total;
}

export function expressionMatches(e: Json, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[e['key'] as string];
  const values = (e['values'] ?? []) as string[];
  switch (e['operator']) {
    case 'In': return v !== undefined && values.includes(v);
    case 'NotIn': return v === undefined || !values.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(values[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(values[0]);
    default: throw new Error(`unknown node selector operator ${String(e['operator'])}`);
  }
}

export const tolerates = (tolerations: readonly Json[], t: Taint | { key: string; value?: string; effect: string }): boolean =>
  tolerations.some((tol) => {
    if (tol['effect'] && tol['effect'] !== t.effect) return false;
    if (tol['operator'] === 'Exists') return !tol['key'] || tol['key'] === t.key;
    return tol['key'] === t.key && (tol['value'] ?? '') === (t.value ?? '');
  });

/** Why the pod cannot land on a node with these labels and taints (NodeAffinity, TaintToleration), or undefined. */
export function placementProblem(spec: Json, labels: Readonly<Record<string, string>>, taints: readonly { key: string; value?: string; effect: string }[]): string | undefined {
  for (const [k, v] of Object.entries((spec['nodeSelector'] ?? {}) as Record<string, string>)) if (labels[k] !== v) return `node selector ${k}=${v}`;
  const terms = spec['affinity']?.['nodeAffinity']?.['requiredDuringSchedulingIgnoredDuringExecution']?.['nodeSelectorTerms'] as Json[] | undefined;
  if (terms && !terms.some((term) => ((term['matchExpressions'] ?? []) as Json[]).every((e) => expressionMatches(e, labels)))) return 'required node affinity';
  const tolerations = (spec['tolerations'] ?? []) as Json[];
  const untolerated = taints.filter((t) => t.effect !== 'PreferNoSchedule' && !tolerates(tolerations, t));
  return untolerated.length ? `untolerated taint ${untolerated.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}` : undefined;
}

/** Why the pod does not fit an empty node with this allocatable (NodeResourcesFit), or undefined. */
export function resourceProblem(spec: Json, allocatable: Readonly<Record<string, string>>): string | undefined {
  const req = podRequests(spec);
  for (const [k, v] of Object.entries(req)) {
    if (v > 0 && v > quantity(allocatable[k] ?? '0')) return `${k}: needs ${v}, a node has ${allocatable[k] ?? 0}`;
  }
  return undefined;
}
