/**
 * Simulated nodes: one Node object per node of a pool, with the labels, taints, zone and capacity a real node of the
 * pool has, annotated for kwok (which then plays its kubelet: Ready, pods Running and Ready).
 */
import type { SimPool } from './pools.js';
import { SIM_VERSIONS } from './versions.js';

export const POOL_ANNOTATION = 'sim.dynamo-iac.io/pool';

export interface NodeJson {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: { key: string; value?: string; effect: string }[] };
  status: Record<string, unknown>;
}

/** The zone of the pool's n-th node: round-robin over the pool's zones, as the clouds balance a pool. */
export const zoneOfNode = (pool: SimPool, n: number): string => pool.zones[n % pool.zones.length]!;

export function nodeObject(pool: SimPool, n: number): NodeJson {
  const zone = zoneOfNode(pool, n);
  const name = `${pool.name}-${n}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const labels: Record<string, string> = { ...pool.labels, 'kubernetes.io/hostname': name };
  if (pool.cloud !== 'local') labels['topology.kubernetes.io/zone'] = zone;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations: { 'kwok.x-k8s.io/node': 'fake', [POOL_ANNOTATION]: pool.name } },
    spec: pool.taints.length ? { taints: pool.taints.map((t) => ({ ...t })) } : {},
    status: {
      capacity: pool.resources.capacity,
      allocatable: pool.resources.allocatable,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: SIM_VERSIONS.kubernetes,
        kubeProxyVersion: SIM_VERSIONS.kubernetes,
        machineID: name,
        systemUUID: name,
        bootID: name,
        kernelVersion: 'simulated',
        osImage: `simulated ${pool.instanceType}`,
        containerRuntimeVersion: 'kwok',
      },
      phase: 'Running',
    },
  };
}
