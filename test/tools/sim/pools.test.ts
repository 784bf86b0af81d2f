/**
 * Nodes from the stacks: every pool of each cloud stack becomes simulated nodes with what a real node of it carries,
 * and the autoscaler's template of each pool takes the graph pods meant for it, so a pool at zero can grow.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../../stacks/app.js';
import { EXAMPLE_NAMES } from '../../../spec/examples.js';
import { VERSIONS } from '../../../spec/versions.js';
import { whyNoPool } from '../../../tools/sim/autoscaler.js';
import { placementProblem, resourceProblem } from '../../../tools/sim/fit.js';
import { modelStorageClassFromTf } from '../../../tools/sim/manifests.js';
import { eksPools, poolsOf, type SimPool } from '../../../tools/sim/pools.js';
import { probesOf } from '../../../tools/sim/probes.js';
import { SIM_VERSIONS } from '../../../tools/sim/versions.js';
import { specsFrom, synthSpec } from '../../support/synth.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const CLOUDS = ['eks', 'aks', 'gke'] as const;
const ALL_EXAMPLES = `graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;

let tf: Record<(typeof CLOUDS)[number], Json>;
beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'sim-pools-'));
  buildTerraformApp(specsFrom(), out).synth();
  tf = Object.fromEntries(CLOUDS.map((c) => [c, JSON.parse(readFileSync(join(out, 'stacks', c, 'cdk.tf.json'), 'utf8'))])) as typeof tf;
}, 120_000);

const gpuPools = (pools: readonly SimPool[]) => pools.filter((p) => Number(p.resources.capacity['nvidia.com/gpu'] ?? 0) > 0);

describe('nodes from the stacks', () => {
  it('builds the Kubernetes minor the cloud stacks pin', () => {
    const minor = SIM_VERSIONS.kubernetes.replace(/^v(\d+\.\d+)\..*$/, '$1');
    for (const c of CLOUDS) expect(VERSIONS.kubernetes[c], c).toBe(minor);
  });

  it.each(CLOUDS)('%s: one pool per node pool resource, with GPUs and a CPU system pool', (cloud) => {
    const pools = poolsOf(cloud, tf[cloud]);
    const resourceCount = cloud === 'eks' ? Object.keys(tf.eks['resource']['aws_eks_node_group']).length
      : cloud === 'gke' ? Object.keys(tf.gke['resource']['google_container_node_pool']).length
      : 1 + Object.keys(tf.aks['resource']['azurerm_kubernetes_cluster_node_pool']).length;
    expect(pools).toHaveLength(resourceCount);
    expect(gpuPools(pools).length).toBeGreaterThan(0);
    expect(pools.some((p) => !p.resources.capacity['nvidia.com/gpu'] && p.initial > 0)).toBe(true);
    for (const p of pools) {
      expect(p.max, p.name).toBeGreaterThanOrEqual(p.initial);
      expect(p.labels['node.kubernetes.io/instance-type']).toBe(p.instanceType);
    }
  });

  it('adds the taints and labels the clouds add themselves', () => {
    for (const p of gpuPools(poolsOf('gke', tf.gke))) expect(p.taints).toContainEqual({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
    const aksSpot = poolsOf('aks', tf.aks).filter((p) => p.labels['kubernetes.azure.com/scalesetpriority'] === 'spot');
    expect(aksSpot.length).toBeGreaterThan(0);
    for (const p of aksSpot) expect(p.taints).toContainEqual({ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' });
    for (const p of poolsOf('eks', tf.eks)) expect(p.labels['eks.amazonaws.com/nodegroup']).toBe(p.name);
  });

  it.each(CLOUDS)('%s: every GPU pool at zero is grown by an autoscaler the stack installs', (cloud) => {
    for (const p of gpuPools(poolsOf(cloud, tf[cloud])).filter((x) => x.initial === 0)) expect(p.autoscaler, p.name).toBeTruthy();
  });

  it('EKS without the cluster-autoscaler release: no pool grows', () => {
    const copy = JSON.parse(JSON.stringify(tf.eks)) as Json;
    for (const [k, r] of Object.entries(copy['resource']['helm_release'] as Record<string, Json>)) if (r['chart'] === 'cluster-autoscaler') delete copy['resource']['helm_release'][k];
    expect(eksPools(copy).every((p) => p.autoscaler === undefined)).toBe(true);
  });

  it.each(CLOUDS)('%s: each GPU graph pod fits the autoscaler template of a pool it may use (scale from zero)', (cloud) => {
    const pools = poolsOf(cloud, tf[cloud]);
    const spec = specsFrom(ALL_EXAMPLES)[cloud];
    const probes = synthSpec(spec).objects.filter((o) => o.kind === 'DynamoGraphDeployment').flatMap((d) => probesOf(d as Json));
    const gpuProbes = probes.filter((p) => p['spec']['containers'][0]['resources']?.['limits']?.['nvidia.com/gpu']);
    expect(gpuProbes.length).toBeGreaterThan(3);
    for (const probe of gpuProbes) {
      const sizes = new Map(pools.map((p) => [p.name, 0]));
      expect(whyNoPool(probe['spec'], pools, sizes), probe['metadata']['name']).toEqual([]);
    }
  });

  it('GPUs exist only where a device plugin serves them: the GPU Operator release (EKS, AKS), managed drivers (GKE)', () => {
    const withoutOperator = (cloud: 'eks' | 'aks') => {
      const copy = JSON.parse(JSON.stringify(tf[cloud])) as Json;
      for (const [k, r] of Object.entries(copy['resource']['helm_release'] as Record<string, Json>)) if (r['chart'] === 'gpu-operator') delete copy['resource']['helm_release'][k];
      return copy;
    };
    for (const cloud of ['eks', 'aks'] as const) {
      expect(gpuPools(poolsOf(cloud, tf[cloud])).length, cloud).toBeGreaterThan(0);
      expect(gpuPools(poolsOf(cloud, withoutOperator(cloud))), cloud).toEqual([]);
    }
    const gke = JSON.parse(JSON.stringify(tf.gke)) as Json;
    for (const p of Object.values(gke['resource']['google_container_node_pool'] as Record<string, Json>)) for (const a of (p['node_config']['guest_accelerator'] ?? []) as Json[]) delete a['gpu_driver_installation_config'];
    expect(gpuPools(poolsOf('gke', gke))).toEqual([]);
  });

  it('an unknown instance type is an error naming it', () => {
    const copy = JSON.parse(JSON.stringify(tf.eks)) as Json;
    const first = Object.values(copy['resource']['aws_eks_node_group'] as Record<string, Json>)[0]!;
    first['instance_types'] = ['x9.huge'];
    expect(() => eksPools(copy)).toThrow(/instance type "x9.huge" is not in the simulation's table for aws/);
  });
});

describe('fit of a pod to a node template', () => {
  const node = { labels: { pool: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] };
  const pod = (extra: Json) => ({ containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': '2' } } }], ...extra });
  it('needs the toleration, the selector and the resources', () => {
    expect(placementProblem(pod({}), node.labels, node.taints)).toMatch(/untolerated taint nvidia.com\/gpu=present:NoSchedule/);
    const tolerating = pod({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(placementProblem(tolerating, node.labels, node.taints)).toBeUndefined();
    expect(placementProblem({ ...tolerating, nodeSelector: { pool: 'cpu' } }, node.labels, node.taints)).toMatch(/node selector pool=cpu/);
    expect(resourceProblem(tolerating, { 'nvidia.com/gpu': '1' })).toMatch(/nvidia.com\/gpu: needs 2, a node has 1/);
    expect(resourceProblem(tolerating, { 'nvidia.com/gpu': '4' })).toBeUndefined();
  });
});

describe('the model StorageClass of the README step', () => {
  it.each(CLOUDS)('%s: parses the stack output with placeholders for cloud ids', (cloud) => {
    const sc = modelStorageClassFromTf(tf[cloud]);
    if (!sc) return expect(tf[cloud]['output']?.['model_storage_class_manifest']).toBeUndefined();
    expect(sc['kind']).toBe('StorageClass');
    expect(typeof sc['provisioner']).toBe('string');
    expect(JSON.stringify(sc)).not.toContain('${');
  });
});
