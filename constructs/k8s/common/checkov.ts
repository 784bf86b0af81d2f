/**
 * Accepted checkov findings on one Kubernetes object: `checkov.io/skip<N>: <check>=<reason>` annotations, the
 * narrowest scope checkov supports for Kubernetes (it reads them from the object's own metadata). Every skip says
 * why; `npm run scan` counts them as accepted and the README lists them.
 */

/** A checkov check id and the one-line reason we accept its finding on this object. */
export type CheckovSkips = Readonly<Record<string, string>>;

/** Reasons shared by the objects they apply to (each object still carries its own annotation). */
export const ACCEPT = {
  /** CKV_K8S_43 */
  tagNotDigest: 'pinned to an immutable release tag from the version matrix (spec/versions.ts), which holds no digests yet',
  /** CKV_K8S_15 */
  pullIfNotPresent: 'IfNotPresent on an immutable release tag: restarts need no registry and pull nothing new',
} as const;

/** The annotations for `skips`, numbered in check-id order so the output is deterministic. */
export function checkovSkipAnnotations(skips: CheckovSkips): Record<string, string> {
  const out: Record<string, string> = {};
  Object.keys(skips)
    .sort()
    .forEach((check, i) => {
      const reason = skips[check]!;
      if (!/^CKV2?_K8S_\d+$/.test(check)) throw new Error(`checkov skip: "${check}" is not a Kubernetes check id (CKV_K8S_<n>)`);
      // checkov splits the value on "=": a reason containing one would be cut.
      if (reason.trim().length < 20 || reason.includes('=')) throw new Error(`checkov skip ${check}: the reason must be at least 20 characters without "=", got "${reason}"`);
      out[`checkov.io/skip${i + 1}`] = `${check}=${reason}`;
    });
  return out;
}
