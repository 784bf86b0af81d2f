/**
 * DynamoGraphDeployment: the runtime containers of each backend, probes and canary, secrets by reference, storage,
 * GPU placement, the escape hatch, and every synth-time rule with its message. Every graph validates against the
 * upstream CRD.
 */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Backend, BACKENDS } from '../../../../constructs/k8s/graph/backends.js';
import { DynamoGraphDeployment, type DynamoGraphDeploymentProps, FRONTEND_HUB_CACHE_MOUNT } from '../../../../constructs/k8s/graph/dynamo-graph-deployment.js';
import { gpuPlacement } from '../../../../constructs/k8s/graph/gpu-placement.js';
import { cloudProfile } from '../../../../spec/profile/index.js';
import { VERSIONS, imageString } from '../../../../spec/versions.js';
import { hasReference } from '../../../support/env.js';
import { validateCustom } from '../../../support/kube-validate.js';
import { mountsOf } from '../../../support/operator.js';
import { type KubeObject, one, specsFrom } from '../../../support/synth.js';

type Svc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Dgd = KubeObject & { spec: { backendFramework: string; envs?: { name: string; value?: string }[]; pvcs?: Svc[]; services: Record<string, Svc> } };

function build(props: DynamoGraphDeploymentProps, name = 'g') {
  const chart = Testing.chart();
  const graph = new DynamoGraphDeployment(chart, name, { namespace: 'work', ...props });
  const problems = graph.node.validate();
  // cdk8s runs the validations when it synthesizes: a graph with problems has no manifest.
  const objects = problems.length ? [] : (Testing.synth(chart) as KubeObject[]);
  return { graph, objects, dgd: (problems.length ? undefined : one(objects, 'DynamoGraphDeployment')) as Dgd, problems };
}
const main = (svc: Svc): Svc => svc['extraPodSpec']['mainContainer'];
const env = (svc: Svc, name: string): string | undefined => (svc['envs'] as { name: string; value?: string }[] | undefined)?.find((e) => e.name === name)?.value;

/** The writable home and /tmp every runtime container gets (runtime-scratch.ts). */
const SCRATCH_VOLUMES = [{ name: 'runtime-home', emptyDir: {} }, { name: 'runtime-tmp', emptyDir: {} }];
const SCRATCH_MOUNTS = [{ name: 'runtime-home', mountPath: '/home/dynamo' }, { name: 'runtime-tmp', mountPath: '/tmp' }];

const disagg = (backend: Backend): DynamoGraphDeploymentProps => ({ backend, model: 'Qwen/Qwen3-0.6B', workers: [{ role: 'prefill' }, { role: 'decode' }] });

describe('runtime containers', () => {
  it.each(BACKENDS)('%s: pinned runtime image, python3 -m dynamo.<backend>, and a frontend on :8000 from the frontend image', (backend) => {
    const { dgd, problems } = build({ backend, model: 'Qwen/Qwen3-0.6B', workers: [{}] });
    expect(problems).toEqual([]);
    expect(dgd.spec.backendFramework).toBe(backend);
    const services = Object.entries(dgd.spec.services);
    expect(services.map(([, s]) => s['componentType'])).toEqual(['frontend', 'worker']);
    const [, worker] = services[1]!;
    expect(main(worker)['image']).toBe(imageString(VERSIONS.dynamo.runtimeImages[backend]));
    expect(main(worker)['command']).toEqual(['python3', '-m', `dynamo.${backend}`]);
    const frontend = dgd.spec.services['Frontend']!;
    expect(main(frontend)).toMatchObject({ image: 'nvcr.io/nvidia/ai-dynamo/dynamo-frontend:0.9.0', command: ['python3', '-m', 'dynamo.frontend'], args: ['--http-port', '8000'] });
    for (const [, s] of services) expect(main(s)['image']).not.toMatch(/:(latest|my-tag)$/);
  });

  it('vLLM: --model, --tensor-parallel-size, and --is-prefill-worker / --is-decode-worker by role', () => {
    const { dgd } = build({ ...disagg('vllm'), workers: [{ role: 'prefill', gpus: 2 }, { role: 'decode' }] });
    expect(main(dgd.spec.services['VllmPrefillWorker']!)['args']).toEqual(['--model', 'Qwen/Qwen3-0.6B', '--tensor-parallel-size', '2', '--is-prefill-worker']);
    expect(main(dgd.spec.services['VllmDecodeWorker']!)['args']).toEqual(['--model', 'Qwen/Qwen3-0.6B', '--tensor-parallel-size', '1', '--is-decode-worker']);
    expect(dgd.spec.services['VllmPrefillWorker']).toMatchObject({ subComponentType: 'prefill', resources: { limits: { gpu: '2' }, requests: { gpu: '2' } } });
  });

  it('SGLang: disaggregation mode, NIXL transfer and the bootstrap port; KV events with the KV router', () => {
    const { dgd } = build({ ...disagg('sglang'), frontend: { router: 'kv' } });
    const args = main(dgd.spec.services['prefill']!)['args'] as string[];
    expect(args.slice(0, 6)).toEqual(['--model-path', 'Qwen/Qwen3-0.6B', '--served-model-name', 'Qwen/Qwen3-0.6B', '--tp-size', '1']);
    expect(args.join(' ')).toContain('--disaggregation-mode prefill --disaggregation-transfer-backend nixl --disaggregation-bootstrap-port 12345 --host 0.0.0.0');
    expect(args).toContain('--kv-events-config');
    expect(args).not.toContain('--trust-remote-code');
    expect(main(dgd.spec.services['decode']!)['args']).toContain('decode');
  });

  it('TRT-LLM: --disaggregation-mode and --extra-engine-args naming a generated engine config, mounted from a ConfigMap', () => {
    const { dgd, objects } = build({ ...disagg('trtllm'), workers: [{ role: 'prefill', gpus: 2, engineConfig: { max_num_tokens: 4096 } }, { role: 'decode' }] });
    const prefill = dgd.spec.services['TRTLLMPrefillWorker']!;
    expect(main(prefill)['args']).toEqual([
      '--model-path', 'Qwen/Qwen3-0.6B', '--served-model-name', 'Qwen/Qwen3-0.6B',
      '--extra-engine-args', '/etc/dynamo/engine/trtllmprefillworker.yaml', '--disaggregation-mode', 'prefill',
    ]);
    expect(main(prefill)['volumeMounts']).toEqual([...SCRATCH_MOUNTS, { name: 'engine-config', mountPath: '/etc/dynamo/engine', readOnly: true }]);
    expect(prefill['extraPodSpec']['volumes']).toEqual([...SCRATCH_VOLUMES, { name: 'engine-config', configMap: { name: 'g-engine-config' } }]);
    const cm = one(objects, 'ConfigMap', 'g-engine-config') as KubeObject & { data: Record<string, string> };
    const engine = parse(cm.data['trtllmprefillworker.yaml']!) as Record<string, unknown>;
    expect(engine).toMatchObject({ backend: 'pytorch', tensor_parallel_size: 2, disable_overlap_scheduler: true, cache_transceiver_config: { backend: 'DEFAULT' }, max_num_tokens: 4096, trust_remote_code: false });
    expect(parse(cm.data['trtllmdecodeworker.yaml']!)).toMatchObject({ disable_overlap_scheduler: false, tensor_parallel_size: 1 });
    // A change of the engine config rolls the pods.
    expect(prefill['extraPodMetadata']['annotations']['checksum/engine-config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('multinode TRT-LLM: /run/sshd is a volume, so the operator\'s `mkdir -p ... /run/sshd` succeeds as uid 1000; nowhere else', () => {
    const mn = build({ backend: 'trtllm', model: 'm', workers: [{ role: 'prefill', gpus: 2, nodeCount: 2 }, { role: 'decode' }] }, 'mn').dgd.spec.services;
    const paths = (s: Svc) => (main(s)['volumeMounts'] as { mountPath: string }[]).map((m) => m.mountPath);
    expect(paths(mn['prefill']!)).toEqual(['/home/dynamo', '/tmp', '/run/sshd', '/etc/dynamo/engine']);
    expect(mn['prefill']!['extraPodSpec']['volumes']).toContainEqual({ name: 'sshd-run', emptyDir: {} });
    expect(paths(mn['TRTLLMDecodeWorker']!)).toEqual(['/home/dynamo', '/tmp', '/etc/dynamo/engine']);
    const vllm = build({ backend: 'vllm', model: 'm', workers: [{ gpus: 2, nodeCount: 2 }] }, 'mn').dgd.spec.services;
    expect(paths(vllm['worker']!)).toEqual(['/home/dynamo', '/tmp']);
  });

  it('the KV router is DYN_ROUTER_MODE=kv on the frontend', () => {
    expect(env(build({ ...disagg('vllm'), frontend: { router: 'kv' } }).dgd.spec.services['Frontend']!, 'DYN_ROUTER_MODE')).toBe('kv');
    expect(env(build(disagg('vllm')).dgd.spec.services['Frontend']!, 'DYN_ROUTER_MODE')).toBeUndefined();
  });

  it('multinode: nodeCount, tensor parallel over all nodes, short service names', () => {
    const { dgd, problems } = build({ backend: 'sglang', model: 'm', workers: [{ role: 'prefill', gpus: 4, nodeCount: 2 }, { role: 'decode', gpus: 4, nodeCount: 2 }] }, 'sglang-disagg-mn');
    expect(problems).toEqual([]);
    expect(dgd.spec.services['prefill']).toMatchObject({ multinode: { nodeCount: 2 }, resources: { limits: { gpu: '4' } } });
    expect(main(dgd.spec.services['prefill']!)['args'].join(' ')).toContain('--tp-size 8');
  });

  it('the Planner: planner_sla with the backend, reading the profiling results read-only', () => {
    const { dgd, problems } = build({ ...disagg('vllm'), planner: { adjustmentIntervalSeconds: 30, prometheusEndpoint: 'http://prom:9090' } });
    expect(problems).toEqual([]);
    const planner = dgd.spec.services['Planner']!;
    expect(planner['componentType']).toBe('planner');
    expect(main(planner)).toMatchObject({
      command: ['python3', '-m', 'planner_sla'],
      args: ['--environment=kubernetes', '--backend=vllm', '--adjustment-interval=30', '--profile-results-dir=/workspace/profiling_results'],
      volumeMounts: [...SCRATCH_MOUNTS, { name: 'profile-data', mountPath: '/workspace/profiling_results', readOnly: true }],
    });
    expect(env(planner, 'PROMETHEUS_ENDPOINT')).toBe('http://prom:9090');
  });
});

describe('health', () => {
  it('frontend: /live and /health on the http port; workers: on the system port, with a startup budget', () => {
    const { dgd } = build({ ...disagg('vllm'), health: { startupBudgetSeconds: 3600 } });
    const f = dgd.spec.services['Frontend']!;
    expect(f['livenessProbe']).toMatchObject({ httpGet: { path: '/live', port: 'http' } });
    expect(f['readinessProbe']).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
    const w = dgd.spec.services['VllmDecodeWorker']!;
    expect(w['livenessProbe']).toMatchObject({ httpGet: { path: '/live', port: 'system' }, failureThreshold: 3 });
    expect(w['readinessProbe']).toMatchObject({ httpGet: { path: '/health', port: 'system' } });
    expect(main(w)['startupProbe']).toEqual({ httpGet: { path: '/live', port: 'system' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 360 });
  });

  it('the default startup budget is two hours (upstream 720 x 10 s)', () => {
    expect(main(build(disagg('vllm')).dgd.spec.services['VllmDecodeWorker']!)['startupProbe']['failureThreshold']).toBe(720);
  });

  it('canary health check: off by default (explicitly), configurable per graph', () => {
    const off = build(disagg('vllm')).dgd.spec.services['VllmDecodeWorker']!;
    expect(env(off, 'DYN_HEALTH_CHECK_ENABLED')).toBe('false');
    expect(env(off, 'DYN_CANARY_WAIT_TIME')).toBeUndefined();
    const on = build({ ...disagg('vllm'), health: { canary: { enabled: true, waitSeconds: 30, requestTimeoutSeconds: 5 } } }).dgd.spec.services['VllmDecodeWorker']!;
    expect([env(on, 'DYN_HEALTH_CHECK_ENABLED'), env(on, 'DYN_CANARY_WAIT_TIME'), env(on, 'DYN_HEALTH_CHECK_REQUEST_TIMEOUT')]).toEqual(['true', '30', '5']);
  });
});

describe('secrets, storage and security', () => {
  it('the Hugging Face token by Secret reference only; no Secret object, no token value', () => {
    const { dgd, objects } = build({ ...disagg('vllm'), hfTokenSecret: 'hf-token-secret' });
    expect(dgd.spec.services['VllmDecodeWorker']!['envFromSecret']).toBe('hf-token-secret');
    // The frontend downloads tokenizers and configs itself (gated models need the token too).
    expect(dgd.spec.services['Frontend']!['envFromSecret']).toBe('hf-token-secret');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/HF_TOKEN"?\s*[:=]\s*"?hf_/);
  });

  it('model cache: an existing claim in pvcs, mounted on the workers at /opt/models with HF_HOME there', () => {
    const { dgd } = build({ ...disagg('vllm'), modelCache: { claimName: 'model-cache' } });
    expect(dgd.spec.pvcs).toEqual([{ name: 'model-cache', create: false }]);
    // Not graph-wide: the operator would copy it into the frontend, which does not mount the claim.
    expect(dgd.spec.envs ?? []).not.toContainEqual(expect.objectContaining({ name: 'HF_HOME' }));
    expect(env(dgd.spec.services['VllmPrefillWorker']!, 'HF_HOME')).toBe('/opt/models');
    expect(dgd.spec.services['VllmPrefillWorker']!['volumeMounts']).toEqual([{ name: 'model-cache', mountPoint: '/opt/models' }]);
    expect(dgd.spec.services['Frontend']!['volumeMounts']).toBeUndefined();
  });

  it('frontend: its own hub cache (an emptyDir under the image home) with HF_HOME there, with or without the model cache', () => {
    for (const modelCache of [undefined, { claimName: 'model-cache' }]) {
      const { dgd } = build({ ...disagg('vllm'), ...(modelCache && { modelCache }) });
      const f = dgd.spec.services['Frontend']!;
      expect(env(f, 'HF_HOME')).toBe(FRONTEND_HUB_CACHE_MOUNT);
      expect(main(f)['volumeMounts']).toEqual([...SCRATCH_MOUNTS, { name: 'hub-cache', mountPath: FRONTEND_HUB_CACHE_MOUNT }]);
      expect(f['extraPodSpec']['volumes']).toEqual([...SCRATCH_VOLUMES, { name: 'hub-cache', emptyDir: { sizeLimit: '1Gi' } }]);
    }
    const sized = build({ ...disagg('vllm'), frontend: { hubCacheSize: '4Gi' } }).dgd.spec.services['Frontend']!;
    expect(sized['extraPodSpec']['volumes'][2]['emptyDir']).toEqual({ sizeLimit: '4Gi' });
  });

  it('compilation cache: a claim the operator creates, mounted as the compilation cache under the image user home', () => {
    const { dgd, problems } = build({ ...disagg('vllm'), compilationCache: { create: { size: '20Gi', storageClass: 'efs' } } });
    expect(problems).toEqual([]);
    expect(dgd.spec.pvcs).toEqual([{ name: 'g-compilation-cache', create: true, size: '20Gi', storageClass: 'efs', volumeAccessMode: 'ReadWriteMany' }]);
    expect(dgd.spec.services['VllmDecodeWorker']!['volumeMounts']).toEqual([{ name: 'g-compilation-cache', mountPoint: '/home/dynamo/.cache/vllm', useAsCompilationCache: true }]);
  });

  it('every pod runs as the image user (non-root), no privilege escalation, every capability dropped, read-only root', () => {
    const { dgd } = build({ ...disagg('vllm'), planner: {} });
    for (const s of Object.values(dgd.spec.services)) {
      expect(s['extraPodSpec']['securityContext']).toEqual({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(main(s)['securityContext']).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });
});

describe('GPU placement from the cloud profile', () => {
  const eks = cloudProfile(specsFrom('targets: { eks: { cluster: { gpuPools: { efa: { instanceType: p5.48xlarge, accelerator: nvidia-h100-80gb, gpusPerNode: 8, capacity: on-demand, fastNetwork: true, minNodes: 0, maxNodes: 2, labels: {}, taints: [] } } } } }').eks);

  it('exactly the fitting pools: node affinity to them and tolerations of exactly their taints', () => {
    const placement = gpuPlacement(eks, { gpus: 4, capacity: 'any' });
    expect(placement.pools.map((p) => p.name)).toEqual(['efa', 'gpu', 'gpuspot']);
    const pod = build({ ...disagg('vllm'), workers: [{ role: 'prefill', gpus: 4, placement }, { role: 'decode', gpus: 8, placement: gpuPlacement(eks, { gpus: 8 }) }] }).dgd.spec.services;
    const prefill = pod['VllmPrefillWorker']!['extraPodSpec'];
    expect(prefill['tolerations']).toEqual([
      { key: 'eks.amazonaws.com/capacityType', operator: 'Equal', value: 'SPOT', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
    ]);
    expect(prefill['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms']).toEqual([
      { matchExpressions: [{ key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['efa', 'gpu', 'gpuspot'] }] },
    ]);
    // Mixed pools: not all have EFA, so no EFA request (it would be unschedulable on the others).
    expect(pod['VllmPrefillWorker']!['resources']['limits']['custom']).toBeUndefined();
    // Only the EFA pool has 8 GPUs: EFA device and IPC_LOCK, and no spot toleration.
    const decode = pod['VllmDecodeWorker']!;
    expect(decode['resources']['limits']).toEqual({ gpu: '8', custom: { 'vpc.amazonaws.com/efa': '1' } });
    expect(main(decode)['securityContext']['capabilities']).toEqual({ drop: ['ALL'], add: ['IPC_LOCK'] });
    expect(decode['extraPodSpec']['tolerations'].map((t: { key: string }) => t.key)).toEqual(['nvidia.com/gpu']);
  });

  it('on GKE the driver directories are appended at start in a shell that execs the engine; no env; on other clouds the plain command', () => {
    const gke = cloudProfile(specsFrom().gke);
    const w = build({ ...disagg('vllm'), workers: [{ role: 'prefill', placement: gpuPlacement(gke, { gpus: 1 }) }, { role: 'decode', placement: gpuPlacement(gke, { gpus: 1 }) }] }).dgd.spec.services['VllmDecodeWorker']!;
    expect(env(w, 'LD_LIBRARY_PATH')).toBeUndefined();
    expect(env(w, 'PATH')).toBeUndefined();
    expect(main(w)['command']).toEqual(['/bin/sh', '-c']);
    expect(main(w)['args']).toHaveLength(1);
    expect(main(w)['args'][0]).toMatch(/^export PATH="\$PATH:\/usr\/local\/nvidia\/bin" LD_LIBRARY_PATH="\$\{LD_LIBRARY_PATH:\+\$LD_LIBRARY_PATH:\}\/usr\/local\/nvidia\/lib64"; exec python3 -m dynamo\.vllm --model Qwen\/Qwen3-0\.6B /);
    const e = build({ ...disagg('vllm'), workers: [{ role: 'prefill', placement: gpuPlacement(eks, { gpus: 1 }) }, { role: 'decode', placement: gpuPlacement(eks, { gpus: 1 }) }] }).dgd.spec.services['VllmDecodeWorker']!;
    expect(main(e)['command']).toEqual(['python3', '-m', 'dynamo.vllm']);
  });

  it('local: GPU workers tolerate the nvidia.com/gpu taint on-prem GPU nodes commonly carry (any value, NoSchedule)', () => {
    const local = cloudProfile(specsFrom().local);
    const w = build({ ...disagg('vllm'), workers: [{ role: 'prefill', placement: gpuPlacement(local, { gpus: 1 }) }, { role: 'decode', placement: gpuPlacement(local, { gpus: 1 }) }] }).dgd.spec.services['VllmDecodeWorker']!;
    expect(w['extraPodSpec']['tolerations']).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    // A cloud's pools bring the tolerations of exactly their taints, nothing more.
    const e = build({ ...disagg('vllm'), workers: [{ role: 'prefill', placement: gpuPlacement(eks, { gpus: 1 }) }, { role: 'decode', placement: gpuPlacement(eks, { gpus: 1 }) }] }).dgd.spec.services['VllmDecodeWorker']!;
    expect((e['extraPodSpec']['tolerations'] as Svc[]).filter((t) => t['operator'] === 'Exists')).toEqual([]);
  });

  it('a request no pool satisfies throws with the pool sizes', () => {
    expect(() => gpuPlacement(eks, { gpus: 16 })).toThrow('no GPU pool of eks fits 16 GPUs per node, on-demand: efa has 8 nvidia-h100-80gb (on-demand); gpu has 4 nvidia-l40s (on-demand); gpuspot has 4 nvidia-l40s (spot)');
  });
});

describe('probe timing', () => {
  const probes = (svc: Svc) => ({ live: svc['livenessProbe'], ready: svc['readinessProbe'] });
  const timing = (p: Svc) => [p['periodSeconds'], p['timeoutSeconds'], p['failureThreshold']];

  it("defaults are today's values: every 10 s, 3 s (frontend) / 4 s (workers) per check, 3 failures; the worker probes its system port by name", () => {
    const { dgd } = build(disagg('vllm'));
    const f = probes(dgd.spec.services['Frontend']!);
    const w = probes(dgd.spec.services['VllmDecodeWorker']!);
    expect([timing(f.live), timing(f.ready)]).toEqual([[10, 3, 3], [10, 3, 3]]);
    expect([timing(w.live), timing(w.ready)]).toEqual([[10, 4, 3], [10, 4, 3]]);
    expect(w.live['httpGet']).toEqual({ path: '/live', port: 'system' });
    expect(f.live['httpGet']).toEqual({ path: '/live', port: 'http' });
  });

  it('liveness and readiness overrides reach the frontend and every worker, field by field; the startup probe keeps its budget', () => {
    const { dgd } = build({ ...disagg('vllm'), health: { liveness: { periodSeconds: 30, failureThreshold: 5 }, readiness: { timeoutSeconds: 8 } } });
    for (const name of ['Frontend', 'VllmPrefillWorker', 'VllmDecodeWorker']) {
      const p = probes(dgd.spec.services[name]!);
      expect(p.live['periodSeconds'], name).toBe(30);
      expect(p.live['failureThreshold'], name).toBe(5);
      expect(p.ready['timeoutSeconds'], name).toBe(8);
      expect(p.ready['periodSeconds'], name).toBe(10);
    }
    expect(main(dgd.spec.services['VllmDecodeWorker']!)['startupProbe']['failureThreshold']).toBe(720);
  });

  it('refuses timings the kubelet would misread, naming the field', () => {
    expect(build({ ...disagg('vllm'), health: { readiness: { periodSeconds: 5, timeoutSeconds: 9 } } }).problems).toEqual([
      'DynamoGraphDeployment g: health.readiness.timeoutSeconds: a check must end before the next one starts (at most periodSeconds, 5), got 9',
    ]);
    expect(build({ ...disagg('vllm'), health: { liveness: { failureThreshold: 0 } } }).problems).toEqual(['DynamoGraphDeployment g: health.liveness.failureThreshold: must be a whole number, at least 1, got 0']);
  });
});

describe('escape hatch', () => {
  it('extraPodSpec merges over the generated pod (lists appended, scalars replaced); envs add variables', () => {
    const { dgd } = build({
      ...disagg('vllm'),
      workers: [
        { role: 'prefill', extraPodSpec: { priorityClassName: 'inference', tolerations: [{ key: 'team', operator: 'Exists', effect: 'NoSchedule' }], mainContainer: { workingDir: '/srv' } } },
        { role: 'decode', envs: [{ name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' }], extraArgs: ['--max-model-len', '8192'] },
      ],
    });
    const p = dgd.spec.services['VllmPrefillWorker']!;
    expect(p['extraPodSpec']['priorityClassName']).toBe('inference');
    expect(p['extraPodSpec']['tolerations']).toEqual([{ key: 'team', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(main(p)['workingDir']).toBe('/srv');
    expect(main(p)['command']).toEqual(['python3', '-m', 'dynamo.vllm']);
    const d = dgd.spec.services['VllmDecodeWorker']!;
    expect(env(d, 'VLLM_LOGGING_LEVEL')).toBe('DEBUG');
    expect((main(d)['args'] as string[]).slice(-2)).toEqual(['--max-model-len', '8192']);
  });
});

describe('rules, checked at synth time', () => {
  it.each<[string, Partial<DynamoGraphDeploymentProps>, string]>([
    ['no workers', { workers: [] }, 'DynamoGraphDeployment g: workers: a graph needs at least one worker service, got none'],
    ['prefill without decode', { workers: [{ role: 'prefill' }] }, 'DynamoGraphDeployment g: workers: a disaggregated graph needs both prefill and decode workers, got prefill only'],
    ['aggregated with prefill', { workers: [{}, { role: 'prefill' }, { role: 'decode' }] }, 'DynamoGraphDeployment g: workers: either aggregated workers or prefill and decode workers, not both, got aggregated, prefill, decode'],
    ['zero GPUs', { workers: [{ gpus: 0 }] }, 'DynamoGraphDeployment g: workers[0].gpus: GPU counts are positive integers, got 0'],
    ['fractional GPUs', { workers: [{ gpus: 0.5 }] }, 'DynamoGraphDeployment g: workers[0].gpus: GPU counts are positive integers, got 0.5'],
    ['multinode of one node', { workers: [{ nodeCount: 1 }] }, 'DynamoGraphDeployment g: workers[0].nodeCount: a multinode worker spans at least 2 nodes (omit nodeCount for one node), got 1'],
    ['negative replicas', { workers: [{ replicas: -1 }] }, 'DynamoGraphDeployment g: workers[0].replicas: must be a whole number, at least 0, got -1'],
    ['a planner without disaggregation', { workers: [{}], planner: {} }, 'DynamoGraphDeployment g: planner: the SLA Planner scales prefill and decode workers; the graph has none of one or both'],
    ['a service name with a clique role suffix', { workers: [{ name: 'decode-wkr' }] }, 'DynamoGraphDeployment g: workers[0].name: a service name must not end in -wkr or -ldr (the operator\'s suffixes of multinode leader and worker cliques), got "decode-wkr"'],
    ['a duplicate service name', { workers: [{ role: 'prefill', name: 'Frontend' }, { role: 'decode' }] }, 'DynamoGraphDeployment g: workers[0].name: service "Frontend" is defined twice'],
    ['a claim created without a class', { workers: [{}], pvcs: [{ name: 'scratch', create: true, size: '1Gi' }] }, 'DynamoGraphDeployment g: pvcs[0] (scratch): create: true needs storageClass, size and volumeAccessMode; missing storageClass, volumeAccessMode'],
    ['a compilation cache without mount point on TRT-LLM', { backend: 'trtllm', workers: [{}], compilationCache: { claimName: 'cc' } }, 'DynamoGraphDeployment g: compilationCache.mountPoint: required for backend trtllm (the operator has no default mount point for it)'],
    ['a bad startup budget', { workers: [{}], health: { startupBudgetSeconds: 5 } }, 'DynamoGraphDeployment g: health.startupBudgetSeconds: must be a whole number of seconds, at least 60, got 5'],
  ])('%s', (_, props, message) => {
    expect(build({ backend: 'vllm', model: 'm', workers: [], ...props }).problems).toContain(message);
  });

  it('graph name plus service name at most 45 characters, the leader name counted for multinode', () => {
    const long = 'a'.repeat(30);
    expect(build({ backend: 'vllm', model: 'm', workers: [{}] }, long).problems).toEqual([]);
    expect(build({ backend: 'vllm', model: 'm', workers: [{ role: 'prefill' }, { role: 'decode' }] }, long).problems).toEqual([
      `DynamoGraphDeployment ${long}: workers[0]: graph name + service name is 47 characters ("${long}", "vllmprefillworker"); the operator allows at most 45: shorten the graph name (30) or the service name (17)`,
      `DynamoGraphDeployment ${long}: workers[1]: graph name + service name is 46 characters ("${long}", "vllmdecodeworker"); the operator allows at most 45: shorten the graph name (30) or the service name (16)`,
    ]);
    expect(build({ backend: 'vllm', model: 'm', workers: [{ nodeCount: 2 }] }, 'b'.repeat(31)).problems).toEqual([
      `DynamoGraphDeployment ${'b'.repeat(31)}: workers[0]: graph name + service name + "worker-ldr" is 47 characters ("${'b'.repeat(31)}", "worker"); the operator allows at most 45: shorten the graph name (31) or the service name (6)`,
    ]);
  });

  it('the Dynamo namespace of the graph follows the namespace rule, and endpoints parse and format', () => {
    const { graph } = build(disagg('vllm'), 'vllm-disagg');
    expect(graph.dynamoNamespace).toBe('work-vllm-disagg');
    expect(graph.endpoint('backend', 'generate').text).toBe('work-vllm-disagg.backend.generate');
    expect(build(disagg('vllm'), 'Bad.Name').problems).toEqual(
      expect.arrayContaining(['DynamoGraphDeployment Bad.Name: Dynamo namespace: a Dynamo namespace uses only lower-case letters a-z, digits 0-9, \'-\' and \'_\', got "work-Bad.Name"']),
    );
  });

  it('read-only roots: a directory variable off every writable volume of the service is refused, naming the field and the volumes', () => {
    const off = build({ ...disagg('vllm'), workers: [{ role: 'prefill', envs: [{ name: 'HF_HOME', value: '/workspace/hf' }] }, { role: 'decode' }] });
    expect(off.problems).toEqual(['DynamoGraphDeployment g: workers[0].envs: HF_HOME=/workspace/hf is on no writable volume of the service (the root filesystem is read-only; writable: /home/dynamo, /tmp, /dev/shm)']);
    // Graph-wide envs reach every service; a claim mount is writable.
    const graphWide = build({ ...disagg('vllm'), envs: [{ name: 'TMPDIR', value: '/opt/models/tmp' }], modelCache: { claimName: 'mc' } });
    expect(graphWide.problems).toEqual([
      'DynamoGraphDeployment g: frontend.envs: TMPDIR=/opt/models/tmp is on no writable volume of the service (the root filesystem is read-only; writable: /home/dynamo, /tmp, /home/dynamo/.cache/huggingface, /dev/shm)',
    ]);
    // Under the home volume, on a read-only mount, and with the read-only root turned off through the escape hatch.
    expect(build({ ...disagg('vllm'), envs: [{ name: 'XDG_CACHE_HOME', value: '/home/dynamo/cache' }] }).problems).toEqual([]);
    const ro = build({ ...disagg('trtllm'), envs: [{ name: 'TMPDIR', value: '/etc/dynamo/engine' }], frontend: false });
    expect(ro.problems).toContain('DynamoGraphDeployment g: workers[0].envs: TMPDIR=/etc/dynamo/engine is on no writable volume of the service (the root filesystem is read-only; writable: /home/dynamo, /tmp, /dev/shm)');
    const writableRoot = { mainContainer: { securityContext: { readOnlyRootFilesystem: false } } };
    expect(build({ ...disagg('vllm'), frontend: false, workers: [{ role: 'prefill', envs: [{ name: 'HOME', value: '/srv' }], extraPodSpec: writableRoot }, { role: 'decode' }] }).problems).toEqual([]);
  });

  it('a claim named like a volume the construct or the operator adds is refused (the pod would hold the name twice)', () => {
    expect(build({ ...disagg('vllm'), modelCache: { claimName: 'runtime-home' } }).problems).toContain(
      'DynamoGraphDeployment g: workers[0]: volume "runtime-home" is defined twice in the pod (the construct adds runtime-home, runtime-tmp, sshd-run, the operator shared-memory and one per claim)',
    );
    expect(build({ ...disagg('vllm'), modelCache: { claimName: 'shared-memory' } }).problems).toContain(
      'DynamoGraphDeployment g: workers[1]: volume "shared-memory" is defined twice in the pod (the construct adds runtime-home, runtime-tmp, sshd-run, the operator shared-memory and one per claim)',
    );
  });

  it('every graph that synthesizes gives each container unique mount paths after the operator adds its own; one that would not is refused, naming the path and its users', () => {
    // The places the construct and the operator mount, a trailing-slash spelling, and a free path.
    const points = ['/home/dynamo', '/tmp', '/run/sshd', '/dev/shm', '/ssh-pk', '/tmp/', '/opt/models', '/cache'];
    const shapes = (backend: Backend, mountPoint: string): [string, DynamoGraphDeploymentProps][] => [
      ['claim', { ...disagg(backend), modelCache: { claimName: 'mc' }, compilationCache: { mountPoint, claimName: 'cc' } }],
      ['ephemeral', { ...disagg(backend), compilationCache: { mountPoint, ephemeral: { size: '1Gi', storageClass: 'local' } } }],
      ['multinode claim', { backend, model: 'm', frontend: false, workers: [{ gpus: 2, nodeCount: 2 }], compilationCache: { mountPoint, claimName: 'cc' } }],
    ];
    let refused = 0;
    for (const backend of BACKENDS) {
      for (const point of points) {
        for (const [shape, props] of shapes(backend, point)) {
          const { dgd, problems } = build(props);
          const what = `${backend} ${shape} at ${point}`;
          if (dgd) {
            for (const svc of Object.keys(dgd.spec.services)) {
              const paths = mountsOf(dgd as unknown as Parameters<typeof mountsOf>[0], svc).map((m) => m.path.replace(/(.)\/$/, '$1'));
              expect(new Set(paths).size, `${what}: ${svc} mounts ${paths.join(', ')}`).toBe(paths.length);
            }
          } else {
            const mountProblems = problems.filter((p) => p.includes('mount paths must be unique'));
            expect(mountProblems.length, `${what}: ${problems.join('; ')}`).toBeGreaterThan(0);
            for (const p of mountProblems) expect(p).toMatch(/\.volumeMounts: mount path "\/[^"]*" is used by .+ and .+; a container's mount paths must be unique/);
            refused++;
          }
        }
        if (['/home/dynamo', '/tmp', '/dev/shm', '/tmp/', '/opt/models'].includes(point)) expect(build(shapes(backend, point)[0]![1]).problems.length, `${backend} at ${point}`).toBeGreaterThan(0);
      }
      expect(build(shapes(backend, '/ssh-pk')[2]![1]).problems.length, `${backend} multinode at /ssh-pk`).toBe(backend === 'trtllm' ? 1 : 0);
    }
    expect(refused).toBeGreaterThan(0);
    expect(build({ ...disagg('vllm'), compilationCache: { mountPoint: '/tmp', claimName: 'cc' } }).problems).toEqual([
      'DynamoGraphDeployment g: workers[0].volumeMounts: mount path "/tmp" is used by volume "runtime-tmp" and the compilation cache claim "cc" (mountPoint); a container\'s mount paths must be unique (the construct mounts /home/dynamo, /tmp and on multinode TRT-LLM /run/sshd; the operator /dev/shm and on multinode TRT-LLM /ssh-pk): choose another mountPoint',
      'DynamoGraphDeployment g: workers[1].volumeMounts: mount path "/tmp" is used by volume "runtime-tmp" and the compilation cache claim "cc" (mountPoint); a container\'s mount paths must be unique (the construct mounts /home/dynamo, /tmp and on multinode TRT-LLM /run/sshd; the operator /dev/shm and on multinode TRT-LLM /ssh-pk): choose another mountPoint',
    ]);
  });

  it('a volume mount of an undeclared claim is refused (the operator does not check it)', () => {
    const { problems } = build({ ...disagg('vllm'), modelCache: { claimName: 'model-cache' }, pvcs: [{ name: 'model-cache' }] });
    expect(problems).toContain('DynamoGraphDeployment g: pvcs[1].name: claim "model-cache" is declared twice');
  });
});

describe.skipIf(!hasReference())('against the upstream CRD', () => {
  it.each(BACKENDS)('%s graphs of every shape validate', (backend) => {
    const shapes: DynamoGraphDeploymentProps[] = [
      { backend, model: 'm', workers: [{}], frontend: { router: 'kv' } },
      { ...disagg(backend), planner: {}, modelCache: { claimName: 'model-cache' }, hfTokenSecret: 'hf', health: { canary: { enabled: true } } },
      { backend, model: 'm', workers: [{ role: 'prefill', gpus: 2, nodeCount: 2 }, { role: 'decode', gpus: 2, nodeCount: 3 }], compilationCache: { mountPoint: '/cache', create: { size: '1Gi', storageClass: 'x' } } },
    ];
    for (const props of shapes) expect(validateCustom(build(props).dgd)).toEqual([]);
  });
});

describe('scheduling: Grove and KAI', () => {
  const svcs = (props: Partial<DynamoGraphDeploymentProps>) => build({ ...disagg('vllm'), ...props });
  const scheduler = (s: Svc) => s['extraPodSpec']['schedulerName'];
  const queueLabel = (s: Svc) => s['extraPodMetadata']['labels']['kai.scheduler/queue'];

  it('Grove and KAI installed: the graph names its queue by annotation and leaves the pods to the operator', () => {
    const { dgd, graph } = svcs({ scheduling: { groveInstalled: true, kaiInstalled: true, queue: 'team-a' } });
    expect(dgd.metadata.annotations).toEqual({ 'nvidia.com/kai-scheduler-queue': 'team-a' });
    for (const s of Object.values(dgd.spec.services)) {
      expect(scheduler(s)).toBeUndefined();
      expect(queueLabel(s)).toBeUndefined();
    }
    expect(Object.values(graph.scheduling).map((d) => d.kaiBy)).toEqual(['operator', 'operator', 'operator']);
  });

  it('KAI without Grove: the construct sets kai-scheduler and the queue label on every service itself', () => {
    const { dgd } = svcs({ scheduling: { groveInstalled: false, kaiInstalled: true } });
    expect(dgd.metadata.annotations).toBeUndefined();
    for (const s of Object.values(dgd.spec.services)) {
      expect(scheduler(s)).toBe('kai-scheduler');
      expect(queueLabel(s)).toBe('dynamo');
    }
  });

  it('a graph that opts out of Grove gets the enable-grove annotation, and KAI from the construct', () => {
    const { dgd } = svcs({ scheduling: { groveInstalled: true, kaiInstalled: true, grove: false, queue: 'team-b' } });
    expect(dgd.metadata.annotations).toEqual({ 'nvidia.com/kai-scheduler-queue': 'team-b', 'nvidia.com/enable-grove': 'false' });
    expect(queueLabel(dgd.spec.services['VllmDecodeWorker']!)).toBe('team-b');
  });

  it("a service's own scheduler is kept and takes it out of KAI; the others still get KAI", () => {
    const { dgd, graph } = svcs({
      scheduling: { kaiInstalled: true },
      workers: [{ role: 'prefill', extraPodSpec: { schedulerName: 'volcano' } }, { role: 'decode' }],
    });
    expect(scheduler(dgd.spec.services['VllmPrefillWorker']!)).toBe('volcano');
    expect(queueLabel(dgd.spec.services['VllmPrefillWorker']!)).toBeUndefined();
    expect(graph.scheduling['VllmPrefillWorker']!.kaiBy).toBe('none');
    expect(scheduler(dgd.spec.services['VllmDecodeWorker']!)).toBe('kai-scheduler');
  });

  it('nothing installed: no scheduler, no label, no annotation', () => {
    const { dgd } = svcs({});
    expect(dgd.metadata.annotations).toBeUndefined();
    for (const s of Object.values(dgd.spec.services)) expect([scheduler(s), s['extraPodMetadata']['labels']['kai.scheduler/queue']]).toEqual([undefined, undefined]);
  });
});
