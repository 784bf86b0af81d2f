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
  'dynamoworkermetadatas',
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
  // endpoints, endpointslices and worker metadata: the operator grants them to graphs using Kubernetes discovery.
  { apiGroups: [''], resources: ['endpoints'], verbs: READ },
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
  { apiGroups: ['nvidia.com'], resources: ['dynamographdeploymentscalingadapters/scale'], verbs: ['get', 'patch', 'update'] },
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

/**
 * What the Planner may do in a graph's namespace (upstream `planner.yaml`): read and scale graphs, watch worker
 * endpoints. A cluster-wide operator binds this ClusterRole to `planner-serviceaccount` in each graph namespace.
 */
export const PLANNER_RULES: PolicyRule[] = [
  { apiGroups: ['nvidia.com'], resources: ['dynamocomponentdeployments', 'dynamographdeployments'], verbs: ['get', 'list', 'create', 'update', 'patch'] },
  { apiGroups: ['nvidia.com'], resources: ['dynamographdeploymentscalingadapters/scale'], verbs: ['patch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['nvidia.com'], resources: ['dynamoworkermetadatas'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

/**
 * What a DynamoGraphDeploymentRequest's profiling job may do (upstream `profiling-job-rbac.yaml`): run trial graphs
 * and pods, store results in ConfigMaps, and (cluster-wide only) read nodes for GPU discovery.
 */
export function profilingJobRules(clusterWide: boolean): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update', 'patch', 'delete'] },
    { apiGroups: ['nvidia.com'], resources: ['dynamographdeploymentrequests'], verbs: ['get'] },
    { apiGroups: ['nvidia.com'], resources: ['dynamographdeployments'], verbs: ['get', 'create', 'delete', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get', 'create', 'delete'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ...(clusterWide ? [{ apiGroups: [''], resources: ['nodes'], verbs: READ }] : []),
  ];
}

/** Service accounts the operator runs planners and profiling jobs as (fixed names in the operator). */
export const PLANNER_SERVICE_ACCOUNT = 'planner-serviceaccount';
export const PROFILING_SERVICE_ACCOUNT = 'dgdr-profiling-job';
