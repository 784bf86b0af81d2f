/**
 * `dynamo-iac upgrade-plan`: the ordered upgrade runbook of a target, from the version matrix and the spec: read
 * the diff, back up the custom resources and the CRDs, snapshot etcd (the Job named after the new platform
 * version), upgrade the CRDs, the other prerequisites, the platform (NATS and etcd roll one member at a time within
 * their PodDisruptionBudgets: wait for each), then the graphs, and verify. It only prints.
 */
import { helmInstallCommand, platformPrerequisites } from '../charts/prerequisites.js';
import { synthK8sTarget } from '../charts/synth.js';
import type { Spec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { versionSlug } from '../constructs/k8s/etcd/etcd-snapshot.js';
import { DYNAMO_CRDS } from './preflight.js';

export function upgradePlan(spec: Spec): string {
  const t = spec.target;
  const p = spec.platform;
  const ns = p.namespace;
  const files = synthK8sTarget(spec).map((f) => f.path.split('/').pop()!);
  const apply = (pattern: RegExp) => files.filter((f) => pattern.test(f)).map((f) => `kubectl apply -f dist/${t}/${f}`);
  const prereqs = platformPrerequisites(spec);
  const crds = prereqs.find((x) => x.release === 'dynamo-crds')!;
  const others = prereqs.filter((x) => x !== crds);
  const kinds = [...DYNAMO_CRDS].join(',');
  const lines: string[] = [`# Upgrade of target ${t} to Dynamo ${VERSIONS.dynamo.version}: one step at a time, each checked before the next.`, ''];
  let step = 0;
  const section = (title: string, commands: readonly string[]) => {
    if (commands.length) lines.push(`# ${++step}. ${title}`, ...commands, '');
  };
  section('Read what changes; exit code 2 names every change the cluster rejects or that replaces pods or data.', [
    `npx dynamo-iac diff <previous dist>/${t} dist/${t}`,
  ]);
  section('Back up the custom resources and the CRDs.', [
    `kubectl get ${kinds} --all-namespaces -o yaml > backup-dynamo-resources-$(date +%Y%m%d).yaml`,
    `kubectl get crd ${DYNAMO_CRDS.join(' ')} -o yaml > backup-dynamo-crds-$(date +%Y%m%d).yaml`,
  ]);
  if (p.etcd.enabled && p.etcd.backup.enabled) {
    section('Snapshot etcd: a Job named after the new platform version, on its own claim; wait for it.', [
      `kubectl apply -f dist/${t}/09-etcd-backup.k8s.yaml`,
      `kubectl -n ${ns} wait --for=condition=complete job/${p.releaseName}-etcd-snapshot-pre-${versionSlug(VERSIONS.dynamo.version)} --timeout=30m`,
    ]);
  }
  section('The CRDs first: the new operator serves the new schema.', [helmInstallCommand(crds)]);
  section('The other prerequisites, in installation order.', others.map((x) => helmInstallCommand(x)));
  const rollout: Record<string, string | undefined> = {
    '10-etcd.k8s.yaml': p.etcd.enabled ? `statefulset/${p.releaseName}-etcd --timeout=15m` : undefined,
    '20-nats.k8s.yaml': p.nats.enabled ? `statefulset/${p.releaseName}-nats --timeout=15m` : undefined,
    '30-dynamo-operator.k8s.yaml': p.operator.enabled ? `deployment/${p.releaseName}-dynamo-operator-controller-manager --timeout=10m` : undefined,
  };
  section('The platform, waiting for each part. NATS and etcd replace one member at a time and wait for it to be ready; their PodDisruptionBudgets keep the quorum against drains meanwhile.', [
    ...files
      .filter((f) => /^(0[0-8]|[1-3]\d)-/.test(f))
      .flatMap((f) => [`kubectl apply -f dist/${t}/${f}`, ...(rollout[f] ? [`kubectl -n ${ns} rollout status ${rollout[f]}`] : [])]),
  ]);
  section('The graphs, workloads and observability.', apply(/^[4-7]\d-/));
  section('Verify: the operator, NATS, etcd, every graph, the claims, Prometheus targets and the token Secret.', [`npx dynamo-iac verify --target ${t}`]);
  return lines.join('\n').trimEnd();
}
