/**
 * AksGpuNodePool: a GPU node pool whose driver AKS does not install (`gpu_driver = "None"`): the NVIDIA GPU Operator
 * owns the driver, the container toolkit, the device plugin and DCGM, as the AKS guide of Dynamo requires; two
 * installers on one node would fight over the kernel module. Spot pools: priority Spot, eviction Delete, no price
 * cap (-1), and the taint AKS puts on spot nodes listed explicitly so Terraform sees no drift. Autoscaling from zero.
 */
import { KubernetesClusterNodePool } from './provider.cjs';
import { Construct } from 'constructs';
import type { AksOsSku } from '../../../spec/profile/azure.js';
import type { NodePoolShape } from '../node-pool-shape.js';
import { toAksTaint } from './taints.js';

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
