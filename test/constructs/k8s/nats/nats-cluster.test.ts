import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { NatsCluster, type NatsClusterProps } from '../../../../constructs/k8s/nats/nats-cluster.js';
import { natsRoutes, renderNatsConf } from '../../../../constructs/k8s/nats/nats-conf.js';
import { byKind, type KubeObject } from '../../../support/synth.js';

type Obj = KubeObject & { spec: Record<string, any>; data?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(props: NatsClusterProps = {}): Obj[] {
  const chart = Testing.chart();
  new NatsCluster(chart, 'nats', { namespace: 'plat', ...props });
  return Testing.synth(chart) as Obj[];
}

describe('NatsCluster', () => {
  it('one server by default: no route cluster, a PDB that does not block drains', () => {
    const objs = synth();
    const [sts] = byKind(objs, 'StatefulSet');
    expect(sts!.spec).toMatchObject({ replicas: 1, podManagementPolicy: 'Parallel', serviceName: 'nats-headless' });
    expect(byKind(objs, 'ConfigMap')[0]!.data!['nats.conf']).not.toContain('cluster {');
    expect(byKind(objs, 'PodDisruptionBudget')[0]!.spec).toMatchObject({ maxUnavailable: 1 });
    expect(sts!.spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  it('three servers: routes to every pod, quorum PDB, spread over zones and hosts', () => {
    const objs = synth({ replicas: 3 });
    const conf = byKind(objs, 'ConfigMap')[0]!.data!['nats.conf']!;
    for (const i of [0, 1, 2]) expect(conf).toContain(`nats://nats-${i}.nats-headless.plat.svc.cluster.local:6222`);
    expect(byKind(objs, 'PodDisruptionBudget')[0]!.spec).toMatchObject({ minAvailable: 2 });
    const spread = byKind(objs, 'StatefulSet')[0]!.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: { topologyKey: string }) => s.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it.each([0, 2, 1.5])('refuses %s replicas', (replicas) => {
    expect(() => synth({ replicas })).toThrow(`NatsCluster.replicas: must be 1 or at least 3 (a JetStream cluster needs a quorum), got ${replicas}`);
  });

  it('JetStream on a PVC of the given size and class, its limit at 90% of it, upstream payload limit, monitoring on 8222', () => {
    const objs = synth({ storageSize: '20Gi', storageClassName: 'fast' });
    const sts = byKind(objs, 'StatefulSet')[0]!;
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
    const conf = byKind(objs, 'ConfigMap')[0]!.data!['nats.conf']!;
    expect(conf).toContain(`max_file_store: ${Math.floor(20 * 2 ** 30 * 0.9)}\n`);
    expect(conf).toContain('max_payload: 15728640');
    expect(conf).toContain('http: 0.0.0.0:8222');
  });

  it('probes on the monitoring port; readiness needs JetStream', () => {
    const c = byKind(synth(), 'StatefulSet')[0]!.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz?js-enabled-only=true', port: 'monitor' });
    expect(c.livenessProbe.httpGet.port).toBe('monitor');
    expect(c.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('a config change changes the checksum annotation, so the pods roll', () => {
    const sum = (o: Obj[]) => byKind(o, 'StatefulSet')[0]!.spec.template.metadata.annotations['checksum/config'];
    expect(sum(synth())).toBe(sum(synth()));
    expect(sum(synth({ maxPayload: 1048576 }))).not.toBe(sum(synth()));
  });

  it('client and headless Services; the headless one publishes not-ready pods and the cluster port', () => {
    const objs = synth({ replicas: 3 });
    expect(byKind(objs, 'Service', 'nats')[0]!.spec.ports.map((p: { port: number }) => p.port)).toEqual([4222, 8222]);
    expect(byKind(objs, 'Service', 'nats-headless')[0]!.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(byKind(objs, 'Service', 'nats-headless')[0]!.spec.ports.map((p: { port: number }) => p.port)).toContain(6222);
  });

  it('NetworkPolicy: clients on 4222, only NATS itself on 6222, monitoring namespaces on 8222', () => {
    const np = byKind(synth({ clients: { namespaces: ['team-a'] }, monitoringNamespaces: ['monitoring'] }), 'NetworkPolicy')[0]!;
    const rule = (port: number) => np.spec.ingress.find((r: { ports: { port: number }[] }) => r.ports[0]!.port === port);
    expect(rule(4222).from).toContainEqual({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['plat', 'team-a'] }] } });
    expect(rule(4222).from).toContainEqual({ namespaceSelector: { matchLabels: { 'dynamo-iac.io/platform-client': 'true' } } });
    expect(rule(6222).from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'nats' } } }]);
    expect(rule(8222).from).toEqual([{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] } ] } }]);
    expect(np.spec.ingress).toHaveLength(3);
  });

  it('no monitoring namespaces: port 8222 is not opened; networkPolicy false: no policy', () => {
    expect(byKind(synth(), 'NetworkPolicy')[0]!.spec.ingress).toHaveLength(2);
    expect(byKind(synth({ networkPolicy: false }), 'NetworkPolicy')).toHaveLength(0);
  });

  it('clientUrl is the in-cluster address of the client Service', () => {
    const chart = Testing.chart();
    expect(new NatsCluster(chart, 'n', { name: 'x-nats', namespace: 'ns' }).clientUrl).toBe('nats://x-nats.ns.svc.cluster.local:4222');
  });
});

describe('renderNatsConf', () => {
  const base = { name: 'n', namespace: 'ns', headlessService: 'n-h', maxPayload: 2048, fileStoreBytes: 1000, memoryStoreBytes: 10 };
  it('a route per replica', () => {
    expect(natsRoutes({ ...base, replicas: 3 })).toEqual([0, 1, 2].map((i) => `nats://n-${i}.n-h.ns.svc.cluster.local:6222`));
  });
  it('server name from the pod, store on /data, limits as given', () => {
    const conf = renderNatsConf({ ...base, replicas: 1 });
    expect(conf).toContain('server_name: $SERVER_NAME\n');
    expect(conf).toContain('store_dir: "/data"');
    expect(conf).toContain('max_file_store: 1000\n');
    expect(conf).toContain('max_memory_store: 10\n');
    expect(conf).toContain('max_payload: 2048\n');
  });
});
