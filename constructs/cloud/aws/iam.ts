/** IAM helpers: roles for AWS services and for Kubernetes service accounts through EKS Pod Identity. */
import { IamRole, IamRolePolicyAttachment } from './provider.cjs';
import { Construct } from 'constructs';
import { AWS_NAME_MAX } from '../../../spec/profile/aws-names.js';

/** An AWS managed policy by name, e.g. `AmazonEKSClusterPolicy` or `service-role/AmazonEBSCSIDriverPolicy`. */
export const awsManagedPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

/** An IAM policy condition block: operator -> condition key -> value. */
export type IamCondition = Readonly<Record<string, Readonly<Record<string, string>>>>;

const trust = (principal: Record<string, string>, actions: string[], condition?: IamCondition) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: actions, ...(condition && { Condition: condition }) }] });

export interface ServiceRoleProps {
  /** At most 64 characters (IAM RoleName): derive it with `awsName`. */
  readonly name: string;
  /** `eks.amazonaws.com`, `ec2.amazonaws.com`, or `pods.eks.amazonaws.com` (Pod Identity). */
  readonly service: string;
  /** AWS managed policy names. */
  readonly managedPolicies: readonly string[];
  /** Inline policy documents (JSON). */
  readonly inlinePolicy?: string;
  /** A condition on the trust statement (e.g. aws:SourceAccount and aws:SourceArn against the confused deputy). @default - none */
  readonly trustCondition?: IamCondition;
}

/** A role an AWS service assumes, with managed policies attached. Pod Identity roles also allow sts:TagSession. */
export class ServiceRole extends Construct {
  public readonly role: IamRole;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.name.length > AWS_NAME_MAX.iamRole) {
      throw new Error(`ServiceRole: name "${props.name}" has ${props.name.length} characters; IAM role names have at most ${AWS_NAME_MAX.iamRole}`);
    }
    const actions = props.service === 'pods.eks.amazonaws.com' ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
    this.role = new IamRole(this, 'role', {
      name: props.name,
      assumeRolePolicy: trust({ Service: props.service }, actions, props.trustCondition),
      ...(props.inlinePolicy && { inlinePolicy: [{ name: 'policy', policy: props.inlinePolicy }] }),
    });
    this.arn = this.role.arn;
    for (const p of props.managedPolicies) new IamRolePolicyAttachment(this, p.replace(/[^A-Za-z0-9]/g, '-'), { role: this.role.name, policyArn: awsManagedPolicy(p) });
  }
}
