/**
 * AksControlPlaneIdentity: the user-assigned managed identity of the AKS control plane, and its Network Contributor
 * grant on the node subnet (created here or brought). User-assigned because the grants must exist before the cluster:
 * AKS checks the KMS key access when it creates the cluster (KMS etcd encryption refuses a system-assigned identity,
 * which exists only with the cluster), and the identity creates internal load balancers in the node subnet (without
 * the grant an internal LoadBalancer Service stays pending with 403 LinkedAuthorizationFailed).
 *
 * The identity holds the KMS key access: AKS's KMS guide does not support deleting it (the API server could no longer
 * decrypt Secrets), so it is prevent_destroy with protectStatefulResources, like the key vault and key.
 */
import { RoleAssignment, UserAssignedIdentity } from './provider.cjs';
import { Construct } from 'constructs';

export interface AksControlPlaneIdentityProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly nodeSubnetId: string;
  /** prevent_destroy on the identity. @default false */
  readonly protect?: boolean;
}

export class AksControlPlaneIdentity extends Construct {
  public readonly identity: UserAssignedIdentity;
  /** Network Contributor on the node subnet. */
  public readonly subnetGrant: RoleAssignment;

  constructor(scope: Construct, id: string, props: AksControlPlaneIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, 'identity', { name: `${props.clusterName}-control-plane`, resourceGroupName: props.resourceGroupName, location: props.location, lifecycle: { preventDestroy: props.protect ?? false } });
    this.subnetGrant = new RoleAssignment(this, 'subnet-network-contributor', {
      scope: props.nodeSubnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: this.identity.principalId,
      skipServicePrincipalAadCheck: true,
    });
  }
}
