/**
 * The model store on EKS. `shared-file`: an encrypted EFS file system (elastic or bursting throughput) with a mount
 * target in every private subnet and a security group that admits NFS from the VPC only; the EFS CSI driver then
 * provisions one access point per claim (`efs-ap`). `lustre`: FSx for Lustre, provisioned per claim by the FSx CSI
 * driver in the first private subnet, behind a security group with the Lustre ports.
 *
 * `storageClassParameters` is what the deploy path writes into the StorageClass the cloud profile names.
 */
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system/index.js';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Construct } from 'constructs';

export interface EksModelStorageProps {
  readonly clusterName: string;
  readonly kind: 'shared-file' | 'lustre';
  readonly tier: 'standard' | 'performance';
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: readonly string[];
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
      description: `${props.kind === 'lustre' ? 'FSx for Lustre' : 'EFS'} model store of ${props.clusterName}: from the VPC only`,
      vpcId: props.vpcId,
    });
    this.securityGroupId = sg.id;
    const from = (port: number, to = port, suffix = '') =>
      new VpcSecurityGroupIngressRule(this, `ingress-${port}${suffix}`, { securityGroupId: sg.id, cidrIpv4: props.vpcCidr, ipProtocol: 'tcp', fromPort: port, toPort: to });
    if (props.kind === 'shared-file') {
      from(2049);
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
      from(988);
      from(1018, 1023);
      // Lustre servers and clients talk to each other within the group too.
      new VpcSecurityGroupIngressRule(this, 'ingress-self', { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 988, toPort: 1023 });
      new VpcSecurityGroupEgressRule(this, 'egress-self', { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 988, toPort: 1023 });
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
