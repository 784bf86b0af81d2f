/**
 * What the Dynamo operator 0.9.0 asks of the API server: its `+kubebuilder:rbac` markers (the generated
 * deploy/operator/config/rbac/role.yaml at 233a1e9), narrowed and completed by what its code does (informers,
 * watches, the RBAC manager, leader election with a Lease in `--leader-election-namespace`). Each need is checked against the synthesized ServiceAccount by the real RBAC
 * authorizer (one SubjectAccessReview per verb and resource for the ServiceAccount), so a rule missing from our
 * ClusterRole fails.
 */
export interface OperatorNeed {
  readonly group: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Only when the operator runs with this flag. */
  readonly whenFlag?: string;
  /** Only when this API group is served: the operator detects Grove, LeaderWorkerSet and Volcano by discovery (cmd/main.go). */
  readonly whenGroup?: string;
  /** Only with Kubernetes discovery (`--discovery-backend`, whose default is kubernetes). */
  readonly whenKubernetesDiscovery?: true;
  /** Checked in the leader-election namespace rather than where graphs live. */
  readonly leaderElection?: true;
}

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];
const DYNAMO = ['dynamocheckpoints', 'dynamocomponentdeployments', 'dynamographdeploymentrequests', 'dynamographdeployments', 'dynamographdeploymentscalingadapters', 'dynamomodels'];

export const OPERATOR_NEEDS: readonly OperatorNeed[] = [
  // From the markers (role.yaml), narrowed where the code uses less.
  { group: '', resources: ['configmaps', 'services'], verbs: CRUD },
  // The markers declare every verb on events (core and events.k8s.io), but the 0.9.0 code only records them through
  // controller-runtime's recorder (core/v1; no EventList or Event read anywhere in deploy/operator): create and patch.
  { group: '', resources: ['events'], verbs: ['create', 'patch'] },
  // Claims: created and deleted, and watched (dynamographdeployment_controller.go Watches PVCs for the graph).
  { group: '', resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { group: '', resources: ['pods'], verbs: READ },
  { group: 'apps', resources: ['deployments'], verbs: CRUD },
  { group: 'autoscaling', resources: ['horizontalpodautoscalers'], verbs: CRUD },
  { group: 'batch', resources: ['jobs'], verbs: CRUD },
  { group: 'coordination.k8s.io', resources: ['leases'], verbs: CRUD },
  { group: 'discovery.k8s.io', resources: ['endpointslices'], verbs: READ },
  { group: 'grove.io', resources: ['podcliques/scale', 'podcliquescalinggroups/scale'], verbs: ['get', 'patch', 'update'], whenGroup: 'grove.io' },
  { group: 'grove.io', resources: ['podcliquesets'], verbs: CRUD, whenGroup: 'grove.io' },
  // The graph controller watches PodCliques when Grove is on (dynamographdeployment_controller.go).
  { group: 'grove.io', resources: ['podcliques'], verbs: READ, whenGroup: 'grove.io' },
  { group: 'inference.networking.k8s.io', resources: ['inferencepools'], verbs: CRUD },
  { group: 'leaderworkerset.x-k8s.io', resources: ['leaderworkersets'], verbs: CRUD, whenGroup: 'leaderworkerset.x-k8s.io' },
  { group: 'networking.istio.io', resources: ['virtualservices'], verbs: CRUD, whenFlag: '--istio-virtual-service-gateway' },
  { group: 'networking.k8s.io', resources: ['ingresses'], verbs: CRUD },
  { group: 'networking.k8s.io', resources: ['ingressclasses'], verbs: READ },
  { group: 'nvidia.com', resources: DYNAMO, verbs: CRUD },
  { group: 'nvidia.com', resources: DYNAMO.filter((k) => k !== 'dynamographdeploymentscalingadapters').map((k) => `${k}/finalizers`), verbs: ['update'] },
  { group: 'nvidia.com', resources: DYNAMO.map((k) => `${k}/status`), verbs: ['get', 'patch', 'update'] },
  { group: 'scheduling.run.ai', resources: ['queues'], verbs: ['get', 'list'] },
  { group: 'scheduling.volcano.sh', resources: ['podgroups'], verbs: CRUD, whenGroup: 'scheduling.volcano.sh' },
  // Kubernetes discovery: per graph a ServiceAccount, a Role and a RoleBinding (internal/discovery/resource.go); RBAC
  // lets the operator grant only what it holds itself: endpoints, endpoint slices and worker metadata.
  { group: 'rbac.authorization.k8s.io', resources: ['roles'], verbs: CRUD, whenKubernetesDiscovery: true },
  { group: '', resources: ['endpoints'], verbs: READ, whenKubernetesDiscovery: true },
  { group: 'nvidia.com', resources: ['dynamoworkermetadatas'], verbs: CRUD, whenKubernetesDiscovery: true },
  // Beyond the markers, what the code does at start and on every reconcile:
  // cmd/main.go starts a Secrets informer (cluster-wide, or in --restrictedNamespace) and exits unless it syncs; the
  // MPI SSH secret is copied into graph namespaces (internal/secret/secret_replicator.go: get, create).
  { group: '', resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create'] },
  // internal/rbac/manager.go, in cluster-wide mode on every graph reconcile: reads the planner's ClusterRole, creates
  // the graph's ServiceAccount and RoleBinding (replacing a stale one); the manager's client reads through its
  // cache, so each read type is also listed and watched. The component controller lists ServiceAccounts.
  { group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], verbs: READ },
  { group: '', resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch', 'create'] },
  { group: 'rbac.authorization.k8s.io', resources: ['rolebindings'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
  // Leader election: controller-runtime's default lock is a Lease in --leader-election-namespace.
  { group: 'coordination.k8s.io', resources: ['leases'], verbs: ['get', 'create', 'update'], leaderElection: true },
  { group: '', resources: ['events'], verbs: ['create', 'patch'], leaderElection: true },
];

export interface AccessCheck {
  readonly verb: string;
  /** `resource.group`, the form kubectl auth can-i takes. */
  readonly resource: string;
  readonly subresource?: string;
  /** undefined: every namespace (`--all-namespaces`). */
  readonly namespace?: string;
}

/** The access checks for an operator started with these args, in a cluster serving these API groups. */
export function accessChecks(args: readonly string[], graphNamespaces: readonly string[] | undefined, leaderNamespace: string, groups: ReadonlySet<string>): AccessCheck[] {
  const out: AccessCheck[] = [];
  const discovery = args.find((a) => a.startsWith('--discovery-backend='))?.split('=')[1] ?? 'kubernetes';
  for (const n of OPERATOR_NEEDS) {
    if (n.whenFlag && !args.some((a) => a.startsWith(n.whenFlag!))) continue;
    if (n.whenGroup && !groups.has(n.whenGroup)) continue;
    if (n.whenKubernetesDiscovery && discovery !== 'kubernetes') continue;
    const scopes = n.leaderElection ? [leaderNamespace] : graphNamespaces ?? [undefined];
    for (const r of n.resources) {
      const [resource, subresource] = r.split('/') as [string, string | undefined];
      for (const verb of n.verbs) {
        for (const namespace of scopes) {
          out.push({ verb, resource: n.group ? `${resource}.${n.group}` : resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}) });
        }
      }
    }
  }
  return out;
}
