/**
 * The composed platform of each target: placement on the system pool, restricted security for every pod,
 * NetworkPolicies for every component, external addresses taking priority, and the chart file order.
 */
import { describe, expect, it } from 'vitest';
import { podSpecPaths } from '../../constructs/k8s/common/images.js';
import { type CloudProfile, cloudProfile } from '../../spec/profile/index.js';
import { type Spec, type Taint, TARGETS } from '../../spec/schema.js';
import { byKind, type KubeObject, one, specsFrom, synthPlatform, synthPlatform as synthSpec } from '../support/synth.js';

type PodSpec = { nodeSelector?: Record<string, string>; tolerations?: { key: string }[]; affinity?: unknown; securityContext: Record<string, unknown>; containers: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
const WORKLOADS = ['Deployment', 'StatefulSet'];
const podSpecs = (objs: KubeObject[]) =>
  objs.filter((o) => WORKLOADS.includes(o.kind)).map((o) => ({ name: o.metadata.name, pod: (o as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec }));

const defaults = specsFrom();

describe('platform charts', () => {
  it('one file per chart, named in apply order: namespace, storage classes, etcd backup, etcd, NATS, operator, KAI queues', () => {
    expect(synthSpec(defaults.eks).files.map((f) => f.path)).toEqual([
      'eks/00-namespace.k8s.yaml',
      'eks/01-storage-classes.k8s.yaml',
      'eks/09-etcd-backup.k8s.yaml',
      'eks/10-etcd.k8s.yaml',
      'eks/20-nats.k8s.yaml',
      'eks/30-dynamo-operator.k8s.yaml',
      'eks/35-kai-queues.k8s.yaml',
    ]);
    expect(synthSpec(defaults.local).files.map((f) => f.path)).toEqual(['local/00-namespace.k8s.yaml', 'local/09-etcd-backup.k8s.yaml', 'local/10-etcd.k8s.yaml', 'local/20-nats.k8s.yaml', 'local/30-dynamo-operator.k8s.yaml']);
  });

  it.each(['eks', 'aks', 'gke'] as const)('%s: control-plane pods select the system pool and tolerate no GPU or spot taint', (target) => {
    const profile = cloudProfile(defaults[target]);
    const pods = podSpecs(synthSpec(defaults[target]).objects);
    expect(pods.map((p) => p.name).sort()).toEqual(['dynamo-platform-dynamo-operator-controller-manager', 'dynamo-platform-etcd', 'dynamo-platform-nats']);
    for (const { pod } of pods) {
      expect(pod.nodeSelector).toEqual(profile.systemPool!.nodeSelector);
      const tolerated = (pod.tolerations ?? []).map((t) => t.key);
      expect(tolerated).not.toContain(profile.gpuTaint!.key);
      expect(tolerated).not.toContain(profile.spotTaint!.key);
    }
  });

  it('local: any node, but preferably not a GPU node', () => {
    for (const { pod } of podSpecs(synthSpec(defaults.local).objects)) {
      expect(pod.nodeSelector).toBeUndefined();
      expect(pod.affinity).toEqual({
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'NotIn', values: ['true'] }] } }] },
      });
    }
  });

  it('placement: any lifts the system-pool selector', () => {
    const spec = specsFrom('platform: { placement: any }').aks;
    for (const { pod } of podSpecs(synthSpec(spec).objects)) expect(pod.nodeSelector).toBeUndefined();
  });

  it('system-pool taints from the spec are tolerated by the control plane', () => {
    const spec = specsFrom('targets: { eks: { cluster: { systemPool: { taints: [{ key: CriticalAddonsOnly, value: "true", effect: NoSchedule }] } } } }').eks;
    for (const { pod } of podSpecs(synthSpec(spec).objects)) expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
  });

  it.each(TARGETS)('%s: every pod and container meets the restricted Pod Security Standard', (target) => {
    const { objects } = synthSpec(defaults[target]);
    expect(one(objects, 'Namespace').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' });
    for (const { pod } of podSpecs(objects)) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext['runAsUser']).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c['securityContext']).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
        expect(c['image']).not.toMatch(/:latest$|^[^:]+$/);
        expect(c['resources']['limits']['memory']).toBeDefined();
      }
    }
  });

  it.each(TARGETS)('%s: default-deny ingress, and a policy selecting each component', (target) => {
    const { objects } = synthSpec(defaults[target]);
    const policies = byKind(objects, 'NetworkPolicy') as unknown as { metadata: { name: string }; spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: { ports?: { port: number }[] }[] } }[];
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const ports = (name: string) => policies.filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === name).flatMap((p) => p.spec.ingress!.flatMap((r) => r.ports!.map((x) => x.port))).sort();
    expect(ports('nats')).toEqual([4222, 6222, 7777, 8222]);
    expect(ports('etcd')).toEqual([2379, 2380]);
    expect(ports('dynamo-operator')).toEqual([8080]);
  });

  it('storage: the cloud block class backs the NATS and etcd volumes; local uses the default class', () => {
    const claim = (t: 'local' | 'eks' | 'aks' | 'gke', name: string) =>
      ((one(synthSpec(defaults[t]).objects, 'StatefulSet', name) as unknown as { spec: { volumeClaimTemplates: { spec: { storageClassName?: string } }[] } }).spec.volumeClaimTemplates[0]!.spec.storageClassName);
    expect(claim('eks', 'dynamo-platform-nats')).toBe('gp3-encrypted');
    expect(claim('aks', 'dynamo-platform-etcd')).toBe('managed-csi-premium');
    expect(claim('gke', 'dynamo-platform-etcd')).toBe('premium-rwo');
    expect(claim('local', 'dynamo-platform-etcd')).toBeUndefined();
    expect(one(synthSpec(defaults.eks).objects, 'StorageClass').metadata.name).toBe('gp3-encrypted');
  });

  it('external addresses take priority and the bundled servers are not deployed', () => {
    const spec = specsFrom('platform: { nats: { externalAddress: "nats://nats.shared:4222" }, etcd: { externalAddress: "etcd.shared:2379" } }').gke;
    const { objects, files } = synthSpec(spec);
    expect(files.map((f) => f.path)).toEqual(['gke/00-namespace.k8s.yaml', 'gke/01-storage-classes.k8s.yaml', 'gke/30-dynamo-operator.k8s.yaml', 'gke/35-kai-queues.k8s.yaml']);
    const args = (one(objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec.containers[0]!['args'] as string[];
    expect(args).toContain('--natsAddr=nats://nats.shared:4222');
    expect(args).toContain('--etcdAddr=etcd.shared:2379');
  });

  it('the operator dials the bundled NATS and etcd Services by their in-cluster names', () => {
    const { objects } = synthSpec(defaults.eks);
    const args = (one(objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec.containers[0]!['args'] as string[];
    one(objects, 'Service', 'dynamo-platform-nats');
    one(objects, 'Service', 'dynamo-platform-etcd');
    expect(args).toContain('--natsAddr=nats://dynamo-platform-nats.dynamo-system.svc.cluster.local:4222');
    expect(args).toContain('--etcdAddr=dynamo-platform-etcd.dynamo-system.svc.cluster.local:2379');
  });

  it('etcd off with the kubernetes discovery backend: no etcd chart, no --etcdAddr', () => {
    const spec = specsFrom('platform: { etcd: { enabled: false }, operator: { discoveryBackend: kubernetes } }').local;
    const { objects, files } = synthSpec(spec);
    expect(files.some((f) => f.path.includes('etcd'))).toBe(false);
    const args = (one(objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec.containers[0]!['args'] as string[];
    expect(args).toContain('--discovery-backend=kubernetes');
    expect(args.some((a) => a.startsWith('--etcdAddr'))).toBe(false);
  });
});

/** Kubernetes' ToleratesTaint (k8s.io/api core/v1 toleration.go): effect, key, then value unless Exists. */
type Tol = { key?: string; operator?: string; value?: string; effect?: string };
const tolerates = (tolerations: readonly Tol[], taint: Taint) =>
  tolerations.some((t) => (!t.effect || t.effect === taint.effect) && (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) && (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')));

/** Every pod template of every object (Deployment, StatefulSet, Job, CronJob, Pod...), by kind/name. */
const podTemplates = (objs: KubeObject[]) =>
  objs.flatMap((o) =>
    podSpecPaths(o as never).map((path) => ({
      at: `${o.kind}/${o.metadata.name}${path}`,
      pod: path.split('/').slice(1).reduce<Record<string, unknown>>((v, seg) => v[seg] as Record<string, unknown>, o) as { tolerations?: Tol[]; nodeSelector?: unknown },
    })),
  );

/** Every taint of every node pool of the target: the system pool's (as its tolerations state them) and each GPU pool's. */
const poolTaints = (profile: CloudProfile): Taint[] => [
  ...(profile.systemPool?.tolerations ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: t.effect })),
  ...Object.values(profile.gpuPools).flatMap((p) => p.taints),
  ...[profile.gpuTaint, profile.spotTaint].filter((t): t is Taint => t !== undefined),
  // Targets without known pools (local): the taint GPU nodes commonly carry, which GPU workers tolerate there.
  ...(profile.gpuTolerations ?? []).map((t) => ({ key: t.key, value: t.value ?? 'present', effect: t.effect })),
];

describe('platform placement and operator flags', () => {
  const taintedPools = `
targets:
  eks: { cluster: { systemPool: { taints: [{ key: CriticalAddonsOnly, value: "true", effect: NoSchedule }] }, gpuPools: { gpu: { taints: [{ key: team, value: ml, effect: NoExecute }] } } } }
  aks: { cluster: { gpuPools: { gpu: { taints: [{ key: team, value: ml, effect: NoSchedule }] } } } }
  gke: { cluster: { gpuPools: { gpuspot: { taints: [{ key: dedicated, effect: PreferNoSchedule }] } } } }
`;

  it.each(TARGETS)('%s, placement any: every platform pod template (etcd, NATS, operator, snapshot Job and CronJob) tolerates every taint of every pool', (target) => {
    const spec = specsFrom(`platform: { placement: any, etcd: { backup: { schedule: "0 3 * * *" } } }\n${taintedPools}`)[target];
    const profile = cloudProfile(spec);
    const taints = poolTaints(profile);
    expect(taints.length, 'a target whose nodes have no taint would make this test empty').toBeGreaterThan(0);
    if (target !== 'local') {
      expect(taints).toContainEqual(profile.gpuTaint);
      expect(taints).toContainEqual(profile.spotTaint);
      expect(taints.map((t) => t.key)).toContainEqual(expect.stringMatching(/^(team|dedicated)$/));
    }
    const pods = podTemplates(synthPlatform(spec).objects);
    expect(pods.map((p) => p.at.split('/').slice(0, 2).join('/').replace(/-pre-.*/, '-pre')).sort()).toEqual([
      'CronJob/dynamo-platform-etcd-snapshot',
      'Deployment/dynamo-platform-dynamo-operator-controller-manager',
      'Job/dynamo-platform-etcd-snapshot-pre',
      'StatefulSet/dynamo-platform-etcd',
      'StatefulSet/dynamo-platform-nats',
    ]);
    for (const { at, pod } of pods) {
      expect(pod.nodeSelector, at).toBeUndefined();
      for (const taint of taints) expect(tolerates(pod.tolerations ?? [], taint), `${at} tolerates ${JSON.stringify(taint)}`).toBe(true);
    }
  });

  it.each(['eks', 'aks', 'gke'] as const)('%s, placement system: no platform pod tolerates a taint only GPU or spot pools carry', (target) => {
    const spec = specsFrom(taintedPools)[target];
    const profile = cloudProfile(spec);
    const system = profile.systemPool!.tolerations;
    const gpuOnly = poolTaints(profile).filter((taint) => !tolerates(system, taint));
    expect(gpuOnly).toContainEqual(profile.gpuTaint);
    for (const { at, pod } of podTemplates(synthPlatform(spec).objects)) {
      expect(pod.nodeSelector, at).toEqual(profile.systemPool!.nodeSelector);
      for (const taint of gpuOnly) expect(tolerates(pod.tolerations ?? [], taint), `${at} tolerates ${JSON.stringify(taint)}`).toBe(false);
    }
  });

  const groveDelay = (spec: Spec) => {
    const op = one(synthPlatform(spec).objects, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } };
    return (op.spec.template.spec.containers[0]!['args'] as string[]).filter((a) => a.startsWith('--grove-termination-delay'));
  };

  it.each(TARGETS)('%s: with Grove on, the operator gets upstream chart\'s 4h termination delay unless the spec sets one (the binary alone would use 15m); no flag without Grove', (target) => {
    expect(groveDelay(specsFrom('platform: { grove: { enabled: true } }')[target])).toEqual(['--grove-termination-delay=4h']);
    expect(groveDelay(specsFrom('platform: { grove: { enabled: true, terminationDelay: 90m } }')[target])).toEqual(['--grove-termination-delay=90m']);
    expect(groveDelay(specsFrom('platform: { grove: { enabled: false, terminationDelay: 90m } }')[target])).toEqual([]);
    const byDefault = defaults[target];
    expect(groveDelay(byDefault)).toEqual(byDefault.platform.grove.enabled ? ['--grove-termination-delay=4h'] : []);
  });
});
