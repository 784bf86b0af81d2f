/**
 * `cluster.encryption`: the brought Secrets key is checked against what each cloud API takes (AKS a versioned Key
 * Vault key id and the vault holding it; GKE a Cloud KMS key in the cluster's region; EKS creates its own), and the
 * AKS-only fields are refused elsewhere. Each message names the field and the rule.
 */
import { describe, expect, it } from 'vitest';
import { problemsOf } from '../support/synth.js';

const AKS_KEY = 'https://kv-a.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const VAULT = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`;
const on = (target: string, encryption: string) => `targets: { ${target}: { cluster: { encryption: ${encryption} } } }`;
/** The problems of the target's spec, without the `targets.<target>.` prefix the loader adds. */
const problems = (target: string, encryption: string) => problemsOf(on(target, encryption)).map((p) => p.replace(`targets.${target}.`, ''));

describe('cluster.encryption', () => {
  it('accepts the defaults and well-formed brought keys', () => {
    expect(problemsOf('')).toEqual([]);
    expect(problems('aks', `{ secretsKey: ${AKS_KEY}, keyVaultId: ${VAULT('kv-a')} }`)).toEqual([]);
    expect(problems('aks', '{ atHost: true }')).toEqual([]);
    expect(problems('gke', '{ secretsKey: projects/my-project/locations/us-central1/keyRings/r/cryptoKeys/k }')).toEqual([]);
  });

  it('AKS: a versioned key id, the vault named too, and the same vault', () => {
    expect(problems('aks', `{ secretsKey: https://kv-a.vault.azure.net/keys/etcd, keyVaultId: ${VAULT('kv-a')} }`)[0]).toMatch(/^cluster\.encryption\.secretsKey: must be a versioned Key Vault key identifier/);
    expect(problems('aks', `{ secretsKey: ${AKS_KEY} }`)[0]).toMatch(/^cluster\.encryption\.keyVaultId: an AKS secretsKey needs the resource id of its vault/);
    expect(problems('aks', `{ secretsKey: ${AKS_KEY}, keyVaultId: /subscriptions/x/vaults/kv-a }`)[0]).toMatch(/^cluster\.encryption\.keyVaultId: must be \/subscriptions\//);
    expect(problems('aks', `{ secretsKey: ${AKS_KEY}, keyVaultId: ${VAULT('kv-b')} }`)[0]).toMatch(/keyVaultId: names vault kv-b, but secretsKey is in vault kv-a/);
    expect(problems('aks', `{ keyVaultId: ${VAULT('kv-a')} }`)[0]).toMatch(/keyVaultId: names the vault of an AKS secretsKey/);
  });

  it('GKE: a Cloud KMS key name, in the cluster\'s region', () => {
    expect(problems('gke', '{ secretsKey: my-key }')[0]).toMatch(/^cluster\.encryption\.secretsKey: must be a Cloud KMS key name/);
    expect(problems('gke', '{ secretsKey: projects/my-project/locations/global/keyRings/r/cryptoKeys/k }')[0]).toMatch(/secretsKey: the key is in location global; GKE encrypts Secrets only with a key in the cluster's region \(us-central1\)/);
  });

  it('EKS creates its own key; encryption at host and keyVaultId are AKS settings', () => {
    expect(problems('eks', '{ secretsKey: arn:aws:kms:us-west-2:111122223333:key/x }')[0]).toMatch(/secretsKey: the EKS stack creates its own KMS key/);
    expect(problems('gke', '{ atHost: true }')[0]).toMatch(/atHost: encryption at host is an AKS setting; on gke leave it false/);
    expect(problems('gke', `{ secretsKey: projects/p-123/locations/us-central1/keyRings/r/cryptoKeys/k, keyVaultId: ${VAULT('kv-a')} }`)[0]).toMatch(/keyVaultId: names the vault of an AKS secretsKey/);
  });
});
