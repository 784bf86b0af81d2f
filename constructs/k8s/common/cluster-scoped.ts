/**
 * cdk8s gives every object of a namespaced Chart the chart's namespace, cluster-scoped kinds included. The API
 * server ignores it there, but it misleads readers and diff tools, so constructs that emit cluster-scoped objects
 * remove it.
 */
import { ApiObject, Chart, JsonPatch } from './cdk8s.cjs';
import type { IConstruct } from 'constructs';

export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'EC2NodeClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'NodePool',
  'PriorityClass',
  'Queue',
  'StorageClass',
  'ValidatingWebhookConfiguration',
]);

/** Drops `metadata.namespace` from every cluster-scoped object under `scope` (call it at the end of a constructor). */
export function omitNamespaceOfClusterScoped(scope: IConstruct): void {
  if (!Chart.of(scope).namespace) return;
  for (const c of scope.node.findAll()) {
    if (c instanceof ApiObject && CLUSTER_SCOPED_KINDS.has(c.kind)) c.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
