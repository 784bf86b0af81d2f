/**
 * Kubernetes version currency: which pinned control-plane minors are past their cloud's end of standard support
 * (KUBERNETES_SUPPORT in the version matrix). Pure, with the clock passed in, so that synth can warn without failing
 * and tests can move the date.
 */
import { CLOUD_TARGETS, type Spec, type Target } from './schema.js';
import { KUBERNETES_SUPPORT, type KubernetesSupport } from './versions.js';

const CLOUD_NAME = { eks: 'EKS', aks: 'AKS', gke: 'GKE' } as const;

/** One warning per cloud target whose pinned minor is past (or has no recorded) end of standard support at `now`. */
export function kubernetesSupportWarnings(specs: Partial<Record<Target, Spec>>, now: Date): string[] {
  const warnings: string[] = [];
  for (const target of CLOUD_TARGETS) {
    const spec = specs[target];
    if (!spec || spec.target === 'local') continue;
    const minor = spec.cluster.kubernetesVersion;
    const support: KubernetesSupport = KUBERNETES_SUPPORT[target];
    const end = support.endOfStandardSupport[minor];
    const where = `${CLOUD_NAME[target]} Kubernetes ${minor} (cluster.kubernetesVersion of target ${target})`;
    if (end === undefined) {
      warnings.push(`${where}: no end of standard support is recorded in spec/versions.ts; check ${support.source}`);
    } else if (now.getTime() >= Date.parse(`${end}T00:00:00Z`)) {
      warnings.push(`${where} is past the end of standard support (${end}, ${support.source}): upgrade to a supported minor`);
    }
  }
  return warnings;
}
