/**
 * AksNetwork: a virtual network with a node subnet (pods get overlay addresses, so the subnet holds nodes only)
 * and, when the model store is Azure Managed Lustre, a subnet of its own; or an existing node subnet.
 *
 * The node subnet has a network security group: Azure's default rules (virtual network and Azure Load Balancer in,
 * nothing else from the internet; virtual network and internet out), plus the pod range. Azure CNI overlay does not
 * encapsulate pod traffic, so subnet rules apply to pod addresses, which lie outside the virtual network's service
 * tag: AKS's overlay guide requires node-to-pod and pod-to-pod traffic allowed on all ports (DNS, services, probes).
 *
 * AKS manages its own NIC-level group in the node resource group, and cloud-provider-azure writes a LoadBalancer
 * Service's rules (its `loadBalancerSourceRanges`) there only, never here. Azure admits inbound traffic only if both the
 * subnet's and the NIC's groups allow it, so each exposed frontend's client ranges are admitted here too, on the
 * load balancer's port, to any destination: with floating IP (cloud-provider-azure's default) the packet keeps the
 * frontend IP as its destination and the Service's port. The load balancer's health probes come from the
 * AzureLoadBalancer tag, which Azure's default rules admit. The cluster takes the subnet id through the association,
 * so it is created only with the group in place.
 */
import { NetworkSecurityGroup, NetworkSecurityRule, Subnet, SubnetNetworkSecurityGroupAssociation, VirtualNetwork } from './provider.cjs';
import { Fn } from '../cdktf.cjs';
import { Construct } from 'constructs';
import { AKS_POD_CIDR } from './cluster.js';

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
  /** Load balancers in front of the cluster: the client ranges each admits on its TCP port. @default - none */
  readonly loadBalancerClients?: readonly { readonly sourceCidrs: readonly string[]; readonly port: number }[];
}

/** Priority of the first load-balancer client rule (the overlay rules take 100). */
const LB_CLIENT_PRIORITY = 200;

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
    const nodeCidr = Fn.cidrsubnet(cidr, 2, 0);
    const nodes = new Subnet(this, 'nodes', { name: 'nodes', resourceGroupName: props.resourceGroupName, virtualNetworkName: vnet.name, addressPrefixes: [nodeCidr] });
    this.nodeSubnetId = this.nodeSecurityGroup(props, nodes, nodeCidr).subnetId;
    if (props.lustreSubnet) {
      this.lustreSubnetId = new Subnet(this, 'lustre', { name: 'lustre', resourceGroupName: props.resourceGroupName, virtualNetworkName: vnet.name, addressPrefixes: [Fn.cidrsubnet(cidr, 8, 255)] }).id;
    }
  }

  /** The node subnet's security group with the overlay rules, associated; the association carries the subnet id. */
  private nodeSecurityGroup(props: AksNetworkProps, subnet: Subnet, nodeCidr: string): SubnetNetworkSecurityGroupAssociation {
    const nsg = new NetworkSecurityGroup(this, 'nodes-nsg', { name: `${props.name}-nodes`, resourceGroupName: props.resourceGroupName, location: props.location });
    const prefixes = [nodeCidr, AKS_POD_CIDR];
    const rules = (['Inbound', 'Outbound'] as const).map((direction) =>
      new NetworkSecurityRule(this, `nodes-nsg-overlay-${direction.toLowerCase()}`, {
        name: `overlay-${direction.toLowerCase()}`,
        description: 'Azure CNI overlay: nodes and pods to nodes and pods, every port (AKS overlay guide)',
        resourceGroupName: props.resourceGroupName,
        networkSecurityGroupName: nsg.name,
        direction,
        priority: 100,
        access: 'Allow',
        protocol: '*',
        sourcePortRange: '*',
        destinationPortRange: '*',
        sourceAddressPrefixes: prefixes,
        destinationAddressPrefixes: prefixes,
      }),
    );
    // One rule per port, admitting every range some load balancer on that port admits (the NIC-level group, which
    // AKS writes per Service and frontend IP, keeps each Service to its own ranges).
    const byPort = new Map<number, Set<string>>();
    for (const lb of props.loadBalancerClients ?? []) for (const c of lb.sourceCidrs) byPort.set(lb.port, (byPort.get(lb.port) ?? new Set()).add(c));
    const clientRules = [...byPort].sort(([a], [b]) => a - b).map(([port, cidrs], i) =>
      new NetworkSecurityRule(this, `nodes-nsg-load-balancer-${port}`, {
        name: `load-balancer-clients-${port}`,
        description: 'Clients of the exposed frontends, to their load balancers (loadBalancerSourceRanges; AKS writes them to its NIC group only)',
        resourceGroupName: props.resourceGroupName,
        networkSecurityGroupName: nsg.name,
        direction: 'Inbound',
        priority: LB_CLIENT_PRIORITY + i,
        access: 'Allow',
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRange: String(port),
        sourceAddressPrefixes: [...cidrs].sort(),
        destinationAddressPrefix: '*',
      }),
    );
    // The rules are in place before anything that takes the subnet id from the association (nodes, the cluster).
    return new SubnetNetworkSecurityGroupAssociation(this, 'nodes-nsg-association', { subnetId: subnet.id, networkSecurityGroupId: nsg.id, dependsOn: [...rules, ...clientRules] });
  }
}
