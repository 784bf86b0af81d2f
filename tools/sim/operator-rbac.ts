/**
 * What the Dynamo operator 0.9.0 asks of the API server, from its `+kubebuilder:rbac` markers (the generated
 * deploy/operator/config/rbac/role.yaml at 233a1e9) and its leader election (configmaps, leases and events in
 * `--leader-election-namespace`). Each need is checked against the synthesized ServiceAccount by the real RBAC
 * authorizer (`kubectl auth can-i --as=system:serviceaccount:...`), so a rule missing from our ClusterRole fails.
 */
export interface OperatorNeed {
  readonly group: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Only when the operator runs with this flag. */
  readonly whenFlag?: string;
  /** Checked in the leader-election namespace rather than where graphs live. */
  readonly leaderElection?: true;
}

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];
const DYNAMO = ['dynamocheckpoints', 'dynamocomponentdeployments', 'dynamographdeploymentrequests', 'dynamographdeployments', 'dynamographdeploymentscalingadapters', 'dynamomodels'];

export const OPERATOR_NEEDS: readonly OperatorNeed[] = [
  { group: '', resources: ['configmaps', 'services'], verbs: CRUD },
  // The markers declare every verb on events (core and events.k8s.io), but the 0.9.0 code only records them through
  // the event recorder (no EventList or Event read anywhere in deploy/operator at 233a1e9): create and patch.
  { group: '', resources: ['events'], verbs: ['create', 'patch'] },
  { group: '', resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'get', 'list'] },
  { group: '', resources: ['pods'], verbs: READ },
  { group: 'apps', resources: ['deployments'], verbs: CRUD },
  { group: 'autoscaling', resources: ['horizontalpodautoscalers'], verbs: CRUD },
  { group: 'batch', resources: ['jobs'], verbs: CRUD },
  { group: 'coordination.k8s.io', resources: ['leases'], verbs: CRUD },
  { group: 'discovery.k8s.io', resources: ['endpointslices'], verbs: READ },
  { group: 'events.k8s.io', resources: ['events'], verbs: ['create', 'patch'] },
  { group: 'grove.io', resources: ['podcliques/scale', 'podcliquescalinggroups/scale'], verbs: ['get', 'patch', 'update'] },
  { group: 'grove.io', resources: ['podcliquesets'], verbs: CRUD },
  { group: 'inference.networking.k8s.io', resources: ['inferencepools'], verbs: CRUD },
  { group: 'leaderworkerset.x-k8s.io', resources: ['leaderworkersets'], verbs: CRUD },
  { group: 'networking.istio.io', resources: ['virtualservices'], verbs: CRUD, whenFlag: '--istio-virtual-service-gateway' },
  { group: 'networking.k8s.io', resources: ['ingresses'], verbs: CRUD },
  { group: 'networking.k8s.io', resources: ['ingressclasses'], verbs: READ },
  { group: 'nvidia.com', resources: DYNAMO, verbs: CRUD },
  { group: 'nvidia.com', resources: DYNAMO.filter((k) => k !== 'dynamographdeploymentscalingadapters').map((k) => `${k}/finalizers`), verbs: ['update'] },
  { group: 'nvidia.com', resources: DYNAMO.map((k) => `${k}/status`), verbs: ['get', 'patch', 'update'] },
  { group: 'scheduling.run.ai', resources: ['queues'], verbs: ['get', 'list'] },
  { group: 'scheduling.volcano.sh', resources: ['podgroups'], verbs: CRUD },
  { group: '', resources: ['configmaps'], verbs: CRUD, leaderElection: true },
  { group: 'coordination.k8s.io', resources: ['leases'], verbs: CRUD, leaderElection: true },
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

/** The access checks for an operator started with these args. */
export function accessChecks(args: readonly string[], graphNamespaces: readonly string[] | undefined, leaderNamespace: string): AccessCheck[] {
  const out: AccessCheck[] = [];
  for (const n of OPERATOR_NEEDS) {
    if (n.whenFlag && !args.some((a) => a.startsWith(n.whenFlag!))) continue;
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
