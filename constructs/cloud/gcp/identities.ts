/**
 * GKE identities: a node service account with only the roles nodes need (logs, metrics, image pulls), instead of
 * the Compute Engine default account, and a service account for workloads, bound through Workload Identity to the
 * Kubernetes service account that needs cloud access.
 */
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { Construct } from 'constructs';

export const NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
] as const;

/** The Kubernetes service account (namespace/name) the workload service account is bound to. */
export const WORKLOAD_KSA = 'dynamo-gcp';

export interface GkeIdentitiesProps {
  readonly clusterName: string;
  readonly project: string;
  /** Namespace of the workloads. */
  readonly workloadNamespace: string;
}

export class GkeIdentities extends Construct {
  public readonly nodeServiceAccountEmail: string;
  public readonly workloadServiceAccountEmail: string;

  constructor(scope: Construct, id: string, props: GkeIdentitiesProps) {
    super(scope, id);
    const node = new ServiceAccount(this, 'nodes', { accountId: `${props.clusterName}-nodes`.slice(0, 30), displayName: `GKE ${props.clusterName} nodes` });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `nodes-${role.split('/')[1]!.replace(/\./g, '-')}`, { project: props.project, role, member: `serviceAccount:${node.email}` });
    }
    const workloads = new ServiceAccount(this, 'workloads', { accountId: `${props.clusterName}-workloads`.slice(0, 30), displayName: `GKE ${props.clusterName} workloads` });
    new ServiceAccountIamMember(this, 'workload-identity', {
      serviceAccountId: workloads.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.project}.svc.id.goog[${props.workloadNamespace}/${WORKLOAD_KSA}]`,
    });
    this.nodeServiceAccountEmail = node.email;
    this.workloadServiceAccountEmail = workloads.email;
  }
}
