/**
 * AksNetwork: a virtual network with a node subnet (pods get overlay addresses, so the subnet holds nodes only)
 * and, when the model store is Azure Managed Lustre, a subnet of its own; or an existing node subnet.
 */
import { Subnet, VirtualNetwork } from './provider.cjs';
import { Fn } from '../cdktf.cjs';
import { Construct } from 'constructs';

export interface AksNetworkProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** A subnet for Azure Managed Lustre. */
  readonly lustreSubnet?: boolean;
  /** Existing subnets: the first holds the nodes, the second (if any) Lustre. */
  readonly existing?: { readonly subnetIds: readonly string[] };
}

export class AksNetwork extends Construct {
  public readonly nodeSubnetId: string;
  public readonly lustreSubnetId?: string;

  constructor(scope: Construct, id: string, props: AksNetworkProps) {
    super(scope, id);
    if (props.existing) {
      this.nodeSubnetId = props.existing.subnetIds[0]!;
      if (props.lustreSubnet) this.lustreSubnetId = props.existing.subnetIds[1] ?? props.existing.subnetIds[0]!;
      return;
    }
    const cidr = props.cidr ?? '10.0.0.0/16';
    const vnet = new VirtualNetwork(this, 'vnet', { name: props.name, resourceGroupName: props.resourceGroupName, location: props.location, addressSpace: [cidr] });
    // /16 -> nodes on the first /18 (16k nodes); Lustre on a /24 at the top.
    this.nodeSubnetId = new Subnet(this, 'nodes', { name: 'nodes', resourceGroupName: props.resourceGroupName, virtualNetworkName: vnet.name, addressPrefixes: [Fn.cidrsubnet(cidr, 2, 0)] }).id;
    if (props.lustreSubnet) {
      this.lustreSubnetId = new Subnet(this, 'lustre', { name: 'lustre', resourceGroupName: props.resourceGroupName, virtualNetworkName: vnet.name, addressPrefixes: [Fn.cidrsubnet(cidr, 8, 255)] }).id;
    }
  }
}
