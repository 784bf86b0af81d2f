/**
 * EksNetwork: a VPC with a private and a public subnet in each of N zones, an internet gateway, NAT (one, or one per
 * zone), and the subnet tags the AWS Load Balancer Controller discovers subnets by. Or an existing VPC's private
 * subnets, untouched.
 */
import { DataAwsAvailabilityZones, DataAwsVpc, DefaultSecurityGroup, Eip, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc } from './provider.cjs';
import { Fn } from '../cdktf.cjs';
import { Construct } from 'constructs';

export interface EksNetworkProps {
  readonly clusterName: string;
  /** @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** Zones, at least 2. @default 3 */
  readonly zones?: number;
  /** @default true */
  readonly singleNatGateway?: boolean;
  /**
   * More tags on the private subnets the stack creates (e.g. Karpenter's discovery tag). They belong in the subnets'
   * own `tags`: an `aws_ec2_tag` on a subnet that manages its tags is removed by the subnet on the next apply.
   * @default - none
   */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
  /** Use this VPC and these private subnets instead of creating them. */
  readonly existing?: { readonly vpcId: string; readonly privateSubnetIds: readonly string[] };
}

export class EksNetwork extends Construct {
  public readonly vpcId: string;
  /** The VPC's address range (read from an existing VPC). */
  public readonly vpcCidr: string;
  public readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: EksNetworkProps) {
    super(scope, id);
    if (props.existing) {
      this.vpcId = props.existing.vpcId;
      this.privateSubnetIds = [...props.existing.privateSubnetIds];
      // Nodes reach the API through the private endpoint only when the VPC resolves it (DNS support and hostnames);
      // otherwise they resolve the public endpoint, which admits only the listed ranges or the deployer.
      this.vpcCidr = new DataAwsVpc(this, 'existing-vpc', {
        id: props.existing.vpcId,
        lifecycle: {
          postcondition: [{
            condition: '${self.enable_dns_support && self.enable_dns_hostnames}',
            errorMessage: `VPC ${props.existing.vpcId} (cluster.network.existing.networkId) needs enableDnsSupport and enableDnsHostnames: EKS nodes resolve the cluster's private endpoint only with both on`,
          }],
        },
      }).cidrBlock;
      return;
    }
    const zones = props.zones ?? 3;
    const cidr = props.cidr ?? '10.0.0.0/16';
    this.vpcCidr = cidr;
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    const azs = new DataAwsAvailabilityZones(this, 'zones', { state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
    const vpc = new Vpc(this, 'vpc', { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: props.clusterName } });
    this.vpcId = vpc.id;
    // Nothing we create uses the VPC's default security group (the cluster, node, EFS, FSx and load balancer groups
    // are their own): adopted with no rules, it admits and sends nothing (CIS AWS 5.4, checkov CKV2_AWS_12).
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, tags: { Name: `${props.clusterName}-default-deny` } });
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: props.clusterName } });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: vpc.id, tags: { Name: `${props.clusterName}-public` } });
    new Route(this, 'public-default', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    const nats: NatGateway[] = [];
    this.privateSubnetIds = [];
    for (let i = 0; i < zones; i++) {
      const az = Fn.element(azs.names, i);
      // /16 -> private /19s from the bottom, public /22s from the top: room for many pods per node (VPC CNI).
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(cidr, 6, 63 - i),
        availabilityZone: az,
        mapPublicIpOnLaunch: false,
        tags: { ...clusterTag, Name: `${props.clusterName}-public-${i}`, 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-${i}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      if (i === 0 || !(props.singleNatGateway ?? true)) {
        const ip = new Eip(this, `nat-ip-${i}`, { domain: 'vpc', tags: { Name: `${props.clusterName}-nat-${i}` } });
        nats.push(new NatGateway(this, `nat-${i}`, { allocationId: ip.id, subnetId: pub.id, tags: { Name: `${props.clusterName}-${i}` }, dependsOn: [igw] }));
      }
      const priv = new Subnet(this, `private-${i}`, {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(cidr, 3, i),
        availabilityZone: az,
        tags: { ...clusterTag, Name: `${props.clusterName}-private-${i}`, 'kubernetes.io/role/internal-elb': '1', ...props.privateSubnetTags },
      });
      const routes = new RouteTable(this, `private-${i}-routes`, { vpcId: vpc.id, tags: { Name: `${props.clusterName}-private-${i}` } });
      new Route(this, `private-${i}-default`, { routeTableId: routes.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[nats.length - 1]!.id });
      new RouteTableAssociation(this, `private-${i}-association`, { subnetId: priv.id, routeTableId: routes.id });
      this.privateSubnetIds.push(priv.id);
    }
  }
}
