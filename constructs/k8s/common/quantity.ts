/** Kubernetes quantities as numbers, for values that other programs want in bytes (nats.conf, etcd quotas). */

const FACTORS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Bytes in a memory or storage quantity such as `10Gi` or `512M`. Throws on anything else. */
export function quantityToBytes(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q);
  if (!m) throw new Error(`quantity "${q}": must be a byte quantity such as 10Gi or 512M`);
  return Math.floor(Number(m[1]) * FACTORS[m[2] ?? '']!);
}
