/**
 * AksSecretsKey: the Key Vault key AKS encrypts Kubernetes Secrets in etcd with (KMS etcd encryption, public key
 * vault), and the grants it needs, in the order AKS needs them (learn.microsoft.com/azure/aks/use-kms-etcd-encryption):
 *
 * - KMS works only with a user-assigned control-plane identity: a system-assigned one does not exist before the
 *   cluster, and AKS checks the key access when it creates the cluster. The caller passes that identity's principal;
 *   the identity gets Key Vault Crypto User (encrypt, decrypt) on the vault (or, for a brought key, on the key).
 * - The vault: Azure RBAC authorization, soft delete with purge protection (deleting the key or the vault makes every
 *   Secret unreadable), premium for an HSM-protected key. Public network access with no firewall: AKS's KMS plugin
 *   reaches a public vault from the control plane, and a vault restricted to networks or IP addresses blocks it; a
 *   private vault needs API Server VNet Integration, which this stack does not build.
 * - The key: RSA-HSM 2048 with encrypt and decrypt, a rotation policy that adds a version every year, and no expiry
 *   (AKS's KMS detector: "Operation encrypt isn't allowed on an expired key"; Secrets written under an old version
 *   need it valid). AKS takes a versioned key id; the cluster is handed the current version, read through a data
 *   source, so the apply after a rotation moves the cluster to the new version (AKS's documented key rotation) while
 *   the older versions keep decrypting what they wrote.
 * - The deployer creates the key and its rotation policy as Key Vault Crypto Officer; every grant is given time to
 *   reach Key Vault (RbacPropagation) before the key or the cluster uses it.
 */
import { DataAzurermKeyVaultKey, KeyVault, KeyVaultKey, RoleAssignment } from './provider.cjs';
import { Fn } from '../cdktf.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_KEY_ID } from '../../../spec/encryption.js';
import { type Grant, RbacPropagation } from './rbac-propagation.js';

export const KEY_VAULT_CRYPTO_USER = 'Key Vault Crypto User';
export const KEY_VAULT_CRYPTO_OFFICER = 'Key Vault Crypto Officer';
/** Yearly: a new key version, picked up by the cluster at the next apply. */
export const AKS_KEY_ROTATION = 'P1Y';

/**
 * A Key Vault name (global, 3-24 characters, letters, digits and single hyphens, starting with a letter) for a
 * cluster: `kms-` and up to 13 characters of the cluster name, then six hex digits of a hash that the caller computes
 * in Terraform from the subscription and the cluster name, so that two subscriptions' `dynamo` clusters differ.
 */
export function aksKeyVaultName(clusterName: string, hash: string): string {
  const stem = clusterName.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').slice(0, 13).replace(/-+$/, '');
  return `kms-${stem ? `${stem}-` : ''}${hash}`;
}

export interface AksSecretsKeyProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The principal running Terraform: creates the key. */
  readonly deployerObjectId: string;
  /** The cluster's user-assigned control-plane identity (principal id). */
  readonly principalId: string;
  /** prevent_destroy on the vault, the key and the control-plane identity's Key Vault Crypto User grant. */
  readonly protect: boolean;
  /** A brought key: versioned key id and its vault's resource id. @default - a vault and key are created */
  readonly existing?: { readonly keyId: string; readonly keyVaultId: string };
  /** More grants the cluster needs effective when it is created (waited for with these). @default - none */
  readonly grants?: readonly Grant[];
  /** hashicorp/time, pinned. */
  readonly timeProvider: { readonly source: string; readonly providerVersion: string };
}

export class AksSecretsKey extends Construct {
  /** Versioned key id for `key_management_service.key_vault_key_id`. */
  public readonly keyId: string;
  /** The wait after every grant: the cluster depends on it. */
  public readonly ready: ITerraformDependable;
  public readonly vault?: KeyVault;
  public readonly key?: KeyVaultKey;

  constructor(scope: Construct, id: string, props: AksSecretsKeyProps) {
    super(scope, id);
    const grant = (gid: string, scopeId: string, role: string, principalId: string, service: boolean, protect = false) =>
      new RoleAssignment(this, gid, {
        scope: scopeId,
        roleDefinitionName: role,
        principalId,
        ...(service && { skipServicePrincipalAadCheck: true }),
        ...(protect && { lifecycle: { preventDestroy: true } }),
      });
    // Without the control plane's Crypto User grant the API server cannot decrypt Secrets: protected like the key.
    const cryptoUser = (scopeId: string) => grant('control-plane-crypto-user', scopeId, KEY_VAULT_CRYPTO_USER, props.principalId, true, props.protect);
    const grants: Grant[] = [...(props.grants ?? [])];

    if (props.existing) {
      const [, , keyName] = AZURE_KEY_ID.exec(props.existing.keyId) ?? [];
      if (!keyName) throw new Error(`AksSecretsKey: existing.keyId "${props.existing.keyId}" is not a versioned Key Vault key id`);
      // Least privilege on a vault we do not own: the one key.
      grants.push(cryptoUser(`${props.existing.keyVaultId}/keys/${keyName}`));
      this.ready = new RbacPropagation(this, 'rbac-propagation', { after: grants, provider: props.timeProvider }).wait;
      this.keyId = props.existing.keyId;
      return;
    }

    const hash = Fn.substr(Fn.sha1(Fn.join('/', [props.subscriptionId, props.clusterName])), 0, 6);
    this.vault = new KeyVault(this, 'vault', {
      name: aksKeyVaultName(props.clusterName, hash),
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: 'premium',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: true,
      networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' },
      lifecycle: { preventDestroy: props.protect },
    });
    grants.push(
      grant('deployer-crypto-officer', this.vault.id, KEY_VAULT_CRYPTO_OFFICER, props.deployerObjectId, false),
      cryptoUser(this.vault.id),
    );
    this.ready = new RbacPropagation(this, 'rbac-propagation', { after: grants, provider: props.timeProvider }).wait;
    this.key = new KeyVaultKey(this, 'key', {
      name: `${props.clusterName}-etcd`,
      keyVaultId: this.vault.id,
      keyType: 'RSA-HSM',
      keySize: 2048,
      keyOpts: ['encrypt', 'decrypt'],
      rotationPolicy: { automatic: { timeAfterCreation: AKS_KEY_ROTATION } },
      lifecycle: { preventDestroy: props.protect },
      dependsOn: [this.ready],
    });
    // The current version (the resource keeps the version it created).
    this.keyId = new DataAzurermKeyVaultKey(this, 'current', { name: this.key.name, keyVaultId: this.vault.id }).id;
  }
}
