/**
 * `dynamo-iac teardown-plan`: the commands that remove a target, in the reverse order of installation: graphs
 * (so the operator removes their pods and the load balancer controller its load balancers while both still run),
 * workloads and observability, the platform, the Dynamo CRDs, the other prerequisites (Helm releases in reverse
 * order: GPU Operator, schedulers, controllers, monitoring), and last the cloud stack. It only prints: nothing is deleted by a command the user did not type.
 */
import { platformPrerequisites } from '../charts/prerequisites.js';
import { synthK8sTarget } from '../charts/synth.js';
import type { Spec } from '../spec/schema.js';
import { DYNAMO_CRDS } from './preflight.js';
import { Runbook } from './runbook.js';

/** The resources each cloud stack protects with prevent_destroy (cluster.protectStatefulResources). */
const PROTECTED: Record<'eks' | 'aks' | 'gke', string> = {
  eks: 'the KMS key, the EFS or FSx for Lustre file system and the ECR repositories',
  aks: 'the Azure Managed Lustre file system and the container registry',
  gke: 'the cluster (deletion_protection), the Filestore or Managed Lustre instance and the Artifact Registry repository',
};

export function teardownPlan(spec: Spec): string {
  const t = spec.target;
  const files = synthK8sTarget(spec).map((f) => f.path.split('/').pop()!);
  const del = (names: readonly string[]) => names.map((n) => `kubectl delete --ignore-not-found -f dist/${t}/${n}`);
  const graphFiles = files.filter((f) => /^(50|60)-/.test(f)).reverse();
  const workloadFiles = files.filter((f) => /^(4\d|7\d)-/.test(f)).reverse();
  const platformFiles = files.filter((f) => /^[0-3]\d-/.test(f)).reverse();
  const ns = spec.workloads.namespace;
  const book = new Runbook(`Teardown of target ${t}: run the steps in order; each waits for the previous one.`);
  const section = (title: string, commands: readonly string[]) => book.section(title, commands);
  section('Graphs and graph requests: the operator removes their pods (GPU nodes then scale to zero) and the load balancer controller their load balancers.', [
    ...del(graphFiles),
    `kubectl -n ${ns} wait --for=delete dynamographdeployments.nvidia.com --all --timeout=15m`,
  ]);
  section('Workloads and observability. Deleting the model-cache claim deletes the downloaded models (reclaim policy Delete).', del(workloadFiles));
  section('The platform: operator, NATS, etcd, queues, storage classes, namespace. Their data claims go with the namespace.', del(platformFiles));
  section('The Dynamo CRDs, once the platform is gone (as the seeds order it): deleting a CRD deletes every resource of its kind.', [
    'helm uninstall dynamo-crds --namespace default --wait',
    `kubectl delete --ignore-not-found crd ${DYNAMO_CRDS.join(' ')}`,
  ]);
  const releases = platformPrerequisites(spec).filter((p) => p.release !== 'dynamo-crds').reverse();
  section('The other prerequisites (GPU Operator, schedulers, controllers, monitoring), in reverse order of installation.', releases.map((p) => `helm uninstall ${p.release} --namespace ${p.namespace} --wait`));
  if (t !== 'local') {
    const protectedNote = spec.cluster.protectStatefulResources
      ? [
          `# cluster.protectStatefulResources is true: it guards ${PROTECTED[t]} with prevent_destroy, and \`destroy\` refuses the whole plan (nothing is deleted).`,
          '# To remove everything: back up what you need, set cluster.protectStatefulResources: false, `npx cdktf deploy` once',
          '# (the flags live in the state), then destroy. To keep a resource instead: `terraform state rm <address>` before destroying.',
        ]
      : [`# cluster.protectStatefulResources is false: ${PROTECTED[t]} are destroyed with their data.`];
    section('The cloud stack (with deploy.platform the Helm releases above are Terraform resources: destroy removes whatever is left, in reverse order).', [
      ...protectedNote,
      `npx cdktf destroy ${t}    # or: terraform -chdir=cdktf.out/stacks/${t} destroy`,
    ]);
  }
  return book.toString();
}
