/**
 * GkeSecretsKey: the Cloud KMS key GKE encrypts Kubernetes Secrets in etcd with (application-layer secrets
 * encryption), and the grant GKE needs before it creates the cluster. Facts (GKE "Encrypt secrets at the application
 * layer"; terraform-google-modules/terraform-google-kubernetes-engine examples/simple_autopilot_private_cmek, whose
 * cluster `depends_on` the key's IAM member):
 *
 * - The key must be in the cluster's location (a regional cluster: the same region), symmetric ENCRYPT_DECRYPT.
 * - The GKE service agent `service-<project number>@container-engine-robot.iam.gserviceaccount.com` needs Cloud KMS
 *   CryptoKey Encrypter/Decrypter on the key before the cluster is created, or GKE refuses it. The agent exists once the
 *   Kubernetes Engine API is enabled, so the grant waits for that API; the project number comes from the project
 *   (data source), never from the project id.
 * - Rotation every 90 days: GKE encrypts new writes with the primary version; older versions keep decrypting what they
 *   wrote, so none may be disabled or destroyed while the cluster lives.
 * - Key rings cannot be deleted and a key's name stays taken after its versions are destroyed: both are prevent_destroy
 *   with protectStatefulResources, and a stack re-created after a destroy imports them (README).
 */
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export const GKE_KMS_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';
/** 90 days in seconds: Cloud KMS rotates the key and makes the new version primary. */
export const GKE_KEY_ROTATION = '7776000s';

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
  /** The Kubernetes Engine API: its service agent exists once it is enabled. */
  readonly containerApi: readonly ITerraformDependable[];
  /** The Cloud Resource Manager API (the project number lookup). */
  readonly projectApi: readonly ITerraformDependable[];
}

export class GkeSecretsKey extends Construct {
  /** The key name for `database_encryption.key_name`. */
  public readonly keyName: string;
  /** The service agent's grant on the key: the cluster depends on it. */
  public readonly grant: KmsCryptoKeyIamMember;
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
    this.grant = new KmsCryptoKeyIamMember(this, 'service-agent', {
      cryptoKeyId: this.keyName,
      role: GKE_KMS_ROLE,
      member: `serviceAccount:${gkeServiceAgent(project.number)}`,
      dependsOn: [...props.containerApi, ...props.kmsApi],
    });
  }
}
