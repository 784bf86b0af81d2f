/**
 * GcpApis: the project APIs a stack calls, enabled by Terraform (a fresh project has only a few on) and left on
 * at destroy: other workloads of the project may use them, and turning one off cascades to services that depend on
 * it (`disable_on_destroy` and `disable_dependent_services` false). The Service Usage API that enables them must be
 * on already (it is on new projects).
 */
import { ProjectService } from './provider.cjs';
import { Construct } from 'constructs';

/** Service names of the Google APIs, by what they serve. */
export const GCP_API = {
  compute: 'compute.googleapis.com',
  container: 'container.googleapis.com',
  iam: 'iam.googleapis.com',
  /** Short-lived credentials: Workload Identity exchanges tokens through it. */
  iamCredentials: 'iamcredentials.googleapis.com',
  /** Project IAM policies (google_project_iam_member). */
  resourceManager: 'cloudresourcemanager.googleapis.com',
  logging: 'logging.googleapis.com',
  monitoring: 'monitoring.googleapis.com',
  artifactRegistry: 'artifactregistry.googleapis.com',
  serviceNetworking: 'servicenetworking.googleapis.com',
  /** Filestore. */
  file: 'file.googleapis.com',
  /** Managed Lustre. */
  lustre: 'lustre.googleapis.com',
  /** Cloud KMS: the key that encrypts Secrets in etcd. */
  kms: 'cloudkms.googleapis.com',
} as const;
export type GcpApi = keyof typeof GCP_API;

export interface GcpApisProps {
  /** The APIs to enable. */
  readonly apis: readonly GcpApi[];
}

export class GcpApis extends Construct {
  private readonly services = new Map<GcpApi, ProjectService>();

  constructor(scope: Construct, id: string, props: GcpApisProps) {
    super(scope, id);
    for (const api of [...new Set(props.apis)].sort()) {
      this.services.set(api, new ProjectService(this, api, { service: GCP_API[api], disableOnDestroy: false, disableDependentServices: false }));
    }
  }

  /** The services of these APIs, for `depends_on`; throws when one was not enabled here. */
  of(...apis: GcpApi[]): ProjectService[] {
    return apis.map((api) => {
      const s = this.services.get(api);
      if (!s) throw new Error(`GcpApis: the ${api} API (${GCP_API[api]}) is not in this stack's list of APIs`);
      return s;
    });
  }
}
