/**
 * GkeSecretsKey: the Cloud KMS key GKE encrypts Kubernetes Secrets in etcd with (application-layer secrets
 * encryption), and the grant GKE needs before it creates the cluster. Facts (GKE "Encrypt secrets at the application
 * layer"; terraform-google-modules/terraform-google-kubernetes-engine examples/simple_autopilot_private_cmek, whose
 * cluster `depends_on` the key's IAM member):
 *
 * - The key must be in the cluster's location (a regional cluster: the same region), symmetric ENCRYPT_DECRYPT.
 * - The GKE service agent `service-<project number>@container-engine-robot.iam.gserviceaccount.com` needs Cloud KMS
 *   CryptoKey Encrypter/Decrypter on the key before the cluster is created, or GKE refuses it. Google creates the agent
 *   asynchronously, some time after the Kubernetes Engine API reports enabled: a grant right after the enablement
 *   fails on a fresh project with 400 "Service account service-N@container-engine-robot... does not exist"
 *   (GoogleCloudPlatform/gke-enterprise-mt#2, ServiceWeaver/weaver-gke#45), which the google provider's IAM
 *   read-modify-write does not retry. google-beta's `google_project_service_identity` would create the agent, but
 *   there is no binding of google-beta here: the grant waits for a `time_sleep` of GKE_SERVICE_AGENT_WAIT_SECONDS
 *   after the enablement, keyed on the API's id (a re-enabled API gets its own wait). The project number comes from
 *   the project (data source), never from the project id.
 * - Rotation every 90 days: GKE encrypts new writes with the primary version; older versions keep decrypting what they
 *   wrote, so none may be disabled or destroyed while the cluster lives.
 * - Key rings cannot be deleted and a key's name stays taken after its versions are destroyed: both are prevent_destroy
 *   with protectStatefulResources, and a stack re-created after a destroy imports them (README).
 */
import { DataGoogleProject, KmsCryptoKey, KmsCryptoKeyIamMember, KmsKeyRing } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { TimeSleep } from '../time-sleep.js';

export const GKE_KMS_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';
/** 90 days in seconds: Cloud KMS rotates the key and makes the new version primary. */
export const GKE_KEY_ROTATION = '7776000s';

/** How long the grant waits after the Kubernetes Engine API is enabled, for Google to create the service agent. */
export const GKE_SERVICE_AGENT_WAIT_SECONDS = 90;

/** The GKE service agent of a project, by project number. */
export const gkeServiceAgent = (projectNumber: string): string => `service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`;

export interface GkeSecretsKeyProps {
  readonly clusterName: string;
  /** The cluster's region: the key ring's location. */
  readonly region: string;
  /** prevent_destroy on the key ring and key. */
  readonly protect: boolean;
  /** A brought key (`projects/../locations/<region>/keyRings/../cryptoKeys/..`). @default - a key ring and key are created */
  readonly existingKey?: string;
  /** The Cloud KMS API (key ring, key and grant wait for it). */
  readonly kmsApi: readonly ITerraformDependable[];
  /** The Kubernetes Engine API: its service agent appears some time after it is enabled. */
  readonly containerApi: readonly (ITerraformDependable & { readonly id: string })[];
  /** The Cloud Resource Manager API (the project number lookup). */
  readonly projectApi: readonly ITerraformDependable[];
  /** hashicorp/time, pinned (the wait for the service agent). */
  readonly timeProvider: { readonly source: string; readonly providerVersion: string };
}

export class GkeSecretsKey extends Construct {
  /** The key name for `database_encryption.key_name`. */
  public readonly keyName: string;
  /** The service agent's grant on the key: the cluster depends on it. */
  public readonly grant: KmsCryptoKeyIamMember;
  /** The wait for the service agent after the Kubernetes Engine API is enabled. */
  public readonly agentWait: ITerraformDependable;
  public readonly keyRing?: KmsKeyRing;
  public readonly key?: KmsCryptoKey;

  constructor(scope: Construct, id: string, props: GkeSecretsKeyProps) {
    super(scope, id);
    if (props.existingKey) {
      this.keyName = props.existingKey;
    } else {
      this.keyRing = new KmsKeyRing(this, 'ring', {
        name: `${props.clusterName}-secrets`,
        location: props.region,
        lifecycle: { preventDestroy: props.protect },
        dependsOn: [...props.kmsApi],
      });
      this.key = new KmsCryptoKey(this, 'key', {
        name: 'etcd',
        keyRing: this.keyRing.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: GKE_KEY_ROTATION,
        lifecycle: { preventDestroy: props.protect },
      });
      this.keyName = this.key.id;
    }
    const project = new DataGoogleProject(this, 'project', { dependsOn: [...props.projectApi] });
    this.agentWait = new TimeSleep(this, 'service-agent-wait', {
      after: props.containerApi,
      provider: props.timeProvider,
      seconds: GKE_SERVICE_AGENT_WAIT_SECONDS,
      triggers: Object.fromEntries(props.containerApi.map((api, i) => [`container_api_${i}`, api.id])),
    }).wait;
    this.grant = new KmsCryptoKeyIamMember(this, 'service-agent', {
      cryptoKeyId: this.keyName,
      role: GKE_KMS_ROLE,
      member: `serviceAccount:${gkeServiceAgent(project.number)}`,
      dependsOn: [this.agentWait, ...props.containerApi, ...props.kmsApi],
    });
  }
}
