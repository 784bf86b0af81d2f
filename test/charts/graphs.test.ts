/**
 * The workload charts on every target, across the layers: GPU workloads tolerate exactly the taints of the pools
 * they are meant for, every storage class a claim names is one the target provides, the GKE driver prelude appears
 * on GKE only, and no output carries a secret value.
 */
import { describe, expect, it } from 'vitest';
import { helmInstallCommand, platformPrerequisites } from '../../charts/prerequisites.js';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { cloudProfile } from '../../spec/profile/index.js';
import { CLOUD_TARGETS, TARGETS, type Spec } from '../../spec/schema.js';
import { type Toleration } from '../../spec/profile/types.js';
import { byKind, type KubeObject, one, specsFrom, synthSpec } from '../support/synth.js';
import { clusterAutoscalerFor } from '../../spec/autoscaler-versions.js';
import { VERSIONS } from '../../spec/versions.js';

type Svc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Dgd = KubeObject & { spec: { pvcs?: { name: string; create?: boolean; storageClass?: string }[]; services: Record<string, Svc> } };

/** Every example, plus graphs on spot and on any capacity. */
const ALL = `
graphs:
${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}
  spot-agg: { backend: vllm, model: m, aggregated: { capacity: spot } }
  cached: { example: vllm-agg, compilationCache: { size: 20Gi } }
targets:
  local: { graphs: { cached: { enabled: false } }, platform: { grove: { enabled: true } } }
`;
const specs = specsFrom(ALL);

const workers = (objs: KubeObject[]) =>
  byKind(objs, 'DynamoGraphDeployment').flatMap((d) =>
    Object.entries((d as Dgd).spec.services)
      .filter(([, s]) => s['componentType'] === 'worker')
      .map(([name, s]) => ({ graph: d.metadata.name, name, svc: s })),
  );

const poolsOf = (svc: Svc): string[] =>
  svc['extraPodSpec']['affinity']?.['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms'][0]['matchExpressions'][0]['values'] ?? [];

const tolerates = (tols: Toleration[], t: { key: string; value?: string; effect: string }) =>
  tols.some((x) => x.key === t.key && x.effect === t.effect && (x.operator === 'Exists' || x.value === t.value));

describe('workload charts', () => {
  it('files after the platform: workloads, access pod, one per graph, one per request', () => {
    const paths = synthSpec(specsFrom().eks).files.map((f) => f.path);
    expect(paths.filter((p) => /\/[4-6]\d-/.test(p))).toEqual([
      'eks/40-workloads.k8s.yaml',
      'eks/41-model-cache-access.k8s.yaml',
      'eks/50-graph-vllm-agg.k8s.yaml',
      'eks/50-graph-vllm-disagg.k8s.yaml',
      'eks/60-graph-request-qwen-sla.k8s.yaml',
    ]);
  });

  it.each(CLOUD_TARGETS)('%s: every GPU worker tolerates every taint of its pools, and no other taint', (target) => {
    const profile = cloudProfile(specs[target]);
    const ws = workers(synthSpec(specs[target]).objects);
    expect(ws.length).toBe(20); // 12 examples (18 worker services), spot-agg, cached
    for (const { graph, name, svc } of ws) {
      const pools = poolsOf(svc);
      expect(pools.length, `${graph}/${name} is meant for some pool`).toBeGreaterThan(0);
      const tols = (svc['extraPodSpec']['tolerations'] ?? []) as Toleration[];
      const taints = pools.flatMap((p) => profile.gpuPools[p]!.taints);
      for (const t of taints) expect(tolerates(tols, t), `${graph}/${name} tolerates ${t.key}`).toBe(true);
      for (const t of tols) expect(taints.some((x) => tolerates([t], x)), `${graph}/${name} tolerates only its pools' taints (${t.key})`).toBe(true);
      // Spot tolerations exactly when a spot pool is among the pools.
      const spot = pools.some((p) => profile.gpuPools[p]!.spot);
      expect(tols.some((t) => t.key === profile.spotTaint!.key)).toBe(spot);
    }
    const spotOnly = ws.find((w) => w.graph === 'spot-agg')!;
    expect(poolsOf(spotOnly.svc)).toEqual(['gpuspot']);
    expect(poolsOf(ws.find((w) => w.graph === 'vllm-agg')!.svc)).toEqual(['gpu']);
    expect(poolsOf(ws.find((w) => w.graph === 'vllm-agg-kv')!.svc)).toEqual(['gpu', 'gpuspot']);
  });

  it.each(TARGETS)('%s: every storage class a claim names is one the target provides', (target) => {
    const { objects } = synthSpec(specs[target]);
    const profile = cloudProfile(specs[target]);
    const provided = new Set([profile.storage.block?.name, profile.storage.modelCache?.name, ...byKind(objects, 'StorageClass').map((c) => c.metadata.name)].filter(Boolean));
    const named = [
      ...byKind(objects, 'PersistentVolumeClaim').map((c) => (c as unknown as { spec: { storageClassName?: string } }).spec.storageClassName),
      ...byKind(objects, 'StatefulSet').flatMap((s) => ((s as unknown as { spec: { volumeClaimTemplates?: { spec: { storageClassName?: string } }[] } }).spec.volumeClaimTemplates ?? []).map((t) => t.spec.storageClassName)),
      ...byKind(objects, 'DynamoGraphDeployment').flatMap((d) => ((d as Dgd).spec.pvcs ?? []).filter((p) => p.create).map((p) => p.storageClass)),
    ].filter((c): c is string => c !== undefined);
    if (target === 'local') expect(named).toEqual([]);
    else expect(named.length).toBeGreaterThan(3);
    for (const c of named) expect(provided, `${target}: class ${c}`).toContain(c);
  });

  it('the model cache is ReadWriteMany on the model storage class of each cloud, ReadWriteOnce on the local default', () => {
    const claim = (t: (typeof TARGETS)[number]) => (one(synthSpec(specs[t]).objects, 'PersistentVolumeClaim', 'model-cache') as unknown as { spec: Record<string, unknown> }).spec;
    expect(claim('eks')).toMatchObject({ storageClassName: 'efs-model-cache', accessModes: ['ReadWriteMany'] });
    expect(claim('aks')).toMatchObject({ accessModes: ['ReadWriteMany'] });
    expect(claim('gke')).toMatchObject({ storageClassName: 'filestore-model-cache', accessModes: ['ReadWriteMany'] });
    expect(claim('local')).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } });
  });

  it('the GKE driver directories on every GKE GPU worker whose command the operator keeps, and on no other target', () => {
    for (const t of TARGETS) {
      for (const { graph, svc } of workers(synthSpec(specs[t]).objects)) {
        // The operator replaces the command of multinode vLLM (Ray) and TRT-LLM (mpirun) workers; SGLang's it keeps.
        const keeps = !svc['multinode'] || graph.startsWith('sglang-');
        expect(JSON.stringify(svc['extraPodSpec']['mainContainer']).includes('/usr/local/nvidia/lib64')).toBe(t === 'gke' && keeps);
      }
    }
  });

  it('EFA pools: the EFA device and IPC_LOCK, and the workload namespace admits it (privileged)', () => {
    const spec = specsFrom(`
targets: { eks: { cluster: { gpuPools: { gpu: { fastNetwork: true } } } } }
graphs: { vllm-disagg: null }
`).eks;
    const { objects } = synthSpec(spec);
    const w = workers(objects).find((x) => x.graph === 'vllm-agg')!.svc;
    expect(w['resources']['limits']['custom']).toEqual({ 'vpc.amazonaws.com/efa': '1' });
    expect(w['extraPodSpec']['mainContainer']['securityContext']['capabilities']['add']).toEqual(['IPC_LOCK']);
    expect(one(objects, 'Namespace', 'dynamo-workloads').metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(one(synthSpec(specsFrom().eks).objects, 'Namespace', 'dynamo-workloads').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'dynamo-iac.io/platform-client': 'true',
    });
  });

  it.each(TARGETS)('%s: no output carries a secret value; the token Secret is only named', (target) => {
    const { objects, files } = synthSpec(specs[target]);
    expect(byKind(objects, 'Secret')).toEqual([]);
    for (const f of files) expect(f.content).not.toMatch(/hf_[A-Za-z0-9]{20,}|HF_TOKEN\s*[:=]\s*\S/);
    for (const { svc } of workers(objects)) expect(svc['envFromSecret']).toBe('hf-token-secret');
  });

  it('the access pod: restricted, bounded, on the model cache', () => {
    const pod = one(synthSpec(specsFrom().eks).objects, 'Pod', 'model-cache-access') as unknown as { spec: Svc };
    expect(pod.spec['activeDeadlineSeconds']).toBe(3600);
    expect(pod.spec['restartPolicy']).toBe('Never');
    expect(pod.spec['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec['containers'][0]['securityContext']).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(pod.spec['volumes'][0]).toEqual({ name: 'models', persistentVolumeClaim: { claimName: 'model-cache' } });
    expect(synthSpec(specsFrom('workloads: { modelCache: { accessPod: false } }').eks).files.map((f) => f.path)).not.toContain('eks/41-model-cache-access.k8s.yaml');
  });

  it('graph namespace policies: within the namespace, frontends from the listed client namespaces, metrics from monitoring', () => {
    const { objects } = synthSpec(specsFrom('workloads: { frontendClientNamespaces: [gateway] }').eks);
    const policy = (name: string) => (one(objects, 'NetworkPolicy', name) as unknown as { spec: Svc }).spec;
    expect(policy('allow-within-namespace')).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(policy('graph-frontends-from-clients')['ingress'][0]).toMatchObject({ ports: [{ port: 8000, protocol: 'TCP' }] });
    expect(JSON.stringify(policy('graph-frontends-from-clients'))).toContain('gateway');
    expect(policy('graph-metrics-from-monitoring')['ingress'][0]['ports'].map((p: { port: number }) => p.port)).toEqual([8000, 9090, 9085]);
  });

  it('disabled graphs and requests are not emitted', () => {
    const spec: Spec = specsFrom('graphs: { vllm-agg: { enabled: false } }\ngraphRequests: { qwen-sla: { enabled: false } }').aks;
    const paths = synthSpec(spec).files.map((f) => f.path);
    expect(paths).toContain('aks/50-graph-vllm-disagg.k8s.yaml');
    expect(paths).not.toContain('aks/50-graph-vllm-agg.k8s.yaml');
    expect(paths.some((p) => p.includes('60-graph-request'))).toBe(false);
  });

  it('scheduling from the spec: the operator injects KAI on the clouds; without Grove the construct does; named queues are annotated', () => {
    const cloud = byKind(synthSpec(specsFrom().eks).objects, 'DynamoGraphDeployment') as Dgd[];
    for (const d of cloud) {
      expect(d.metadata.annotations).toBeUndefined();
      for (const svc of Object.values(d.spec.services)) expect(svc['extraPodSpec']['schedulerName']).toBeUndefined();
    }
    const noGrove = specsFrom('platform: { grove: { enabled: false } }\ngraphs: { vllm-agg: { scheduling: { queue: dynamo-default } } }').aks;
    const [agg] = byKind(synthSpec(noGrove).objects, 'DynamoGraphDeployment', 'vllm-agg') as Dgd[];
    expect(agg!.metadata.annotations).toEqual({ 'nvidia.com/kai-scheduler-queue': 'dynamo-default' });
    for (const svc of Object.values(agg!.spec.services)) {
      expect(svc['extraPodSpec']['schedulerName']).toBe('kai-scheduler');
      expect(svc['extraPodMetadata']['labels']['kai.scheduler/queue']).toBe('dynamo-default');
    }
    const local = byKind(synthSpec(specsFrom().local).objects, 'DynamoGraphDeployment') as Dgd[];
    for (const d of local) for (const svc of Object.values(d.spec.services)) expect(svc['extraPodSpec']['schedulerName']).toBeUndefined();
  });

  it('install order: KAI queues after the operator, before any graph; none without KAI', () => {
    const paths = synthSpec(specsFrom().gke).files.map((f) => f.path);
    expect(paths.indexOf('gke/35-kai-queues.k8s.yaml')).toBeGreaterThan(paths.indexOf('gke/30-dynamo-operator.k8s.yaml'));
    expect(paths.indexOf('gke/35-kai-queues.k8s.yaml')).toBeLessThan(paths.indexOf('gke/50-graph-vllm-agg.k8s.yaml'));
    expect(synthSpec(specsFrom().local).files.map((f) => f.path)).not.toContain('local/35-kai-queues.k8s.yaml');
  });

  it('the Grove termination delay reaches the operator, and the prerequisites install Grove and KAI before the platform', () => {
    const spec = specsFrom('platform: { grove: { terminationDelay: 30m } }').eks;
    const op = one(synthSpec(spec).objects, 'Deployment', 'dynamo-platform-dynamo-operator-controller-manager') as unknown as { spec: Svc };
    expect(op.spec['template']['spec']['containers'][0]['args']).toContain('--grove-termination-delay=30m');
    expect(platformPrerequisites(spec).map((p) => `${p.release} ${p.chart.version}`)).toEqual(['dynamo-crds 0.9.0', `cluster-autoscaler ${clusterAutoscalerFor(VERSIONS.kubernetes.eks).chart.version}`, 'kube-prometheus-stack 88.5.3', 'gpu-operator v25.10.1', 'aws-load-balancer-controller 3.5.0', 'grove v0.1.0-alpha.6', 'kai-scheduler v0.9.4']);
    expect(platformPrerequisites(specsFrom().local).map((p) => p.release)).toEqual(['dynamo-crds']);
    expect(helmInstallCommand(platformPrerequisites(spec).find((p) => p.release === 'kai-scheduler')!)).toBe('helm upgrade --install kai-scheduler oci://ghcr.io/nvidia/kai-scheduler/kai-scheduler --version v0.9.4 --namespace kai-scheduler --create-namespace');
  });
});
