import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { etcdArgs, etcdInitialCluster } from '../../../../constructs/k8s/etcd/etcd-args.js';
import { EtcdCluster, type EtcdClusterProps } from '../../../../constructs/k8s/etcd/etcd-cluster.js';
import { byKind, type KubeObject } from '../../../support/synth.js';

type Obj = KubeObject & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(props: EtcdClusterProps = {}): Obj[] {
  const chart = Testing.chart();
  new EtcdCluster(chart, 'etcd', { namespace: 'plat', ...props });
  return Testing.synth(chart) as Obj[];
}
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('EtcdCluster', () => {
  it('3 members: Parallel, quorum PDB (2), initial cluster of all three', () => {
    const objs = synth({ replicas: 3 });
    const sts = byKind(objs, 'StatefulSet')[0]!;
    expect(sts.spec).toMatchObject({ replicas: 3, podManagementPolicy: 'Parallel', serviceName: 'etcd-headless' });
    expect(byKind(objs, 'PodDisruptionBudget')[0]!.spec.minAvailable).toBe(2);
    const args = sts.spec.template.spec.containers[0].args as string[];
    expect(flag(args, 'initial-cluster')!.split(',')).toEqual([0, 1, 2].map((i) => `etcd-${i}=http://etcd-${i}.etcd-headless.plat.svc.cluster.local:2380`));
    expect(flag(args, 'name')).toBe('$(POD_NAME)');
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  it('5 members: quorum 3', () => {
    expect(byKind(synth({ replicas: 5 }), 'PodDisruptionBudget')[0]!.spec.minAvailable).toBe(3);
  });

  it('one member by default, and its PDB does not block drains', () => {
    const objs = synth();
    expect(byKind(objs, 'StatefulSet')[0]!.spec.replicas).toBe(1);
    expect(byKind(objs, 'PodDisruptionBudget')[0]!.spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
  });

  it.each([0, 2, 4, -1])('refuses %s members', (replicas) => {
    expect(() => synth({ replicas })).toThrow(`EtcdCluster.replicas: must be odd and at least 1 (quorum), got ${replicas}`);
  });

  it('headless Service publishes not-ready addresses; client Service on 2379 only', () => {
    const objs = synth();
    expect(byKind(objs, 'Service', 'etcd-headless')[0]!.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(byKind(objs, 'Service', 'etcd')[0]!.spec.ports.map((p: { port: number }) => p.port)).toEqual([2379]);
  });

  it('data dir on the PVC, with a backend quota below the volume size', () => {
    const sts = byKind(synth({ storageSize: '8Gi', storageClassName: 'ssd' }), 'StatefulSet')[0]!;
    const c = sts.spec.template.spec.containers[0];
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }]);
    expect(flag(c.args, 'data-dir')).toBe('/var/lib/etcd/data');
    expect(Number(flag(c.args, 'quota-backend-bytes'))).toBe(Math.floor(8 * 2 ** 30 * 0.8));
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'ssd', resources: { requests: { storage: '8Gi' } } });
  });

  it('probes: liveness answers locally (serializable), readiness needs the cluster', () => {
    const c = byKind(synth(), 'StatefulSet')[0]!.spec.template.spec.containers[0];
    expect(c.livenessProbe.httpGet.path).toBe('/health?exclude=NOSPACE&serializable=true');
    expect(c.readinessProbe.httpGet.path).toBe('/health');
    expect(c.startupProbe.httpGet.port).toBe('client');
  });

  it('NetworkPolicy: clients and monitoring on 2379, only members on 2380', () => {
    const np = byKind(synth({ monitoringNamespaces: ['prom'] }), 'NetworkPolicy')[0]!;
    const [client, peer] = np.spec.ingress;
    expect(client.ports).toEqual([{ protocol: 'TCP', port: 2379 }]);
    expect(client.from).toContainEqual({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['prom'] }] } });
    expect(peer).toEqual({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': 'etcd' } } }], ports: [{ protocol: 'TCP', port: 2380 }] });
  });

  it('clientEndpoint is host:port, as upstream passes --etcdAddr', () => {
    expect(new EtcdCluster(Testing.chart(), 'e', { name: 'p-etcd', namespace: 'ns' }).clientEndpoint).toBe('p-etcd.ns.svc.cluster.local:2379');
  });
});

describe('etcdArgs', () => {
  const o = { name: 'e', namespace: 'ns', headlessService: 'e-h', replicas: 3, quotaBackendBytes: 100 };
  it('initial cluster derived from the replica count', () => {
    expect(etcdInitialCluster(o).split(',')).toHaveLength(3);
    expect(etcdInitialCluster({ ...o, replicas: 1 })).toBe('e-0=http://e-0.e-h.ns.svc.cluster.local:2380');
  });
  it('advertises the stable per-pod DNS name', () => {
    expect(etcdArgs(o)).toContain('--advertise-client-urls=http://$(POD_NAME).e-h.ns.svc.cluster.local:2379');
    expect(etcdArgs({ ...o, clusterDomain: 'corp.local' })).toContain('--initial-advertise-peer-urls=http://$(POD_NAME).e-h.ns.svc.corp.local:2380');
  });
});
