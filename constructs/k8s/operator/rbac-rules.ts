/**
 * The operator's permissions. Upstream's platform chart (Dynamo 0.9.0, `manager-rbac.yaml`) grants the listed rules
 * plus a `*` / `*` / `*` rule; we grant the list alone unless the spec opts into the wildcard, and split the
 * cluster-scoped reads into their own ClusterRole when the operator is namespace-restricted.
 */
import type { PolicyRule } from 'cdk8s-plus-28/lib/imports/k8s.js';

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];

const DYNAMO_KINDS = [
  'dynamocheckpoints',
  'dynamocomponentdeployments',
  'dynamographdeploymentrequests',
  'dynamographdeployments',
  'dynamographdeploymentscalingadapters',
  'dynamomodels',
];

/** Rules on namespaced resources: granted cluster-wide (ClusterRole) or in one namespace (Role). */
export const NAMESPACED_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'secrets', 'serviceaccounts', 'services'], verbs: CRUD },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: CRUD },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: CRUD },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: CRUD },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: CRUD },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: CRUD },
  { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: CRUD },
  { apiGroups: ['grove.io'], resources: ['podcliquesets'], verbs: CRUD },
  { apiGroups: ['grove.io'], resources: ['podcliques', 'podcliquescalinggroups'], verbs: READ },
  { apiGroups: ['grove.io'], resources: ['podcliques/scale', 'podcliquescalinggroups/scale'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['leaderworkerset.x-k8s.io'], resources: ['leaderworkersets'], verbs: CRUD },
  { apiGroups: ['scheduling.volcano.sh'], resources: ['podgroups'], verbs: CRUD },
  { apiGroups: ['nvidia.com'], resources: DYNAMO_KINDS, verbs: CRUD },
  { apiGroups: ['nvidia.com'], resources: DYNAMO_KINDS.map((k) => `${k}/finalizers`), verbs: ['update'] },
  { apiGroups: ['nvidia.com'], resources: DYNAMO_KINDS.map((k) => `${k}/status`), verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: CRUD },
];

/** Rules on cluster-scoped resources that a cluster-wide operator needs. */
export const CLUSTER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces', 'nodes'], verbs: READ },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: READ },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles'], verbs: CRUD },
  { apiGroups: ['scheduling.run.ai'], resources: ['queues'], verbs: ['get', 'list'] },
];

/** Cluster-scoped reads a namespace-restricted operator still needs (KAI queues, CRD presence). */
export const NAMESPACE_SCOPE_CLUSTER_READS: PolicyRule[] = [
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['scheduling.run.ai'], resources: ['queues'], verbs: ['get', 'list'] },
];

/** The leader-election lease (and the events the elector records), in the lease namespace only. */
export const LEADER_ELECTION_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: CRUD },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: CRUD },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** Upstream's catch-all rule, granted only when the spec asks for it. */
export const UPSTREAM_WILDCARD_RULE: PolicyRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
