/**
 * EfaNetworking: the EFA interfaces and the one subnet of an EFA node group, as the hardware has them.
 *
 * - One EFA interface per network card of the instance type (`maximum_network_cards`, p5.48xlarge: 32), read at
 *   plan time from the `aws_ec2_instance_type` data source, so every EFA instance type gets its own count without a
 *   table here. A type that takes fewer EFA interfaces than it has cards fails the plan (a postcondition) rather
 *   than getting fewer interfaces than the module upstream would give it.
 *   Card 0 carries the primary interface (device index 0, type `efa`, with the node's IP); every other card carries
 *   an `efa-only` interface at device index 1 (no IP: RDMA traffic only, the VPC CNI leaves it alone). This is
 *   terraform-aws-eks' eks-managed-node-group rule (`enable_efa_only`, `efa_indices = [0]`).
 * - A cluster placement group lives in one zone, so the group gets exactly one subnet: the first (by id) of the
 *   cluster's private subnets whose zone offers the instance type (and lies in the pool's zones, if any).
 *
 * Each data source carries a postcondition, so a type without EFA, or no zone that offers it, fails the plan with a
 * message naming the pool's instance type.
 */
import { DataAwsEc2InstanceType, DataAwsEc2InstanceTypeOfferings, DataAwsSubnets } from './provider.cjs';
import { Fn, Token } from '../cdktf.cjs';
import { Construct } from 'constructs';

export interface EfaNetworkingProps {
  /** The pool's instance type. */
  readonly instanceType: string;
  /** The cluster's private subnets. */
  readonly privateSubnetIds: readonly string[];
  /** Zones the pool is pinned to. @default - any zone of the cluster */
  readonly zones?: readonly string[];
  /** Security groups of every interface (the cluster's and the self-referencing EFA group). */
  readonly securityGroupIds: readonly string[];
}

/** A Terraform `dynamic` block over the network cards (`card.value` is the card index). */
export interface EfaInterfacesBlock {
  readonly for_each: string;
  readonly iterator: 'card';
  readonly content: Readonly<Record<string, unknown>>;
}

export class EfaNetworking extends Construct {
  /** The one subnet of the node group. */
  public readonly subnetId: string;
  /**
   * The launch template's `dynamic "network_interfaces"` block (for an override), one interface per network card.
   * Written out rather than through a cdktf iterator, whose `toset()` would turn the card numbers into strings.
   */
  public readonly networkInterfaces: EfaInterfacesBlock;
  /** How many EFA interfaces (and so `vpc.amazonaws.com/efa` devices) a node gets: a Terraform expression. */
  public readonly interfaceCount: string;

  constructor(scope: Construct, id: string, props: EfaNetworkingProps) {
    super(scope, id);
    const type = props.instanceType;
    const facts = new DataAwsEc2InstanceType(this, 'instance-type', {
      instanceType: type,
      lifecycle: {
        postcondition: [
          { condition: '${self.efa_supported}', errorMessage: `${type} does not support EFA: set fastNetwork: false on its pool` },
          {
            condition: '${self.efa_maximum_interfaces >= self.maximum_network_cards}',
            errorMessage: `${type} takes fewer EFA interfaces (efa_maximum_interfaces) than it has network cards (maximum_network_cards), and an EFA node group gets one per card: use another instance type or set fastNetwork: false on its pool`,
          },
        ],
      },
    });
    const offerings = new DataAwsEc2InstanceTypeOfferings(this, 'offerings', {
      locationType: 'availability-zone',
      filter: [{ name: 'instance-type', values: [type] }, ...(props.zones ? [{ name: 'location', values: [...props.zones] }] : [])],
      lifecycle: { postcondition: [{ condition: '${length(self.locations) > 0}', errorMessage: `no zone${props.zones ? ` of ${props.zones.join(', ')}` : ''} offers ${type}` }] },
    });
    const subnets = new DataAwsSubnets(this, 'subnets', {
      filter: [
        { name: 'subnet-id', values: [...props.privateSubnetIds] },
        { name: 'availability-zone', values: offerings.locations },
      ],
      lifecycle: { postcondition: [{ condition: '${length(self.ids) > 0}', errorMessage: `none of the cluster's private subnets lies in a zone that offers ${type}` }] },
    });
    // Sorted, so the choice is stable from plan to plan (a node group's subnets cannot change in place).
    this.subnetId = Token.asString(Fn.element(Fn.sort(subnets.ids), 0));

    // One interface per network card, as terraform-aws-eks' eks-managed-node-group (`maximum_network_cards`).
    const cards = facts.maximumNetworkCards;
    this.interfaceCount = Token.asString(cards);
    this.networkInterfaces = {
      for_each: Token.asString(Fn.range(0, cards)),
      iterator: 'card',
      content: {
        network_card_index: '${card.value}',
        device_index: '${card.value == 0 ? 0 : 1}',
        interface_type: '${card.value == 0 ? "efa" : "efa-only"}',
        delete_on_termination: 'true',
        security_groups: [...props.securityGroupIds],
      },
    };
  }
}
