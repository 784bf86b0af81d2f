/**
 * The simulation's models, offline: the autoscaler's choices, the probes' resources (as the 0.9.0 operator converts
 * a service's resources), node reservations, and the evidence a mutation case needs.
 */
import { describe, expect, it } from 'vitest';
import { AutoscalerModel, ignoredByAutoscaler } from '../../../tools/sim/autoscaler.js';
import { aksReservedCpuMillis, gkeReservedMemoryMiB, INSTANCE_TYPES, nodeResources, reservedCpuMillis } from '../../../tools/sim/instance-types.js';
import { evidenceOf } from '../../../tools/sim/mutations.js';
import type { SimPool } from '../../../tools/sim/pools.js';
import { probesOf } from '../../../tools/sim/probes.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pool = (name: string, o: { gpus?: number; cpu?: string; max?: number; autoscaler?: boolean; taints?: SimPool['taints'] }): SimPool => {
  const allocatable = { cpu: o.cpu ?? '8', memory: '32Gi', pods: '110', ...(o.gpus ? { 'nvidia.com/gpu': String(o.gpus) } : {}) };
  const labels = { pool: name };
  return {
    name, cloud: 'aws', instanceType: 'x', zones: ['z1'], region: 'r', labels, taints: o.taints ?? [], resources: { capacity: allocatable, allocatable },
    initial: 0, max: o.max ?? 2, ...(o.autoscaler === false ? {} : { autoscaler: 'model' }), template: { labels, taints: o.taints ?? [], resources: { capacity: allocatable, allocatable } },
  };
};
const pending = (name: string, spec: Json, extra: Json = {}): Json => ({
  metadata: { name, namespace: 'ns', ...extra },
  spec: { containers: [{ name: 'c', ...spec }] , ...(spec['pod'] ?? {}) },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: extra['message'] ?? '0/1 nodes are available' }] },
});

describe('the autoscaler model', () => {
  const gpuTaint = [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' as const }];
  const pools = [pool('big', { cpu: '64' }), pool('small', { cpu: '8' }), pool('gpu', { gpus: 4, taints: gpuTaint })];

  it('grows the pool the pod leaves least idle (least-waste), within its maximum', () => {
    const m = new AutoscalerModel(pools);
    const pod = pending('a', { resources: { requests: { cpu: '6' } } });
    expect(m.decide([pod], new Map()).map((p) => p.name)).toEqual(['small']);
    expect(new AutoscalerModel(pools).decide([pod], new Map([['small', 2]])).map((p) => p.name)).toEqual(['big']);
  });

  it('grows nothing for a pod no template takes, nor for one pool without an autoscaler', () => {
    const gpuPod = pending('g', { resources: { limits: { 'nvidia.com/gpu': '1' } } });
    expect(new AutoscalerModel(pools).decide([gpuPod], new Map())).toEqual([]);
    const tolerating = { ...gpuPod, spec: { ...gpuPod['spec'], tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] } };
    expect(new AutoscalerModel(pools).decide([tolerating], new Map()).map((p) => p.name)).toEqual(['gpu']);
    expect(new AutoscalerModel([pool('gpu', { gpus: 4, taints: gpuTaint, autoscaler: false })]).decide([tolerating], new Map())).toEqual([]);
  });

  it('ignores DaemonSet pods and pods held by a claim, as cluster-autoscaler does', () => {
    const ds = pending('d', {}, { ownerReferences: [{ kind: 'DaemonSet', name: 'x' }] });
    const claim = pending('c', {}, { message: '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.' });
    expect(ignoredByAutoscaler(ds)).toBe(true);
    expect(ignoredByAutoscaler(claim)).toBe(true);
    expect(new AutoscalerModel(pools).decide([ds, claim], new Map())).toEqual([]);
  });
});

describe('placement probes', () => {
  const dgd = {
    metadata: { name: 'g', namespace: 'ns' },
    spec: {
      pvcs: [{ name: 'model-cache' }],
      services: {
        Worker: {
          replicas: 2,
          multinode: { nodeCount: 2 },
          resources: { requests: { cpu: '4', custom: { 'vpc.amazonaws.com/efa': '1' } }, limits: { gpu: '2', memory: '8Gi', custom: { 'vpc.amazonaws.com/efa': '1' } } },
          volumeMounts: [{ name: 'model-cache', mountPoint: '/opt/models' }],
          extraPodSpec: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }], mainContainer: { image: 'img' } },
        },
      },
    },
  };
  it('one pod per replica and node, with the resources the operator derives (custom ones included, gpu as a limit)', () => {
    const probes = probesOf(dgd);
    expect(probes).toHaveLength(4);
    const c = probes[0]!['spec']['containers'][0];
    expect(c['resources']).toEqual({
      requests: { cpu: '4', 'vpc.amazonaws.com/efa': '1' },
      limits: { 'nvidia.com/gpu': '2', memory: '8Gi', 'vpc.amazonaws.com/efa': '1' },
    });
    expect(c['volumeMounts']).toEqual([{ name: 'model-cache', mountPath: '/opt/models' }]);
    expect(probes[0]!['spec']['volumes']).toEqual([{ name: 'model-cache', persistentVolumeClaim: { claimName: 'model-cache' } }]);
    expect(probes[0]!['spec']['tolerations']).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists' }]);
  });
});

describe('node resources', () => {
  it('tiered reservations: GKE and nodeadm CPU (6%, 1%, 0.5%, 0.25%), GKE memory (25%, 20%, 10%, 6%, 2%)', () => {
    expect(reservedCpuMillis(1)).toBe(60);
    expect(reservedCpuMillis(4)).toBe(80);
    expect(reservedCpuMillis(48)).toBe(190);
    expect(gkeReservedMemoryMiB(4)).toBe(1024);
    expect(gkeReservedMemoryMiB(16)).toBe(2662);
    expect(gkeReservedMemoryMiB(192)).toBe(Math.round(1024 + 819.2 + 819.2 + 112 * 1024 * 0.06 + 64 * 1024 * 0.02));
  });

  it('AKS keeps its CPU table and at most a quarter of memory; GPUs only with a device plugin', () => {
    expect(aksReservedCpuMillis(4)).toBe(140);
    expect(aksReservedCpuMillis(80)).toBe(740);
    const d4 = nodeResources(INSTANCE_TYPES['Standard_D4s_v5']!, { maxPods: 250, diskGiB: 50, gpuDevicePlugin: true });
    expect(d4.allocatable).toMatchObject({ cpu: '3860m', memory: `${16384 - 4096 - 100}Mi` });
    const gpu = INSTANCE_TYPES['g6e.12xlarge']!;
    expect(nodeResources(gpu, { maxPods: 110, diskGiB: 100, gpuDevicePlugin: false }).capacity['nvidia.com/gpu']).toBeUndefined();
    expect(nodeResources(gpu, { maxPods: 110, diskGiB: 100, gpuDevicePlugin: true }).capacity['nvidia.com/gpu']).toBe('4');
  });
});

describe('mutation evidence', () => {
  const failing = [{ name: 'every pod scheduled', details: ['ns/other-probe-0 Pending: untolerated taint nvidia.com/gpu', 'ns/g-worker-probe-0 Pending: needs more'] }];
  it('must name the mutated subject and say the expected cause in the same line', () => {
    expect(evidenceOf({ subject: 'ns/g-worker-probe-', expect: /untolerated taint nvidia\.com\/gpu/ }, failing)).toBeUndefined();
    expect(evidenceOf({ subject: 'ns/other-probe-', expect: /untolerated taint nvidia\.com\/gpu/ }, failing)).toMatch(/other-probe-0/);
  });
});
