/** The cluster-autoscaler's IAM role, bound by EKS Pod Identity to its service account. */
import { EksPodIdentityAssociation } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLUSTER_AUTOSCALER_IDENTITY, clusterAutoscalerPolicy } from './cluster-autoscaler.js';
import { AWS_NAME_MAX, awsName } from '../../../spec/profile/aws-names.js';
import { ServiceRole } from './iam.js';

export interface EksClusterAutoscalerIdentityProps {
  /** The literal name: it is part of the policy's tag condition. */
  readonly clusterName: string;
  /** What must exist first (the cluster: the literal name carries no reference to it). */
  readonly dependsOn?: ITerraformDependable[];
}

/** The cluster-autoscaler's role and its Pod Identity association (the Helm release depends on the association). */
export class EksClusterAutoscalerIdentity extends Construct {
  public readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: EksClusterAutoscalerIdentityProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'role', {
      name: awsName(props.clusterName, 'cluster-autoscaler', AWS_NAME_MAX.iamRole),
      service: 'pods.eks.amazonaws.com',
      managedPolicies: [],
      inlinePolicy: clusterAutoscalerPolicy(props.clusterName),
    });
    this.association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: CLUSTER_AUTOSCALER_IDENTITY.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_IDENTITY.serviceAccount,
      roleArn: role.arn,
      ...(props.dependsOn && { dependsOn: props.dependsOn }),
    });
  }
}
