/**
 * Which GPU pools of a target can run a worker: the pools with enough GPUs per node, of the wanted capacity
 * (on-demand, spot or either), accelerator and names. The graph constructs place the worker on exactly these pools
 * and tolerate exactly their taints; the spec loader reports a request that no pool satisfies.
 */
import type { GpuPoolProfile, CloudProfile, Taint, Toleration } from './types.js';
import { tolerationOf } from './types.js';

export const GPU_CAPACITIES = ['on-demand', 'spot', 'any'] as const;
export type GpuCapacity = (typeof GPU_CAPACITIES)[number];

export interface GpuRequest {
  /** GPUs one pod needs on one node. */
  readonly gpus: number;
  /** @default 'on-demand' */
  readonly capacity?: GpuCapacity;
  /** Restrict to these pools by name. @default - every pool */
  readonly pools?: readonly string[];
  /** Restrict to pools with this accelerator. @default - any accelerator */
  readonly accelerator?: string;
}

export type GpuFit =
  | { readonly ok: true; /** Empty on targets that know no pools (local): any GPU node. */ readonly pools: readonly GpuPoolProfile[] }
  | { readonly ok: false; readonly problem: string };

const describePool = (p: GpuPoolProfile) => `${p.name} has ${p.gpusPerNode} ${p.accelerator} (${p.spot ? 'spot' : 'on-demand'})`;

/** The pools of the profile that satisfy the request, or a message that names the pools and why none fits. */
export function fitGpuPools(profile: CloudProfile, req: GpuRequest): GpuFit {
  const all = Object.values(profile.gpuPools);
  if (all.length === 0) return { ok: true, pools: [] };
  const names = all.map((p) => p.name);
  const unknown = (req.pools ?? []).filter((n) => !names.includes(n));
  if (unknown.length) {
    return { ok: false, problem: `unknown GPU pool${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the pools of ${profile.target} are ${names.join(', ')}` };
  }
  const capacity = req.capacity ?? 'on-demand';
  const fits = all.filter(
    (p) =>
      (req.pools === undefined || req.pools.includes(p.name)) &&
      (capacity === 'any' || p.spot === (capacity === 'spot')) &&
      (req.accelerator === undefined || p.accelerator === req.accelerator) &&
      p.gpusPerNode >= req.gpus,
  );
  if (fits.length) return { ok: true, pools: fits };
  const wanted = [
    `${req.gpus} GPU${req.gpus > 1 ? 's' : ''} per node`,
    capacity !== 'any' && capacity,
    req.accelerator,
    req.pools && `in ${req.pools.join(', ')}`,
  ].filter(Boolean);
  return { ok: false, problem: `no GPU pool of ${profile.target} fits ${wanted.join(', ')}: ${all.map(describePool).join('; ')}` };
}

/** Every taint of the given pools, once each, in a stable order. */
export function taintsOf(pools: readonly GpuPoolProfile[]): Taint[] {
  const seen = new Map<string, Taint>();
  for (const t of pools.flatMap((p) => p.taints)) seen.set(`${t.key}=${t.value ?? ''}:${t.effect}`, t);
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
}

/** The tolerations a pod needs to run on every one of the pools (and on no other tainted node). */
export const tolerationsFor = (pools: readonly GpuPoolProfile[]): Toleration[] => taintsOf(pools).map(tolerationOf);

/** Node label requirements that keep a pod on the given pools: label key -> allowed values. */
export function poolSelector(pools: readonly GpuPoolProfile[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const p of pools) for (const [k, v] of Object.entries(p.nodeSelector)) (out[k] ??= new Set()).add(v);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)).map(([k, vs]) => [k, [...vs].sort()]));
}

/** The fast-network resource every given pool offers, if they all offer the same one. */
export function commonFastNetwork(pools: readonly GpuPoolProfile[]): string | undefined {
  const first = pools[0]?.fastNetworkResource;
  return first !== undefined && pools.every((p) => p.fastNetworkResource === first) ? first : undefined;
}
