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
import { parseAllDocuments } from 'yaml';
import { DYNAMO_CRDS } from './preflight.js';
import { Runbook } from './runbook.js';

/** The resources users write; the DynamoComponentDeployments are the operator's and come back from these. */
export const BACKED_UP_KINDS = ['dynamographdeployments.nvidia.com', 'dynamographdeploymentrequests.nvidia.com'] as const;

/** jq filter: what the API server sets and refuses on create (resourceVersion, uid, ...), and the status. */
export const STRIP_SERVER_FIELDS =
  'del(.items[].metadata.resourceVersion, .items[].metadata.uid, .items[].metadata.managedFields, .items[].metadata.creationTimestamp, .items[].metadata.generation, .items[].metadata.ownerReferences, .items[].status)';

export function upgradePlan(spec: Spec): string {
  const t = spec.target;
  const p = spec.platform;
  const ns = p.namespace;
  const synthesized = synthK8sTarget(spec);
  const files = synthesized.map((f) => f.path.split('/').pop()!);
  // The snapshot Job's name carries a hash of its template: read it from the manifests.
  const backup = synthesized.find((f) => f.path.endsWith('/09-etcd-backup.k8s.yaml'));
  const snapshotJob = backup && parseAllDocuments(backup.content).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).find((o) => o.kind === 'Job')?.metadata.name;
  const apply = (pattern: RegExp) => files.filter((f) => pattern.test(f)).map((f) => `kubectl apply -f dist/${t}/${f}`);
  const prereqs = platformPrerequisites(spec);
  const crds = prereqs.find((x) => x.release === 'dynamo-crds')!;
  const others = prereqs.filter((x) => x !== crds);
  const book = new Runbook(`Upgrade of target ${t} to Dynamo ${VERSIONS.dynamo.version}: one step at a time, each checked before the next.`);
  const section = (title: string, commands: readonly string[]) => book.section(title, commands);
  section('Read what changes; exit code 2 names every change the cluster rejects or that replaces pods or data.', [
    `npx dynamo-iac diff <previous dist>/${t} dist/${t}`,
  ]);
  section('Back up the graphs, the graph requests and the CRDs, stripped of server-set fields so that `kubectl apply` restores them (the operator recreates what it owns).', [
    `kubectl get ${BACKED_UP_KINDS.join(',')} --all-namespaces -o json | jq '${STRIP_SERVER_FIELDS}' > backup-dynamo-resources-$(date +%Y%m%d).json`,
    `kubectl get crd ${DYNAMO_CRDS.join(' ')} -o json | jq '${STRIP_SERVER_FIELDS}' > backup-dynamo-crds-$(date +%Y%m%d).json`,
  ]);
  if (snapshotJob) {
    section('Snapshot etcd: a Job named after the new platform version, on its own claim; wait for it.', [
      `kubectl apply -f dist/${t}/09-etcd-backup.k8s.yaml`,
      `kubectl -n ${ns} wait --for=condition=complete job/${snapshotJob} --timeout=30m`,
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
  return book.toString();
}
