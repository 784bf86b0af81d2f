/**
 * GkeNodePool: a node pool with shielded nodes, the GKE metadata server (Workload Identity), a least-privilege node
 * service account, and autoscaling between total bounds over the pool's zones (the initial count is per zone). GPU pools attach `guest_accelerator` with
 * GKE's driver installation (LATEST by default, as the seed's GKE guide does); GKE itself taints GPU nodes with
 * `nvidia.com/gpu=present:NoSchedule`, so only the spot taint and the spec's own are added here.
 */
import { ContainerNodePool } from './provider.cjs';
import { Construct } from 'constructs';
import { gkeInitialNodesPerZone } from '../../../spec/profile/gcp-pools.js';
import type { Taint } from '../../../spec/profile/types.js';
import type { NodePoolShape } from '../node-pool-shape.js';
import { toGkeTaint } from './taints.js';

export interface GkeNodePoolProps extends NodePoolShape {
  readonly clusterId: string;
  readonly name: string;
  readonly machineType: string;
  readonly serviceAccountEmail: string;
  readonly spot: boolean;
  /** Node locations. @default - the cluster's (three zones of its region) */
  readonly zones?: readonly string[];
  /** GPUs: accelerator type and count per node. */
  readonly gpu?: { readonly type: string; readonly count: number; readonly driverVersion: 'LATEST' | 'DEFAULT' | 'INSTALLATION_DISABLED' };
}

export class GkeNodePool extends Construct {
  public readonly pool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    const taints: Taint[] = [...props.taints];
    // min, max and desired count the whole pool; the node pool API's initial count is per zone.
    const perZone = gkeInitialNodesPerZone(props);
    if (typeof perZone === 'string') throw new Error(`GkeNodePool ${props.name}: ${perZone}`);
    this.pool = new ContainerNodePool(this, 'pool', {
      name: props.name,
      cluster: props.clusterId,
      initialNodeCount: perZone,
      ...(props.zones && { nodeLocations: [...props.zones] }),
      autoscaling: {
        totalMinNodeCount: props.minNodes,
        totalMaxNodeCount: props.maxNodes,
        // Spot capacity: wherever it is free; on-demand: spread evenly across zones.
        locationPolicy: props.spot ? 'ANY' : 'BALANCED',
      },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: props.machineType,
        imageType: 'COS_CONTAINERD',
        diskType: 'pd-balanced',
        diskSizeGb: props.diskSizeGiB,
        serviceAccount: props.serviceAccountEmail,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        spot: props.spot,
        labels: { ...props.labels },
        taint: taints.map(toGkeTaint),
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        ...(props.gpu && {
          guestAccelerator: [{ type: props.gpu.type, count: props.gpu.count, gpuDriverInstallationConfig: { gpuDriverVersion: props.gpu.driverVersion } }],
        }),
      },
      lifecycle: { ignoreChanges: ['initial_node_count'] },
    });
  }
}
