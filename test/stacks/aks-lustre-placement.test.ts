/**
 * Azure Managed Lustre mounts only on Ubuntu nodes: Microsoft's AMLFS guide ("works only with the Ubuntu Linux OS
 * SKU for node pools of AKS") and the driver's node DaemonSets (kubernetes-sigs/azurelustre-csi-driver
 * deploy/csi-azurelustre-node-{jammy,noble}.yaml select `kubernetes.azure.com/os-sku-effective` Ubuntu2204/2404).
 * Join of the two layers: every pod template of dist/aks that mounts the model-cache claim, against the node pools of
 * the AKS stack (their labels, the labels AKS and GPU feature discovery add, their taints and os_sku): every pool the
 * scheduler may pick must run Ubuntu.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudProfile } from '../../spec/profile/index.js';
import type { Spec } from '../../spec/schema.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { canLand, type NodePoolModel, podTemplates } from '../support/pod-placement.js';
import { byKind, specsFrom, synthSpec } from '../support/synth.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const parseTaint = (s: string) => {
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
  if (!m) throw new Error(`not an AKS taint: ${s}`);
  return { key: m[1]!, ...(m[2] !== undefined && { value: m[2] }), effect: m[3]! };
};

/** The node pools of the AKS stack as the scheduler sees their nodes. */
function aksPools(tf: Json, spec: Spec): NodePoolModel[] {
  const profile = cloudProfile(spec);
  const model = (p: Json, taints: NodePoolModel['taints']): NodePoolModel => ({
    name: p['name'],
    labels: {
      ...(p['node_labels'] ?? {}),
      'kubernetes.io/os': 'linux',
      'kubernetes.azure.com/agentpool': p['name'],
      'kubernetes.azure.com/os-sku': p['os_sku'],
      // GPU feature discovery labels the GPU nodes.
      ...(profile.gpuPools[p['name']] && { [profile.gpuNodeLabel.key]: profile.gpuNodeLabel.value }),
    },
    taints,
    facts: { osSku: p['os_sku'] },
  });
  const system = (Object.values(tf['resource']['azurerm_kubernetes_cluster']) as Json[])[0]!['default_node_pool'];
  return [
    model(system, system['only_critical_addons_enabled'] ? [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] : []),
    ...(Object.values(tf['resource']['azurerm_kubernetes_cluster_node_pool'] ?? {}) as Json[]).map((p) => model(p, ((p['node_taints'] ?? []) as string[]).map(parseTaint))),
  ];
}

/** Each pod template that mounts the model cache, with the OS images of the pools it may land on. */
function cacheMounts(yaml?: string): { owner: string; osSkus: string[] }[] {
  const spec = specsFrom(yaml).aks;
  const out = mkdtempSync(join(tmpdir(), 'aks-placement-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  const pools = aksPools(JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as Json, spec);
  const { objects } = synthSpec(spec);
  const modelClass = cloudProfile(spec).storage.modelCache!.name;
  const cacheClaims = new Set(byKind(objects, 'PersistentVolumeClaim').filter((c) => (c['spec'] as Json)['storageClassName'] === modelClass).map((c) => c.metadata.name));
  expect(cacheClaims.size).toBeGreaterThan(0);
  return podTemplates(objects)
    .filter((t) => t.claims.some((c) => cacheClaims.has(c)))
    .map((t) => ({ owner: t.owner, osSkus: [...new Set(pools.filter((p) => canLand(t.spec, p)).map((p) => String(p.facts['osSku'])))].sort() }));
}

describe('Azure Managed Lustre: every pod that mounts the model cache lands on Ubuntu only', () => {
  it.each([
    ['the default AKS spec', undefined],
    ['a spec with an extra GPU pool', 'targets: { aks: { cluster: { gpuPools: { extra: { instanceType: Standard_NC24ads_A100_v4, accelerator: nvidia-a100, gpusPerNode: 1, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1, labels: {}, taints: [] } } } } }'],
  ])('%s', (_, yaml) => {
    const mounts = cacheMounts(yaml);
    // The access pod and the graph services (frontends and workers) that mount the cache.
    expect(mounts.map((m) => m.owner)).toContain('Pod/model-cache-access');
    expect(mounts.filter((m) => m.owner.startsWith('DynamoGraphDeployment/')).length).toBeGreaterThan(1);
    for (const m of mounts) {
      expect(m.osSkus.length, `${m.owner} fits no pool`).toBeGreaterThan(0);
      expect(m.osSkus, `${m.owner} may land on a pool whose os_sku is not Ubuntu`).toEqual(['Ubuntu']);
    }
  });

  it('without Lustre the system pool keeps Azure Linux, and the join sees the access pod land there (the check is live)', () => {
    const mounts = cacheMounts('targets: { aks: { cluster: { modelStorage: { kind: shared-file, size: 1Ti } } } }');
    expect(mounts.find((m) => m.owner === 'Pod/model-cache-access')!.osSkus).toContain('AzureLinux');
  });
});

describe('the placement model (kube-scheduler\'s NodeAffinity and TaintToleration filters)', () => {
  const gpu: NodePoolModel = { name: 'gpu', labels: { pool: 'gpu', 'nvidia.com/gpu.present': 'true' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }], facts: {} };
  const sys: NodePoolModel = { name: 'sys', labels: { pool: 'sys' }, taints: [], facts: {} };
  const notGpu = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'NotIn', values: ['true'] }] }] } } } };

  it.each([
    ['no constraints: untainted pools only', {}, [false, true]],
    ['the GPU taint tolerated (Equal); PreferNoSchedule never blocks', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }] }, [true, true]],
    ['a keyless Exists toleration tolerates everything', { tolerations: [{ operator: 'Exists' }] }, [true, true]],
    ['a toleration of another effect does not count', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }] }, [false, true]],
    ['node selector', { nodeSelector: { pool: 'gpu' }, tolerations: [{ operator: 'Exists' }] }, [true, false]],
    ['required affinity NotIn: a missing label matches', { ...notGpu, tolerations: [{ operator: 'Exists' }] }, [false, true]],
  ])('%s', (_, spec, expected) => {
    expect([canLand(spec, gpu), canLand(spec, sys)]).toEqual(expected);
  });
});
