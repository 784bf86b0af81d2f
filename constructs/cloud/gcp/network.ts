/**
 * GkeNetwork: a custom-mode VPC with one subnet carrying the pod and service secondary ranges (VPC-native
 * cluster), Private Google Access and VPC flow logs, and Cloud NAT so private nodes reach registries; or an existing network and
 * subnet (with secondary ranges named `pods` and `services`).
 */
import { ComputeNetwork, ComputeRouter, ComputeRouterNat, ComputeSubnetwork } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export const GKE_RANGES = { pods: 'pods', services: 'services' } as const;

export interface GkeNetworkProps {
  readonly name: string;
  readonly region: string;
  /** Node range. @default '10.0.0.0/16' */
  readonly cidr?: string;
  readonly existing?: { readonly networkId: string; readonly subnetId: string };
  /** What the network waits for (the Compute Engine API). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class GkeNetwork extends Construct {
  public readonly networkId: string;
  public readonly subnetId: string;

  constructor(scope: Construct, id: string, props: GkeNetworkProps) {
    super(scope, id);
    if (props.existing) {
      this.networkId = props.existing.networkId;
      this.subnetId = props.existing.subnetId;
      return;
    }
    const network = new ComputeNetwork(this, 'network', { name: props.name, autoCreateSubnetworks: false, dependsOn: [...(props.dependsOn ?? [])] });
    const subnet = new ComputeSubnetwork(this, 'subnet', {
      name: `${props.name}-nodes`,
      network: network.id,
      region: props.region,
      ipCidrRange: props.cidr ?? '10.0.0.0/16',
      privateIpGoogleAccess: true,
      // VPC flow logs of the nodes' traffic: 10-minute aggregation and half the flows sampled keep the log volume (billed)
      // modest; the metadata names the GKE pods and services at each end.
      logConfig: { aggregationInterval: 'INTERVAL_10_MIN', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
      secondaryIpRange: [
        { rangeName: GKE_RANGES.pods, ipCidrRange: '10.64.0.0/14' },
        { rangeName: GKE_RANGES.services, ipCidrRange: '10.68.0.0/20' },
      ],
    });
    const router = new ComputeRouter(this, 'router', { name: `${props.name}-router`, network: network.id, region: props.region });
    new ComputeRouterNat(this, 'nat', {
      name: `${props.name}-nat`,
      router: router.name,
      region: props.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
    this.networkId = network.id;
    this.subnetId = subnet.id;
  }
}
