/**
 * GKE identities: a node service account with only the roles nodes need (logs, metrics, image pulls), instead of
 * the Compute Engine default account, and a service account for workloads, bound through Workload Identity to the
 * Kubernetes service account that needs cloud access.
 */
import { ProjectIamMember, ServiceAccount, ServiceAccountIamMember } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GCP_SERVICE_ACCOUNT_ID, type GkeServiceAccountRole, gkeServiceAccountId } from '../../../spec/profile/gcp-names.js';

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
  /**
   * The cluster's Workload Identity pool, as a reference to the cluster (GkeCluster.workloadPool): the binding
   * fails with "Identity Pool does not exist" until the project's first such cluster exists.
   */
  readonly workloadPool: string;
  /** What the service accounts and their bindings wait for (the IAM API). */
  readonly iamApi?: readonly ITerraformDependable[];
  /** What the project role grants wait for (the Cloud Resource Manager API). */
  readonly projectIamApi?: readonly ITerraformDependable[];
}

export class GkeIdentities extends Construct {
  public readonly nodeServiceAccountEmail: string;
  public readonly workloadServiceAccountEmail: string;

  constructor(scope: Construct, id: string, props: GkeIdentitiesProps) {
    super(scope, id);
    const iam = [...(props.iamApi ?? [])];
    const accountId = (role: GkeServiceAccountRole) => {
      const id = gkeServiceAccountId(props.clusterName, role);
      if (!GCP_SERVICE_ACCOUNT_ID.test(id)) throw new Error(`GkeIdentities: clusterName "${props.clusterName}" gives the ${role} service account id "${id}", which is not ${GCP_SERVICE_ACCOUNT_ID.source} (start the name with a letter)`);
      return id;
    };
    const node = new ServiceAccount(this, 'nodes', { accountId: accountId('nodes'), displayName: `GKE ${props.clusterName} nodes`, dependsOn: iam });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `nodes-${role.split('/')[1]!.replace(/\./g, '-')}`, { project: props.project, role, member: `serviceAccount:${node.email}`, dependsOn: [...(props.projectIamApi ?? [])] });
    }
    const workloads = new ServiceAccount(this, 'workloads', { accountId: accountId('workloads'), displayName: `GKE ${props.clusterName} workloads`, dependsOn: iam });
    new ServiceAccountIamMember(this, 'workload-identity', {
      serviceAccountId: workloads.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.workloadPool}[${props.workloadNamespace}/${WORKLOAD_KSA}]`,
    });
    this.nodeServiceAccountEmail = node.email;
    this.workloadServiceAccountEmail = workloads.email;
  }
}
