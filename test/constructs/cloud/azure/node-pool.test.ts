/**
 * azurerm 4.x cycles an AKS pool to change host_encryption_enabled, vm_size, os_disk_size_gb, zones and the like, and
 * refuses such a change without `temporary_name_for_rotation` (terraform-provider-azurerm,
 * internal/services/containers/kubernetes_cluster_node_pool_resource.go: "`temporary_name_for_rotation` must be
 * specified when updating any of the following properties"). Every pool of the stack, the default pool included,
 * names a temporary pool; each is a valid AKS pool name, and no two pool or temporary names coincide (AKS would find
 * the temporary pool already there).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aksRotationPoolName } from '../../../../constructs/cloud/azure/node-pool.js';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';

type Pool = Record<string, unknown>;
function poolsOf(yaml?: string): Pool[] {
  const out = mkdtempSync(join(tmpdir(), 'aks-pools-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  const tf = JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Pool>> };
  const cluster = Object.values(tf.resource['azurerm_kubernetes_cluster']!)[0]!;
  return [cluster['default_node_pool'] as Pool, ...Object.values(tf.resource['azurerm_kubernetes_cluster_node_pool'] ?? {})];
}

const AKS_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const pool = (accelerator: string) => `{ instanceType: Standard_NC24ads_A100_v4, accelerator: ${accelerator}, gpusPerNode: 1, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1, labels: {}, taints: [] }`;
const MANY = `targets: { aks: { cluster: { encryption: { atHost: true }, gpuPools: { a100aaaaaaaa: ${pool('nvidia-a100')}, a100aaaaaaab: ${pool('nvidia-a100')}, tmp: ${pool('nvidia-a100')} } } } }`;

describe('AKS pool rotation', () => {
  it.each([
    ['the defaults', undefined],
    ['encryption at host, pools whose names share 11 characters, a pool named tmp', MANY],
  ])('every pool names a temporary pool: a valid AKS pool name, distinct from every pool and temporary name (%s)', (_, yaml) => {
    const pools = poolsOf(yaml);
    expect(pools.length).toBeGreaterThanOrEqual(yaml ? 5 : 3);
    const names = pools.flatMap((p) => [String(p['name']), String(p['temporary_name_for_rotation'])]);
    for (const p of pools) expect(String(p['temporary_name_for_rotation']), String(p['name'])).toMatch(AKS_POOL_NAME);
    expect(new Set(names).size).toBe(names.length);
  });

  it('a temporary name is a valid AKS pool name for any pool name, and stable', () => {
    for (const name of ['a', 'gpu', 'gpuspot', 'abcdefghijkl', 'z9z9z9z9z9z9']) {
      expect(aksRotationPoolName(name)).toMatch(AKS_POOL_NAME);
      expect(aksRotationPoolName(name)).toBe(aksRotationPoolName(name));
    }
  });

  it('a pool named like a temporary pool is refused, naming the field, the name and the rule', () => {
    expect(() => poolsOf(`targets: { aks: { cluster: { gpuPools: { systemtmp: ${pool('nvidia-a100')} } } } }`)).toThrow(
      /cluster\.gpuPools\.systemtmp: the AKS node pool name "systemtmp" is also cluster\.systemPool \(temporary rotation pool\); pool names and temporary rotation names must be distinct/,
    );
  });
});
