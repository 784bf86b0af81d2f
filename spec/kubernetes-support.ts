/**
 * Kubernetes version currency: which pinned control-plane minors are near or past their cloud's end of standard
 * support (KUBERNETES_SUPPORT in the version matrix). Pure, with the clock passed in, so that synth can warn without
 * failing and tests can move the date.
 */
import { CLOUD_TARGETS, type Spec, type Target } from './schema.js';
import { KUBERNETES_SUPPORT, type KubernetesSupport } from './versions.js';

const CLOUD_NAME = { eks: 'EKS', aks: 'AKS', gke: 'GKE' } as const;

/** Synth starts warning this many days before a minor's end of standard support: time to plan the upgrade. */
export const SUPPORT_WARNING_DAYS = 60;

const DAY_MS = 86_400_000;

/**
 * What happens on EKS with `upgrade_policy.support_type = STANDARD` at the end of standard support: EKS upgrades the
 * control plane itself, while the configuration still requests the old minor.
 */
const EKS_AUTO_UPGRADE =
  'with kubernetesSupport: standard, EKS upgrades the control plane to the next minor at that date; the configuration still requests the old minor, so the next plan tries a downgrade (which EKS refuses): set cluster.kubernetesVersion to the next minor';

/**
 * One warning per cloud target whose pinned minor is within SUPPORT_WARNING_DAYS of, or past, its end of standard
 * support at `now` (or has no recorded date).
 */
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
      continue;
    }
    const daysLeft = Math.ceil((Date.parse(`${end}T00:00:00Z`) - now.getTime()) / DAY_MS);
    if (daysLeft > SUPPORT_WARNING_DAYS) continue;
    const autoUpgrade = target === 'eks' && spec.cluster.kubernetesSupport === 'standard' ? `; ${EKS_AUTO_UPGRADE}` : '';
    warnings.push(
      daysLeft <= 0
        ? `${where} is past the end of standard support (${end}, ${support.source}): upgrade to a supported minor${autoUpgrade}`
        : `${where}: ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left until the end of standard support (${end}, ${support.source}): upgrade before then${autoUpgrade}`,
    );
  }
  return warnings;
}
