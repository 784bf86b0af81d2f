/**
 * What must be in the cluster before the platform charts apply: upstream's CRDs (never hand-written here), and
 * cert-manager when the operator's webhook is on. Ordered; the README's install commands and the cloud deploy path
 * both read this list.
 */
import type { Spec } from '../spec/schema.js';
import { type ChartRef, VERSIONS } from '../spec/versions.js';

export interface HelmPrerequisite {
  /** Helm release name. */
  readonly release: string;
  readonly namespace: string;
  readonly chart: ChartRef;
  /** Extra `--set` values. */
  readonly values: Readonly<Record<string, string>>;
  /** Why the platform needs it. */
  readonly reason: string;
}

export function platformPrerequisites(spec: Spec): HelmPrerequisite[] {
  const out: HelmPrerequisite[] = [
    {
      release: 'dynamo-crds',
      namespace: 'default',
      chart: VERSIONS.dynamo.crdsChart,
      values: {},
      reason: 'the Dynamo CRDs (DynamoGraphDeployment and the rest) the operator serves',
    },
  ];
  if (spec.platform.operator.enabled && spec.platform.operator.webhook.enabled) {
    out.push({
      release: 'cert-manager',
      namespace: 'cert-manager',
      chart: VERSIONS.certManager.chart,
      values: { 'crds.enabled': 'true' },
      reason: "issues the operator's webhook certificate",
    });
  }
  return out;
}

/** The shell command that installs one prerequisite, as the README prints it. */
export function helmInstallCommand(p: HelmPrerequisite): string {
  const set = Object.entries(p.values).map(([k, v]) => ` --set ${k}=${v}`).join('');
  const ns = `--namespace ${p.namespace}${p.namespace === 'default' ? '' : ' --create-namespace'}`;
  if (p.chart.repository.startsWith('oci://')) {
    return `helm upgrade --install ${p.release} ${p.chart.repository}/${p.chart.name} --version ${p.chart.version} ${ns}${set}`;
  }
  if (p.chart.repository.includes('helm.ngc.nvidia.com')) {
    // NGC serves chart archives by URL, as upstream's install guide fetches them.
    return `helm upgrade --install ${p.release} ${p.chart.repository}/${p.chart.name}-${p.chart.version}.tgz ${ns}${set}`;
  }
  return `helm upgrade --install ${p.release} ${p.chart.name} --repo ${p.chart.repository} --version ${p.chart.version} ${ns}${set}`;
}
