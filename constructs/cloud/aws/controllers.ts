/**
 * The cluster's AWS-facing controllers, each with its own IAM role bound to its Kubernetes service account through
 * EKS Pod Identity (never the node role): the VPC CNI and the EBS, EFS and FSx CSI drivers (EKS add-ons), and the
 * roles the AWS Load Balancer Controller and the CloudWatch agent assume once installed.
 */
import { EksAddon, EksPodIdentityAssociation } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AWS_NAME_MAX, awsName } from '../../../spec/profile/aws-names.js';
import { ServiceRole } from './iam.js';

const POD_IDENTITY = 'pods.eks.amazonaws.com';

/** A controller's identity: namespace/service account -> role with these managed policies. */
export interface ControllerIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly managedPolicies: readonly string[];
  readonly inlinePolicy?: string;
}

export const CONTROLLER_IDENTITIES = {
  vpcCni: { namespace: 'kube-system', serviceAccount: 'aws-node', managedPolicies: ['AmazonEKS_CNI_Policy'] },
  ebsCsi: { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa', managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'] },
  efsCsi: { namespace: 'kube-system', serviceAccount: 'efs-csi-controller-sa', managedPolicies: ['service-role/AmazonEFSCSIDriverPolicy'] },
  fsxCsi: { namespace: 'kube-system', serviceAccount: 'fsx-csi-controller-sa', managedPolicies: ['AmazonFSxFullAccess'] },
  cloudWatch: { namespace: 'amazon-cloudwatch', serviceAccount: 'cloudwatch-agent', managedPolicies: ['CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess'] },
} as const satisfies Record<string, ControllerIdentity>;

/** The AWS Load Balancer Controller's permissions, condensed from its upstream iam_policy.json. */
export const LOAD_BALANCER_CONTROLLER_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } } },
    {
      Effect: 'Allow',
      Action: [
        'ec2:Describe*',
        'ec2:GetCoipPoolUsage',
        'ec2:GetSecurityGroupsForVpc',
        'elasticloadbalancing:Describe*',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'cognito-idp:DescribeUserPoolClient',
        'waf-regional:GetWebACL',
        'waf-regional:GetWebACLForResource',
        'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState',
        'shield:DescribeProtection',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      Resource: '*',
    },
    { Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:CreateSecurityGroup'], Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: 'arn:aws:ec2:*:*:security-group/*', Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } } },
    {
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: 'arn:aws:ec2:*:*:security-group/*',
      Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [
        'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*',
        'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
      ],
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'],
      Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: '*',
      Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    { Effect: 'Allow', Action: ['elasticloadbalancing:AddTags'], Resource: '*', Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } } },
    { Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*' },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      Resource: '*',
    },
  ],
});

export interface EksControllersProps {
  /** The cluster's name as Terraform knows it (a reference to the cluster, so the add-ons wait for it). */
  readonly clusterName: string;
  /** The cluster's literal name, the base of the role names (a reference cannot be measured or cut to IAM's limit). */
  readonly nameBase: string;
  /** Install the EFS CSI driver add-on. */
  readonly efs: boolean;
  /** Install the FSx for Lustre CSI driver add-on. */
  readonly fsx: boolean;
  /** Install the Amazon CloudWatch Observability add-on (container logs and Container Insights). */
  readonly logs: boolean;
}

export class EksControllers extends Construct {
  /** Add-ons nodes need before they become ready (pod identity agent, VPC CNI, kube-proxy). */
  public readonly networking: EksAddon[];
  /** Every add-on, for what must wait until storage and DNS work. */
  public readonly all: EksAddon[];
  /**
   * The load balancer controller's role binding. The deploy path depends on it, so that `destroy` keeps the role
   * until every release is gone and the controller can still delete the load balancers of the exposed graphs.
   */
  public readonly loadBalancerControllerIdentity: EksPodIdentityAssociation;
  private readonly addon: (name: string, extra?: Partial<ConstructorParameters<typeof EksAddon>[2]>) => EksAddon;
  private readonly withIdentity: (key: keyof typeof CONTROLLER_IDENTITIES) => { podIdentityAssociation: { roleArn: string; serviceAccount: string }[] };
  private readonly props: EksControllersProps;

  constructor(scope: Construct, id: string, props: EksControllersProps) {
    super(scope, id);
    const role = (key: string, idn: ControllerIdentity) =>
      new ServiceRole(this, `${key}-role`, { name: awsName(props.nameBase, key, AWS_NAME_MAX.iamRole), service: POD_IDENTITY, managedPolicies: idn.managedPolicies, ...(idn.inlinePolicy && { inlinePolicy: idn.inlinePolicy }) });
    const addon = (name: string, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}) =>
      new EksAddon(this, name, { clusterName: props.clusterName, addonName: name, resolveConflictsOnCreate: 'OVERWRITE', resolveConflictsOnUpdate: 'PRESERVE', ...extra });
    const withIdentity = (key: keyof typeof CONTROLLER_IDENTITIES) => {
      const idn = CONTROLLER_IDENTITIES[key];
      return { podIdentityAssociation: [{ roleArn: role(key, idn).arn, serviceAccount: idn.serviceAccount }] };
    };

    this.addon = addon;
    this.withIdentity = withIdentity;
    this.props = props;
    const agent = addon('eks-pod-identity-agent');
    // The VPC CNI's network policy agent enforces our NetworkPolicies (default deny, per-component allow rules);
    // the add-on leaves it off unless told.
    const cni = addon('vpc-cni', { ...withIdentity('vpcCni'), configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }), dependsOn: [agent] });
    const proxy = addon('kube-proxy');
    this.networking = [agent, cni, proxy];
    this.all = [...this.networking];

    // The role of a controller installed later by the deploy path (the load balancer controller).
    const associate = (key: string, idn: ControllerIdentity) =>
      new EksPodIdentityAssociation(this, `${key}-association`, { clusterName: props.clusterName, namespace: idn.namespace, serviceAccount: idn.serviceAccount, roleArn: role(key, idn).arn });
    this.loadBalancerControllerIdentity = associate('loadBalancerController', { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', managedPolicies: [], inlinePolicy: LOAD_BALANCER_CONTROLLER_POLICY });
  }

  /** The add-ons that run as Deployments (DNS, CSI controllers): created once these nodes exist. */
  public installOnNodes(nodes: ITerraformDependable[]): EksAddon[] {
    const onNodes = { dependsOn: nodes };
    const added = [
      this.addon('coredns', onNodes),
      this.addon('aws-ebs-csi-driver', { ...this.withIdentity('ebsCsi'), ...onNodes }),
      ...(this.props.efs ? [this.addon('aws-efs-csi-driver', { ...this.withIdentity('efsCsi'), ...onNodes })] : []),
      ...(this.props.fsx ? [this.addon('aws-fsx-csi-driver', { ...this.withIdentity('fsxCsi'), ...onNodes })] : []),
      // Fluent Bit and the CloudWatch agent, with their own role (never the node role).
      ...(this.props.logs ? [this.addon('amazon-cloudwatch-observability', { ...this.withIdentity('cloudWatch'), ...onNodes })] : []),
    ];
    this.all.push(...added);
    return added;
  }
}
