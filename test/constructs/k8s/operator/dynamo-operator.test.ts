import { Chart, Testing } from 'cdk8s';
import { CLUSTER_SCOPED_KINDS } from '../../../../constructs/k8s/common/cluster-scoped.js';
import { describe, expect, it } from 'vitest';
import { DynamoOperator, type DynamoOperatorProps, operatorArgs } from '../../../../constructs/k8s/operator/dynamo-operator.js';
import { UPSTREAM_WILDCARD_RULE } from '../../../../constructs/k8s/operator/rbac-rules.js';
import { byKind, type KubeObject, one } from '../../../support/synth.js';

type Obj = KubeObject & { spec: Record<string, any>; rules?: unknown[]; webhooks?: any[]; roleRef?: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any

const base: DynamoOperatorProps = { namespace: 'plat', natsAddress: 'nats://nats.plat.svc.cluster.local:4222', etcdAddress: 'etcd.plat.svc.cluster.local:2379' };
function synth(props: Partial<DynamoOperatorProps> = {}): Obj[] {
  const chart = Testing.chart();
  new DynamoOperator(chart, 'op', { ...base, ...props });
  return Testing.synth(chart) as Obj[];
}
const container = (objs: Obj[]) => byKind(objs, 'Deployment')[0]!.spec.template.spec.containers[0];

describe('DynamoOperator', () => {
  it('runs the pinned operator image with upstream\'s flags and the NATS and etcd addresses', () => {
    const c = container(synth());
    expect(c.image).toBe('nvcr.io/nvidia/ai-dynamo/kubernetes-operator:0.9.0');
    expect(c.command).toEqual(['/manager']);
    expect(c.args).toEqual([
      '--health-probe-bind-address=:8081',
      '--metrics-bind-address=:8080',
      '--leader-elect',
      '--leader-election-id=dynamo.nvidia.com',
      '--leader-election-namespace=kube-system',
      '--natsAddr=nats://nats.plat.svc.cluster.local:4222',
      '--etcdAddr=etcd.plat.svc.cluster.local:2379',
      '--mpi-run-ssh-secret-name=mpi-run-ssh-secret',
      '--mpi-run-ssh-secret-namespace=plat',
      // the 0.9.0 manager exits at start in cluster scope without --planner-cluster-role-name
      '--dgdr-profiling-cluster-role-name=dynamo-platform-dynamo-operator-dgdr-profiling',
      '--planner-cluster-role-name=dynamo-platform-dynamo-operator-planner',
      '--discovery-backend=etcd',
      '--operator-version=0.9.0',
    ]);
  });

  it('probes /healthz and /readyz on 8081 with upstream timings', () => {
    const c = container(synth());
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 15, periodSeconds: 20 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(c.ports).toContainEqual({ name: 'health', containerPort: 8081 });
  });

  it('metrics Service on 8080', () => {
    const svc = byKind(synth(), 'Service').find((s) => s.metadata.name.endsWith('-metrics'))!;
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 8080, targetPort: 'metrics' }]);
  });

  it('cluster scope: ClusterRole without a wildcard, bound to the ServiceAccount; lease Role in kube-system', () => {
    const objs = synth();
    const cr = one(objs, 'ClusterRole', 'dynamo-platform-dynamo-operator-manager-role');
    expect(cr!.rules).not.toContainEqual(UPSTREAM_WILDCARD_RULE);
    expect(cr!.rules).toContainEqual(expect.objectContaining({ apiGroups: ['nvidia.com'], resources: expect.arrayContaining(['dynamographdeployments']) }));
    expect(one(objs, 'ClusterRoleBinding', 'dynamo-platform-dynamo-operator-manager-rolebinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'dynamo-platform-dynamo-operator-manager-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'dynamo-platform-dynamo-operator-controller-manager', namespace: 'plat' }],
    });
    const [leRole] = byKind(objs, 'Role');
    expect(leRole!.metadata).toMatchObject({ namespace: 'kube-system', name: 'dynamo-platform-dynamo-operator-leader-election-role' });
    expect(byKind(objs, 'Deployment')[0]!.spec.template.spec.serviceAccountName).toBe('dynamo-platform-dynamo-operator-controller-manager');
  });

  it('cluster-scoped objects carry no namespace, even in a namespaced chart', () => {
    const chart = Testing.chart();
    const namespaced = new Chart(chart, 'ns', { namespace: 'plat' });
    new DynamoOperator(namespaced, 'op', { ...base, webhook: {} });
    const objs = Testing.synth(namespaced) as Obj[];
    const clusterScoped = objs.filter((o) => CLUSTER_SCOPED_KINDS.has(o.kind));
    expect(clusterScoped.map((o) => o.kind)).toEqual(expect.arrayContaining(['ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration']));
    expect(clusterScoped.filter((o) => 'namespace' in o.metadata).map((o) => o.metadata.name)).toEqual([]);
    expect(one(objs, 'Deployment').metadata.namespace).toBe('plat');
  });

  it('the wildcard rule only when asked for', () => {
    expect(one(synth({ upstreamWildcardRbac: true }), 'ClusterRole', 'dynamo-platform-dynamo-operator-manager-role').rules).toContainEqual(UPSTREAM_WILDCARD_RULE);
  });

  it('cluster scope: planner and profiling ClusterRoles, which the manager may bind but does not hold', () => {
    const objs = synth();
    const planner = one(objs, 'ClusterRole', 'dynamo-platform-dynamo-operator-planner');
    expect(planner.rules).toContainEqual({ apiGroups: ['nvidia.com'], resources: ['dynamographdeploymentscalingadapters/scale'], verbs: ['patch'] });
    const profiling = one(objs, 'ClusterRole', 'dynamo-platform-dynamo-operator-dgdr-profiling');
    expect(profiling.rules).toContainEqual({ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] });
    expect(one(objs, 'ClusterRoleBinding', 'dynamo-platform-dynamo-operator-dgdr-profiling')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'dynamo-platform-dynamo-operator-dgdr-profiling' },
      subjects: [{ kind: 'ServiceAccount', name: 'dgdr-profiling-job', namespace: 'plat' }],
    });
    const manager = one(objs, 'ClusterRole', 'dynamo-platform-dynamo-operator-manager-role');
    expect(manager.rules).toContainEqual({
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['clusterroles'],
      verbs: ['bind'],
      resourceNames: ['dynamo-platform-dynamo-operator-dgdr-profiling', 'dynamo-platform-dynamo-operator-planner'],
    });
  });

  it('namespace scope: Role and RoleBinding, restricted flags, lease in its own namespace, cluster reads apart', () => {
    const objs = synth({ scope: 'namespace' });
    const c = container(objs);
    expect(c.args).toContain('--restrictedNamespace=plat');
    expect(c.args).toContain('--leader-election-namespace=plat');
    expect(c.args).toContain('--leader-election-id=dynamo.nvidia.com-plat');
    expect(c.args).toContain('--namespace-scope-lease-duration=30s');
    expect(byKind(objs, 'Role').map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual([
      'plat/dgdr-profiling-job',
      'plat/dynamo-platform-dynamo-operator-leader-election-role',
      'plat/dynamo-platform-dynamo-operator-manager-role',
      'plat/planner-role',
    ]);
    // The restricted operator creates no RBAC itself: the planner's identity exists up front, bound in its namespace.
    expect(one(objs, 'RoleBinding', 'planner-binding')).toMatchObject({
      roleRef: { kind: 'Role', name: 'planner-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'planner-serviceaccount', namespace: 'plat' }],
    });
    expect(one(objs, 'ServiceAccount', 'dgdr-profiling-job').metadata.namespace).toBe('plat');
    expect(one(objs, 'Role', 'dgdr-profiling-job').rules).not.toContainEqual(expect.objectContaining({ resources: ['nodes'] }));
    expect(c.args.some((a: string) => a.startsWith('--planner-cluster-role-name'))).toBe(false);
    const clusterRoles = byKind(objs, 'ClusterRole');
    expect(clusterRoles.map((r) => r.metadata.name)).toEqual(['dynamo-platform-dynamo-operator-plat-cluster-reader']);
    const resources = (clusterRoles[0]!.rules as { resources: string[]; verbs: string[] }[]).flatMap((r) => r.resources);
    expect(resources.sort()).toEqual(['customresourcedefinitions', 'queues']);
  });

  it('discovery backend kubernetes without etcd: no --etcdAddr', () => {
    const chart = Testing.chart();
    const op = new DynamoOperator(chart, 'op', { namespace: 'plat', natsAddress: 'nats://n:4222' });
    expect(op.args).toContain('--discovery-backend=kubernetes');
    expect(op.args.some((a) => a.startsWith('--etcdAddr'))).toBe(false);
  });

  it.each<[string, Partial<DynamoOperatorProps>, string]>([
    ['custom lease id, cluster scope', { leaderElectionId: 'mine' }, 'DynamoOperator.leaderElectionId: a cluster-wide operator must use upstream\'s "dynamo.nvidia.com", got "mine"'],
    ['lease in its own namespace, cluster scope', { leaderElectionNamespace: 'plat' }, 'DynamoOperator.leaderElectionNamespace: a cluster-wide operator keeps its lease outside its own namespace (upstream: kube-system), got "plat"'],
    ['etcd backend without etcd', { etcdAddress: undefined, discoveryBackend: 'etcd' }, 'DynamoOperator.etcdAddress: required with discoveryBackend "etcd", got nothing'],
    ['NATS address without scheme', { natsAddress: 'nats:4222' }, 'DynamoOperator.natsAddress: must be a nats:// or tls:// URL, got "nats:4222"'],
    ['zero replicas', { replicas: 0 }, 'DynamoOperator.replicas: must be an integer of at least 1, got 0'],
  ])('refuses %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('a second cluster-wide operator in one app is an error; a namespace-scoped one is fine', () => {
    const chartA = Testing.chart();
    new DynamoOperator(chartA, 'first', base);
    new DynamoOperator(chartA, 'second', { ...base, name: 'other', namespace: 'plat2', leaderElectionNamespace: 'kube-system' });
    expect(() => Testing.synth(chartA)).toThrow(/DynamoOperator: a second cluster-wide operator in one app \(first: test\/first\); only one cluster-wide operator may run per cluster: give this one scope "namespace"/);

    const chartB = Testing.chart();
    new DynamoOperator(chartB, 'first', base);
    new DynamoOperator(chartB, 'team', { ...base, name: 'team', namespace: 'team', scope: 'namespace' });
    expect(() => Testing.synth(chartB)).not.toThrow();
  });

  it('webhook: container port, cert mount, Service 443 -> 9443, cert-manager Certificate, CA injection, upstream webhook paths', () => {
    const objs = synth({ webhook: { failurePolicy: 'Ignore', timeoutSeconds: 5 } });
    const c = container(objs);
    expect(c.args).toContain('--enable-webhooks=true');
    expect(c.ports).toContainEqual({ name: 'webhook-server', containerPort: 9443 });
    expect(c.volumeMounts).toContainEqual({ name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true });
    const svc = byKind(objs, 'Service').find((s) => s.metadata.name.endsWith('-webhook-service'))!;
    expect(svc.spec.ports).toEqual([{ name: 'webhook', port: 443, targetPort: 'webhook-server' }]);
    const cert = byKind(objs, 'Certificate')[0]!;
    expect(cert.spec).toMatchObject({ secretName: 'webhook-server-cert', dnsNames: [`${svc.metadata.name}.plat.svc`, `${svc.metadata.name}.plat.svc.cluster.local`] });
    expect(byKind(objs, 'Issuer')[0]!.spec).toEqual({ selfSigned: {} });
    const vwc = byKind(objs, 'ValidatingWebhookConfiguration')[0]!;
    expect(vwc.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `plat/${cert.metadata.name}` });
    expect(vwc.webhooks!.map((w) => [w.name, w.clientConfig.service.path, w.failurePolicy, w.timeoutSeconds])).toEqual([
      ['vdynamocomponentdeployment.kb.io', '/validate-nvidia-com-v1alpha1-dynamocomponentdeployment', 'Ignore', 5],
      ['vdynamographdeployment.kb.io', '/validate-nvidia-com-v1alpha1-dynamographdeployment', 'Ignore', 5],
      ['vdynamomodel.kb.io', '/validate-nvidia-com-v1alpha1-dynamomodel', 'Ignore', 5],
      ['vdynamographdeploymentrequest.kb.io', '/validate-nvidia-com-v1alpha1-dynamographdeploymentrequest', 'Ignore', 5],
    ]);
    expect(byKind(objs, 'MutatingWebhookConfiguration')[0]!.webhooks![0].rules[0].operations).toEqual(['CREATE']);
    // The API server is outside the pod network: the webhook port is open to all, nothing else is.
    const np = byKind(objs, 'NetworkPolicy')[0]!;
    expect(np.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 9443 }] }]);
  });

  it('no webhook: no webhook objects, no webhook flag', () => {
    const objs = synth();
    expect(objs.filter((o) => /Webhook|Certificate|Issuer/.test(o.kind))).toEqual([]);
    expect(container(objs).args).not.toContain('--enable-webhooks=true');
  });

  it('operatorArgs puts the restricted flags only in namespace scope', () => {
    const o = { namespace: 'n', leaderElectionId: 'x', leaderElectionNamespace: 'n', natsAddress: 'nats://a:1', discoveryBackend: 'kubernetes' as const, webhook: false, version: 'v' };
    expect(operatorArgs({ ...o, scope: 'cluster' }).filter((a) => /restricted|namespace-scope/.test(a))).toEqual([]);
    expect(operatorArgs({ ...o, scope: 'namespace' }).filter((a) => /restricted|namespace-scope/.test(a))).toHaveLength(3);
  });
});
