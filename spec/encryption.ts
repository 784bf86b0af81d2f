/**
 * `cluster.encryption`: the customer-managed key that encrypts Kubernetes Secrets in etcd (created by the stack, or
 * brought), and AKS encryption at host. The key formats are the ones the cloud APIs take: AKS a versioned Key Vault
 * key identifier (azurerm validates `key_management_service.key_vault_key_id` as versioned; AKS reads `key.kid`), GKE
 * a Cloud KMS crypto key name in the cluster's region (GKE refuses a key in another location).
 */
import { z } from './zod.cjs';

/** A versioned Key Vault key identifier: `https://<vault>.vault.azure.net/keys/<name>/<version>` (any Azure cloud). */
export const AZURE_KEY_ID = /^https:\/\/([a-z][a-z0-9-]{1,22}[a-z0-9])\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)\/keys\/([A-Za-z0-9-]{1,127})\/([0-9a-f]{32})$/i;
/** The resource id of a Key Vault: `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`. */
export const AZURE_KEY_VAULT_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/([a-z][a-z0-9-]{1,22}[a-z0-9])$/i;
/** A Cloud KMS crypto key: `projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>`. */
export const GCP_CRYPTO_KEY = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/([a-z0-9-]+)\/keyRings\/([A-Za-z0-9_-]{1,63})\/cryptoKeys\/([A-Za-z0-9_-]{1,63})$/;

export const encryptionSchema = z
  .strictObject({
    secretsKey: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Bring your own key for the envelope encryption of Kubernetes Secrets in etcd, instead of the one the stack creates. AKS: a versioned Key Vault key identifier (`https://<vault>.vault.azure.net/keys/<name>/<version>`, what `az keyvault key show --query key.kid` prints) in a vault with Azure RBAC authorization, public network access and no firewall (AKS KMS with a public vault); set `keyVaultId` too. GKE: a Cloud KMS key `projects/<p>/locations/<cluster region>/keyRings/<r>/cryptoKeys/<k>`. The stack grants the cluster\'s identity the use of it (AKS: Key Vault Crypto User on the key; GKE: Cloud KMS CryptoKey Encrypter/Decrypter for the GKE service agent) before it creates the cluster. Never delete or disable the key or its versions while the cluster lives: the API server cannot read Secrets without them. EKS creates its key (not supported there). @default - the stack creates one: AKS an RSA-HSM key with yearly rotation in a Key Vault with purge protection; GKE a key ring and a key rotated every 90 days in the cluster\'s region; both prevent_destroy with protectStatefulResources',
      ),
    keyVaultId: z
      .string()
      .optional()
      .describe('AKS with `secretsKey`: the resource id of the vault that holds it (`/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`), the scope of the Key Vault Crypto User grant. @default - none'),
    atHost: z
      .boolean()
      .describe('AKS: encryption at host on every node pool (temporary disks and the OS and data disk caches encrypted on the VM host). The subscription must have the `Microsoft.Compute/EncryptionAtHost` feature registered first (`az feature register --namespace Microsoft.Compute --name EncryptionAtHost`), and every pool\'s VM size must support it; AKS refuses the pool otherwise. Changing it on a running cluster cycles every pool through a temporary one (no drain; twice the pool\'s VM quota meanwhile). No effect elsewhere.'),
  })
  .describe('Encryption of Secrets with a customer-managed key, and of node disks.');

export type EncryptionSpec = z.output<typeof encryptionSchema>;

export interface EncryptionProblem {
  readonly path: string[];
  readonly message: string;
}

/** The rules of `cluster.encryption` on a target; paths relative to `cluster.encryption`. */
export function encryptionProblems(e: EncryptionSpec, target: string, region: string): EncryptionProblem[] {
  const out: EncryptionProblem[] = [];
  const add = (field: string, message: string) => out.push({ path: [field], message });
  if (e.atHost && target !== 'aks') add('atHost', `encryption at host is an AKS setting; on ${target} leave it false`);
  if (e.keyVaultId !== undefined && (target !== 'aks' || e.secretsKey === undefined)) add('keyVaultId', 'names the vault of an AKS secretsKey: set it on aks together with secretsKey');
  if (e.secretsKey === undefined) return out;
  if (target === 'eks') add('secretsKey', 'the EKS stack creates its own KMS key (it also encrypts the model store and the registry); bringing one is not supported on eks');
  if (target === 'aks') out.push(...azureKeyProblems(e.secretsKey, e.keyVaultId));
  if (target === 'gke') {
    const m = GCP_CRYPTO_KEY.exec(e.secretsKey);
    if (!m) add('secretsKey', `must be a Cloud KMS key name projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key> (${GCP_CRYPTO_KEY.source})`);
    else if (m[2] !== region) add('secretsKey', `the key is in location ${m[2]}; GKE encrypts Secrets only with a key in the cluster's region (${region})`);
  }
  return out;
}

function azureKeyProblems(keyId: string, vaultId: string | undefined): EncryptionProblem[] {
  const key = AZURE_KEY_ID.exec(keyId);
  if (!key) {
    return [{ path: ['secretsKey'], message: 'must be a versioned Key Vault key identifier https://<vault>.vault.azure.net/keys/<name>/<32 hex version> (AKS KMS takes a key version, not a versionless id)' }];
  }
  if (vaultId === undefined) return [{ path: ['keyVaultId'], message: 'an AKS secretsKey needs the resource id of its vault (the scope of the Key Vault Crypto User grant)' }];
  const vault = AZURE_KEY_VAULT_ID.exec(vaultId);
  if (!vault) return [{ path: ['keyVaultId'], message: 'must be /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>' }];
  if (vault[1]!.toLowerCase() !== key[1]!.toLowerCase()) {
    return [{ path: ['keyVaultId'], message: `names vault ${vault[1]}, but secretsKey is in vault ${key[1]}` }];
  }
  return [];
}
