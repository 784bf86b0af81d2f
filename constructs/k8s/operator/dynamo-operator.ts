/**
 * DynamoOperator: the Dynamo Kubernetes operator (controller manager) with its ServiceAccount, RBAC, leader election,
 * metrics Service, optional admission webhook and ingress NetworkPolicy.
 *
 * Flags, probes, names and resources follow upstream's platform chart (Dynamo 0.9.0). Where we differ, on purpose:
 * - metrics are served on :8080 and fenced by a NetworkPolicy, instead of through the kube-rbac-proxy sidecar image
 *   `gcr.io/kubebuilder/kube-rbac-proxy`, which is no longer published;
 * - no `*` RBAC rule unless asked for; the leader-election lease is granted by a Role in the lease namespace only;
 * - a restricted security context (non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp).
 *
 * The CRDs are not part of this construct: install upstream's `dynamo-crds` chart first (see the README).
 */
import { Chart } from '../common/cdk8s.cjs';
import { IntOrString, KubeClusterRole, KubeClusterRoleBinding, KubeDeployment, KubeRole, KubeRoleBinding, KubeService, KubeServiceAccount, Quantity } from '../common/kube.cjs';
import type { PolicyRule } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct, type IConstruct } from 'constructs';
import { UPSTREAM_LEADER_ELECTION_ID } from '../../../spec/schema.js';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { omitNamespaceOfClusterScoped } from '../common/cluster-scoped.js';
import { constructsUnder } from '../common/tree-index.js';
import { appLabels, selectorLabels } from '../common/labels.js';
import { addIngressPolicy, namespacesByName, tcpPort } from '../common/network.js';
import { podPlacement, type WorkloadPlacement } from '../common/placement.js';
import { type Resources, resourceRequirements } from '../common/resources.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/security.js';
import {
  CLUSTER_RULES,
  LEADER_ELECTION_RULES,
  NAMESPACE_SCOPE_CLUSTER_READS,
  NAMESPACED_RULES,
  PLANNER_RULES,
  PLANNER_SERVICE_ACCOUNT,
  PROFILING_SERVICE_ACCOUNT,
  profilingJobRules,
  UPSTREAM_WILDCARD_RULE,
} from './rbac-rules.js';
import { OperatorWebhook, WEBHOOK_CERT_DIR, WEBHOOK_CERT_SECRET, WEBHOOK_PORT } from './webhook.js';
import { ACCEPT, checkovSkipAnnotations } from '../common/checkov.js';


export type OperatorScope = 'cluster' | 'namespace';
export type DiscoveryBackend = 'etcd' | 'kubernetes';

/**
 * The SSH key pair TRT-LLM multinode workers use for mpirun. The operator copies it from its own namespace into the
 * namespace of every graph it reconciles and fails the graph when the source is missing, so it must exist before any
 * graph (see the README: it is generated in the cluster, never written to an output).
 */
export const MPI_SSH_SECRET = 'mpi-run-ssh-secret';

export const OPERATOR_PORTS = { health: 8081, metrics: 8080, webhook: WEBHOOK_PORT } as const;

export interface DynamoOperatorProps {
  /** Full name, as upstream's `<release>-dynamo-operator`. @default 'dynamo-platform-dynamo-operator' */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default - the version matrix's operator image */
  readonly image?: ImageRef;
  /** `cluster` watches every namespace; `namespace` only its own. @default 'cluster' */
  readonly scope?: OperatorScope;
  /** @default 1 */
  readonly replicas?: number;
  /** Lease name. @default 'dynamo.nvidia.com' (cluster), 'dynamo.nvidia.com-<namespace>' (namespace) */
  readonly leaderElectionId?: string;
  /** Lease namespace. @default 'kube-system' (cluster), the own namespace (namespace) */
  readonly leaderElectionNamespace?: string;
  /** NATS URL the operator and the graphs it manages use (`--natsAddr`). */
  readonly natsAddress: string;
  /** etcd endpoint (`--etcdAddr`, host:port). @default - none: only valid with the kubernetes discovery backend */
  readonly etcdAddress?: string;
  /** @default 'etcd' when an etcd address is given, else 'kubernetes' */
  readonly discoveryBackend?: DiscoveryBackend;
  /** Serve the admission webhooks (needs cert-manager). @default - off */
  readonly webhook?: { readonly failurePolicy?: 'Fail' | 'Ignore'; readonly timeoutSeconds?: number };
  /** `--grove-termination-delay` (a Go duration, e.g. `4h`). @default - the operator's built-in */
  readonly groveTerminationDelay?: string;
  /** Also grant upstream's `*` rule. @default false */
  readonly upstreamWildcardRbac?: boolean;
  /** @default upstream's: requests 512m/1Gi, limits 1024m/2Gi */
  readonly resources?: Resources;
  /** @default - any node */
  readonly placement?: WorkloadPlacement;
  /** Namespaces that may scrape metrics on 8080. @default - none */
  readonly monitoringNamespaces?: readonly string[];
  /** Emit the NetworkPolicy. @default true */
  readonly networkPolicy?: boolean;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

const OPERATOR_MARK = Symbol.for('dynamo-iac.DynamoOperator');
const UID = 65532;

export class DynamoOperator extends Construct {
  /** True for any DynamoOperator, even one from another copy of this library. */
  public static isDynamoOperator(x: unknown): x is DynamoOperator {
    return x !== null && typeof x === 'object' && OPERATOR_MARK in x;
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly scope: OperatorScope;
  public readonly leaderElectionId: string;
  public readonly leaderElectionNamespace: string;
  public readonly serviceAccountName: string;
  /** The manager's command line. */
  public readonly args: readonly string[];
  /** ClusterRoles the operator binds in graph namespaces (cluster scope only). */
  public readonly plannerClusterRole?: string;
  public readonly profilingClusterRole?: string;

  constructor(scope: Construct, id: string, props: DynamoOperatorProps) {
    super(scope, id);
    Object.defineProperty(this, OPERATOR_MARK, { value: true });
    this.name = props.name ?? 'dynamo-platform-dynamo-operator';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.scope = props.scope ?? 'cluster';
    const clusterWide = this.scope === 'cluster';
    this.leaderElectionId = props.leaderElectionId ?? (clusterWide ? UPSTREAM_LEADER_ELECTION_ID : `${UPSTREAM_LEADER_ELECTION_ID}-${this.namespace}`);
    this.leaderElectionNamespace = props.leaderElectionNamespace ?? (clusterWide ? 'kube-system' : this.namespace);
    const backend = props.discoveryBackend ?? (props.etcdAddress ? 'etcd' : 'kubernetes');
    const replicas = props.replicas ?? 1;
    validateProps(this, props, backend, replicas);
    this.node.addValidation({ validate: () => conflictsWithOtherOperators(this) });

    const image = props.image ?? VERSIONS.dynamo.operatorImage;
    const selector = { ...selectorLabels({ name: 'dynamo-operator', instance: this.name }), 'control-plane': 'controller-manager' };
    const labels = { ...appLabels({ name: 'dynamo-operator', instance: this.name, component: 'operator', version: image.tag }), 'control-plane': 'controller-manager' };
    const meta = (name: string, namespace = this.namespace) => ({ name, namespace, labels });
    const clusterMeta = (name: string) => ({ name, labels });

    this.serviceAccountName = `${this.name}-controller-manager`;
    const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }];
    new KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(this.serviceAccountName), automountServiceAccountToken: true });

    // Manager permissions: a ClusterRole (cluster scope), or a Role plus the few cluster-scoped reads (namespace scope).
    const managerRole = `${this.name}-manager-role`;
    const roleRef = (kind: 'ClusterRole' | 'Role', name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
    const wildcard: PolicyRule[] = props.upstreamWildcardRbac ? [UPSTREAM_WILDCARD_RULE] : [];
    if (clusterWide) {
      // The operator binds these two in every graph namespace; `bind` on exactly them, instead of holding their rules.
      this.plannerClusterRole = `${this.name}-planner`;
      this.profilingClusterRole = `${this.name}-dgdr-profiling`;
      const bind: PolicyRule = { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: [this.profilingClusterRole, this.plannerClusterRole] };
      const webhooks = checkovSkipAnnotations({ CKV_K8S_155: 'the operator maintains its own admission webhook configurations (CLUSTER_RULES: get, list, watch, patch, update; no create or delete)' });
      new KubeClusterRole(this, 'ManagerRole', { metadata: { ...clusterMeta(managerRole), annotations: webhooks }, rules: [...NAMESPACED_RULES, ...CLUSTER_RULES, bind, ...wildcard] });
      new KubeClusterRoleBinding(this, 'ManagerBinding', { metadata: clusterMeta(`${this.name}-manager-rolebinding`), roleRef: roleRef('ClusterRole', managerRole), subjects });
      new KubeClusterRole(this, 'PlannerRole', { metadata: clusterMeta(this.plannerClusterRole), rules: PLANNER_RULES });
      new KubeClusterRole(this, 'ProfilingRole', { metadata: clusterMeta(this.profilingClusterRole), rules: profilingJobRules(true) });
      new KubeClusterRoleBinding(this, 'ProfilingBinding', {
        metadata: clusterMeta(this.profilingClusterRole),
        roleRef: roleRef('ClusterRole', this.profilingClusterRole),
        subjects: [{ kind: 'ServiceAccount', name: PROFILING_SERVICE_ACCOUNT, namespace: this.namespace }],
      });
    } else {
      // A namespace-restricted operator creates no RBAC: the planner and profiling identities exist up front.
      const identity = (id: string, sa: string, role: string, binding: string, rules: PolicyRule[]) => {
        new KubeServiceAccount(this, `${id}ServiceAccount`, { metadata: meta(sa), automountServiceAccountToken: true });
        new KubeRole(this, `${id}Role`, { metadata: meta(role), rules });
        new KubeRoleBinding(this, `${id}Binding`, {
          metadata: meta(binding),
          roleRef: roleRef('Role', role),
          subjects: [{ kind: 'ServiceAccount', name: sa, namespace: this.namespace }],
        });
      };
      identity('Planner', PLANNER_SERVICE_ACCOUNT, 'planner-role', 'planner-binding', PLANNER_RULES);
      identity('Profiling', PROFILING_SERVICE_ACCOUNT, PROFILING_SERVICE_ACCOUNT, PROFILING_SERVICE_ACCOUNT, profilingJobRules(false));
      new KubeRole(this, 'ManagerRole', { metadata: meta(managerRole), rules: [...NAMESPACED_RULES, ...wildcard] });
      new KubeRoleBinding(this, 'ManagerBinding', { metadata: meta(`${this.name}-manager-rolebinding`), roleRef: roleRef('Role', managerRole), subjects });
      const reader = `${this.name}-${this.namespace}-cluster-reader`;
      new KubeClusterRole(this, 'ClusterReader', { metadata: clusterMeta(reader), rules: NAMESPACE_SCOPE_CLUSTER_READS });
      new KubeClusterRoleBinding(this, 'ClusterReaderBinding', { metadata: clusterMeta(reader), roleRef: roleRef('ClusterRole', reader), subjects });
    }
    const leRole = `${this.name}-leader-election-role`;
    new KubeRole(this, 'LeaderElectionRole', { metadata: meta(leRole, this.leaderElectionNamespace), rules: LEADER_ELECTION_RULES });
    new KubeRoleBinding(this, 'LeaderElectionBinding', {
      metadata: meta(`${this.name}-leader-election-rolebinding`, this.leaderElectionNamespace),
      roleRef: roleRef('Role', leRole),
      subjects,
    });

    this.args = operatorArgs({
      namespace: this.namespace,
      scope: this.scope,
      leaderElectionId: this.leaderElectionId,
      leaderElectionNamespace: this.leaderElectionNamespace,
      natsAddress: props.natsAddress,
      etcdAddress: props.etcdAddress,
      discoveryBackend: backend,
      webhook: props.webhook !== undefined,
      version: image.tag,
      ...(props.groveTerminationDelay && { groveTerminationDelay: props.groveTerminationDelay }),
      ...(this.plannerClusterRole && { plannerClusterRole: this.plannerClusterRole }),
      ...(this.profilingClusterRole && { profilingClusterRole: this.profilingClusterRole }),
    });

    const webhook = props.webhook
      ? new OperatorWebhook(this, 'Webhook', {
          name: this.name,
          namespace: this.namespace,
          selector,
          labels,
          ...props.webhook,
          ...(!clusterWide && { namespaces: [this.namespace] }),
        })
      : undefined;

    const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
      httpGet: { path, port: IntOrString.fromString('health') },
      initialDelaySeconds,
      periodSeconds,
    });
    new KubeDeployment(this, 'Resource', {
      metadata: {
        ...meta(`${this.name}-controller-manager`),
        annotations: checkovSkipAnnotations({
          CKV_K8S_43: ACCEPT.tagNotDigest,
          CKV_K8S_15: ACCEPT.pullIfNotPresent,
          CKV_K8S_38: 'the operator is a Kubernetes controller: it needs its service account token to reach the API',
        }),
      },
      spec: {
        replicas,
        strategy: replicas > 1 ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(0), maxSurge: IntOrString.fromNumber(1) } } : { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'kubectl.kubernetes.io/default-container': 'manager' } },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: true,
            securityContext: restrictedPodSecurityContext(UID),
            terminationGracePeriodSeconds: 30,
            ...podPlacement(props.placement ?? {}, selector, replicas),
            containers: [
              {
                name: 'manager',
                image: imageString(image),
                imagePullPolicy: 'IfNotPresent',
                command: ['/manager'],
                args: [...this.args],
                env: [{ name: 'KUBERNETES_CLUSTER_DOMAIN', value: props.clusterDomain ?? 'cluster.local' }],
                ports: [
                  { name: 'health', containerPort: OPERATOR_PORTS.health },
                  { name: 'metrics', containerPort: OPERATOR_PORTS.metrics },
                  ...(webhook ? [{ name: 'webhook-server', containerPort: OPERATOR_PORTS.webhook }] : []),
                ],
                livenessProbe: probe('/healthz', 15, 20),
                readinessProbe: probe('/readyz', 5, 10),
                resources: resourceRequirements(props.resources ?? { requests: { cpu: '512m', memory: '1Gi' }, limits: { cpu: '1024m', memory: '2Gi' } }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  ...(webhook ? [{ name: 'cert', mountPath: WEBHOOK_CERT_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('64Mi') } },
              ...(webhook ? [{ name: 'cert', secret: { secretName: WEBHOOK_CERT_SECRET, defaultMode: 0o444 } }] : []),
            ],
          },
        },
      },
    });

    new KubeService(this, 'Metrics', {
      metadata: meta(`${this.name}-metrics`),
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'metrics', port: OPERATOR_PORTS.metrics, targetPort: IntOrString.fromString('metrics') }] },
    });

    if (props.networkPolicy !== false) {
      const monitoring = namespacesByName(props.monitoringNamespaces ?? []);
      addIngressPolicy(this, meta(this.name), selector, [
        ...(monitoring.length ? [{ from: monitoring, ports: tcpPort(OPERATOR_PORTS.metrics) }] : []),
        // The API server calls the webhook from outside the pod network: no peer can name it.
        ...(webhook ? [{ ports: tcpPort(OPERATOR_PORTS.webhook) }] : []),
      ]);
    }
    omitNamespaceOfClusterScoped(this);
  }
}

export interface OperatorArgsOptions {
  readonly namespace: string;
  readonly scope: OperatorScope;
  readonly leaderElectionId: string;
  readonly leaderElectionNamespace: string;
  readonly natsAddress: string;
  readonly etcdAddress?: string | undefined;
  readonly discoveryBackend: DiscoveryBackend;
  readonly webhook: boolean;
  readonly version: string;
  readonly groveTerminationDelay?: string;
  /** Required by the 0.9.0 manager in cluster scope: it exits at start without `--planner-cluster-role-name`. */
  readonly plannerClusterRole?: string;
  readonly profilingClusterRole?: string;
}

/** The manager's flags, in upstream's order (platform chart `deployment.yaml`). */
export function operatorArgs(o: OperatorArgsOptions): string[] {
  return [
    `--health-probe-bind-address=:${OPERATOR_PORTS.health}`,
    `--metrics-bind-address=:${OPERATOR_PORTS.metrics}`,
    '--leader-elect',
    `--leader-election-id=${o.leaderElectionId}`,
    ...(o.scope === 'namespace' ? [`--restrictedNamespace=${o.namespace}`] : []),
    `--leader-election-namespace=${o.leaderElectionNamespace}`,
    `--natsAddr=${o.natsAddress}`,
    ...(o.etcdAddress ? [`--etcdAddr=${o.etcdAddress}`] : []),
    ...(o.groveTerminationDelay ? [`--grove-termination-delay=${o.groveTerminationDelay}`] : []),
    `--mpi-run-ssh-secret-name=${MPI_SSH_SECRET}`,
    `--mpi-run-ssh-secret-namespace=${o.namespace}`,
    ...(o.profilingClusterRole ? [`--dgdr-profiling-cluster-role-name=${o.profilingClusterRole}`] : []),
    ...(o.plannerClusterRole ? [`--planner-cluster-role-name=${o.plannerClusterRole}`] : []),
    `--discovery-backend=${o.discoveryBackend}`,
    ...(o.scope === 'namespace' ? ['--namespace-scope-lease-duration=30s', '--namespace-scope-lease-renew-interval=10s'] : []),
    `--operator-version=${o.version}`,
    ...(o.webhook ? ['--enable-webhooks=true'] : []),
  ];
}

function validateProps(op: DynamoOperator, props: DynamoOperatorProps, backend: DiscoveryBackend, replicas: number): void {
  if (op.scope === 'cluster' && op.leaderElectionId !== UPSTREAM_LEADER_ELECTION_ID) {
    throw new Error(
      `DynamoOperator.leaderElectionId: a cluster-wide operator must use upstream's "${UPSTREAM_LEADER_ELECTION_ID}", got "${op.leaderElectionId}" (two cluster-wide operators with different leases would both be active)`,
    );
  }
  if (op.scope === 'cluster' && op.leaderElectionNamespace === op.namespace) {
    throw new Error(`DynamoOperator.leaderElectionNamespace: a cluster-wide operator keeps its lease outside its own namespace (upstream: kube-system), got "${op.leaderElectionNamespace}"`);
  }
  if (backend === 'etcd' && !props.etcdAddress) {
    throw new Error('DynamoOperator.etcdAddress: required with discoveryBackend "etcd", got nothing');
  }
  if (!/^(nats|tls):\/\/./.test(props.natsAddress)) {
    throw new Error(`DynamoOperator.natsAddress: must be a nats:// or tls:// URL, got "${props.natsAddress}"`);
  }
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`DynamoOperator.replicas: must be an integer of at least 1, got ${replicas}`);
  }
}

/** Upstream refuses a second cluster-wide operator per cluster; we refuse it per app (one app is one cluster). */
function conflictsWithOtherOperators(self: DynamoOperator): string[] {
  if (self.scope !== 'cluster') return [];
  const others = constructsUnder(self.node.root).filter((c: IConstruct): c is DynamoOperator => DynamoOperator.isDynamoOperator(c) && c !== self && c.scope === 'cluster');
  const first = [self, ...others].sort((a, b) => a.node.path.localeCompare(b.node.path))[0];
  if (!others.length || first === self) return [];
  return [
    `DynamoOperator: a second cluster-wide operator in one app (first: ${first!.node.path}); only one cluster-wide operator may run per cluster: give this one scope "namespace"`,
  ];
}
