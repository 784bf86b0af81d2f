/**
 * The model store on EKS. `shared-file`: an encrypted EFS file system (elastic or bursting throughput) with a mount
 * target in every private subnet and a security group that admits NFS from the VPC only; the EFS CSI driver then
 * provisions one access point per claim (`efs-ap`). `lustre`: FSx for Lustre, provisioned per claim by the FSx CSI
 * driver in the first private subnet, behind a security group with the Lustre ports (TCP 988 and 1018-1023) open
 * both ways between the file servers themselves and between the file servers and their clients, so the nodes'
 * group admits the servers too (AWS FSx for Lustre User Guide, "File system access control with Amazon VPC": the
 * inbound and outbound rules of the file system's and of the Lustre clients' security groups).
 *
 * `storageClassParameters` is what the deploy path writes into the StorageClass the cloud profile names.
 */
import { EfsFileSystem, EfsMountTarget, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from './provider.cjs';
import { Construct } from 'constructs';

export interface EksModelStorageProps {
  readonly clusterName: string;
  readonly kind: 'shared-file' | 'lustre';
  readonly tier: 'standard' | 'performance';
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: readonly string[];
  /** The security group of the nodes that mount the store (Lustre clients): the cluster security group. */
  readonly clientSecurityGroupId: string;
  readonly kmsKeyArn: string;
  readonly protect: boolean;
}

/** FSx for Lustre PERSISTENT_2 throughput per TiB by tier. */
export const LUSTRE_THROUGHPUT = { standard: 125, performance: 1000 } as const;

export class EksModelStorage extends Construct {
  public readonly securityGroupId: string;
  public readonly fileSystem?: EfsFileSystem;
  /** Parameters of the model storage class (values may be Terraform references). */
  public readonly storageClassParameters: Record<string, string>;

  constructor(scope: Construct, id: string, props: EksModelStorageProps) {
    super(scope, id);
    const sg = new SecurityGroup(this, 'sg', {
      name: `${props.clusterName}-model-storage`,
      description: props.kind === 'lustre' ? `FSx for Lustre model store of ${props.clusterName}: Lustre with the cluster nodes only` : `EFS model store of ${props.clusterName}: from the VPC only`,
      vpcId: props.vpcId,
    });
    this.securityGroupId = sg.id;
    if (props.kind === 'shared-file') {
      new VpcSecurityGroupIngressRule(this, 'ingress-2049', { securityGroupId: sg.id, cidrIpv4: props.vpcCidr, ipProtocol: 'tcp', fromPort: 2049, toPort: 2049, description: 'NFS from the VPC (EFS mount targets)' });
      this.fileSystem = new EfsFileSystem(this, 'fs', {
        creationToken: `${props.clusterName}-models`,
        encrypted: true,
        kmsKeyId: props.kmsKeyArn,
        performanceMode: 'generalPurpose',
        throughputMode: props.tier === 'performance' ? 'elastic' : 'bursting',
        tags: { Name: `${props.clusterName}-models` },
        lifecycle: { preventDestroy: props.protect },
      });
      props.privateSubnetIds.forEach((subnetId, i) => new EfsMountTarget(this, `mount-${i}`, { fileSystemId: this.fileSystem!.id, subnetId, securityGroups: [sg.id] }));
      this.storageClassParameters = { provisioningMode: 'efs-ap', fileSystemId: this.fileSystem.id, directoryPerms: '750', basePath: '/dynamo' };
    } else {
      lustreRules(this, sg.id, props.clientSecurityGroupId);
      this.storageClassParameters = {
        subnetId: props.privateSubnetIds[0]!,
        securityGroupIds: sg.id,
        deploymentType: 'PERSISTENT_2',
        perUnitStorageThroughput: String(LUSTRE_THROUGHPUT[props.tier]),
        dataCompressionType: 'LZ4',
        fileSystemTypeVersion: '2.15',
      };
    }
  }
}

/** The Lustre ports: LNet (988) and the range the servers and clients also use. */
export const LUSTRE_PORTS = [[988, 988], [1018, 1023]] as const;

/**
 * Lustre traffic both ways: file servers with each other (self), file servers to and from the clients, on the file
 * system's group and on the clients' group (which need not allow all egress).
 */
function lustreRules(scope: Construct, fsGroup: string, clientGroup: string): void {
  const pairs = [
    ['fs-self', fsGroup, fsGroup],
    ['fs-clients', fsGroup, clientGroup],
    ['clients-fs', clientGroup, fsGroup],
  ] as const;
  for (const [name, group, peer] of pairs) {
    for (const [from, to] of LUSTRE_PORTS) {
      const rule = { securityGroupId: group, referencedSecurityGroupId: peer, ipProtocol: 'tcp', fromPort: from, toPort: to };
      new VpcSecurityGroupIngressRule(scope, `lustre-in-${name}-${from}`, rule);
      new VpcSecurityGroupEgressRule(scope, `lustre-out-${name}-${from}`, rule);
    }
  }
}
