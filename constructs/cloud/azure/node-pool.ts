/**
 * AksGpuNodePool: a GPU node pool whose driver AKS does not install (`gpu_driver = "None"`): the NVIDIA GPU Operator
 * owns the driver, the container toolkit, the device plugin and DCGM, as the AKS guide of Dynamo requires; two
 * installers on one node would fight over the kernel module. Spot pools: priority Spot, eviction Delete, no price
 * cap (-1), and the taint AKS puts on spot nodes listed explicitly so Terraform sees no drift. Autoscaling from zero.
 *
 * azurerm 4.x changes some properties of an existing pool (host_encryption_enabled, vm_size, os_disk_size_gb, zones
 * and others) only by cycling it, and refuses the change without `temporary_name_for_rotation`: it creates a pool of
 * that name with the new values and the current node count, deletes the pool, creates it again with the new values,
 * and deletes the temporary one (kubernetes_cluster_node_pool_resource.go). Nodes are not cordoned and drained, and
 * while the temporary pool lives the pool's VM size is allocated twice: the change needs twice the pool's quota. Each
 * pool gets a temporary name of its own (aksRotationPoolName).
 */
import { createHash } from 'node:crypto';
import { KubernetesClusterNodePool } from './provider.cjs';
import { Construct } from 'constructs';
import type { AksOsSku } from '../../../spec/profile/azure.js';
import type { NodePoolShape } from '../node-pool-shape.js';
import { toAksTaint } from './taints.js';

/**
 * The temporary pool name azurerm cycles a pool through: `tmp` and nine hex digits of the pool name's SHA-256, an AKS
 * pool name (12 lower-case letters and digits, a letter first), stable per pool and distinct between pools.
 */
export const aksRotationPoolName = (pool: string): string => `tmp${createHash('sha256').update(pool).digest('hex').slice(0, 9)}`;

/** Fails when two of the pool names and temporary names (every pool's, `system` the default pool's) coincide. */
export function assertDistinctPoolNames(names: readonly { readonly field: string; readonly name: string }[]): void {
  const seen = new Map<string, string>();
  for (const { field, name } of names) {
    const other = seen.get(name);
    if (other) throw new Error(`${field}: the AKS node pool name "${name}" is also ${other}; pool names and temporary rotation names must be distinct (rename the pool)`);
    seen.set(name, field);
  }
}

export interface AksGpuNodePoolProps extends NodePoolShape {
  readonly clusterId: string;
  /** Pool name: at most 12 lower-case letters and digits (AKS). */
  readonly name: string;
  readonly vmSize: string;
  readonly subnetId: string;
  readonly spot: boolean;
  readonly zones?: readonly string[];
  /** Node OS image (the GPU Operator's driver containers and the Lustre CSI driver run on Ubuntu). @default 'Ubuntu' */
  readonly osSku?: AksOsSku;
  /** Encryption at host (the subscription's EncryptionAtHost feature must be registered, the VM size support it). @default false */
  readonly hostEncryption?: boolean;
}

export class AksGpuNodePool extends Construct {
  public readonly pool: KubernetesClusterNodePool;

  constructor(scope: Construct, id: string, props: AksGpuNodePoolProps) {
    super(scope, id);
    this.pool = new KubernetesClusterNodePool(this, 'pool', {
      name: props.name,
      kubernetesClusterId: props.clusterId,
      vmSize: props.vmSize,
      vnetSubnetId: props.subnetId,
      osSku: props.osSku ?? 'Ubuntu',
      ...(props.hostEncryption && { hostEncryptionEnabled: true }),
      temporaryNameForRotation: aksRotationPoolName(props.name),
      osDiskSizeGb: props.diskSizeGiB,
      gpuDriver: 'None',
      autoScalingEnabled: true,
      minCount: props.minNodes,
      maxCount: props.maxNodes,
      nodeCount: props.desiredNodes,
      nodeLabels: { ...props.labels },
      nodeTaints: props.taints.map(toAksTaint),
      ...(props.zones && { zones: [...props.zones] }),
      // Spot pools take no surge upgrades.
      ...(props.spot ? { priority: 'Spot', evictionPolicy: 'Delete', spotMaxPrice: -1 } : { upgradeSettings: { maxSurge: '1' } }),
      // The autoscaler owns the count after creation.
      lifecycle: { ignoreChanges: ['node_count'] },
    });
  }
}
