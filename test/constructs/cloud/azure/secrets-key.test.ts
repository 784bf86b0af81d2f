/**
 * AKS KMS etcd encryption, walked over the synthesized stack (test/support/tf-graph.ts). AKS refuses a system-assigned
 * control-plane identity for KMS and checks the key access when it creates the cluster
 * (learn.microsoft.com/azure/aks/use-kms-etcd-encryption), so: the cluster runs under a user-assigned identity, and
 * every role assignment of that identity (on the key, on the subnet) is created, and given time to propagate, before
 * the cluster; the deployer's Crypto Officer grant propagates before the key is created (Key Vault answers 403
 * ForbiddenByRbac until then). The vault and key are protected like the other stateful resources, a public vault has
 * no firewall (AKS's KMS plugin cannot pass one), the key never expires, and a brought key creates no vault or key.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AKS_KEY_ROTATION, aksKeyVaultName, KEY_VAULT_CRYPTO_OFFICER, KEY_VAULT_CRYPTO_USER } from '../../../../constructs/cloud/azure/secrets-key.js';
import { clusterSchema } from '../../../../spec/schema.js';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';
import { TfGraph, type TfJson } from '../../../support/tf-graph.js';

function graphOf(yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), 'aks-kms-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as TfJson);
}

const KEY_ID = 'https://byo-vault.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const VAULT_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/keys/providers/Microsoft.KeyVault/vaults/byo-vault';
const BYO = `targets: { aks: { cluster: { encryption: { secretsKey: ${KEY_ID}, keyVaultId: ${VAULT_ID} } } } }`;

/** The address a `${address.attr}` reference names. */
const ref = (v: unknown): string => /^\$\{((?:data\.)?[a-z_]+\.[^.}]+)/.exec(String(v))?.[1] ?? '';
const clusterOf = (g: TfGraph) => g.ofType('azurerm_kubernetes_cluster')[0]!;
const controlPlaneIdentity = (g: TfGraph) => ref((g.body(clusterOf(g))['identity'] as { identity_ids: string[] }).identity_ids[0]);
const grantsTo = (g: TfGraph, principal: string) => g.ofType('azurerm_role_assignment').filter((a) => ref(g.body(a)['principal_id']) === principal);
const sleeps = (g: TfGraph) => g.ofType('time_sleep');

describe.each([
  ['created key', undefined],
  ['brought key', BYO],
])('AKS KMS, %s', (_, yaml) => {
  const g = graphOf(yaml);
  const cluster = clusterOf(g);
  const body = g.body(cluster);

  it('the cluster runs under a user-assigned control-plane identity and encrypts Secrets with a versioned key over the public vault path', () => {
    expect(body['identity']).toMatchObject({ type: 'UserAssigned' });
    expect(controlPlaneIdentity(g)).toMatch(/^azurerm_user_assigned_identity\./);
    expect(body['key_management_service']).toMatchObject({ key_vault_network_access: 'Public' });
  });

  it('every role assignment of the control-plane identity exists, and has had time to propagate, before the cluster', () => {
    const grants = grantsTo(g, controlPlaneIdentity(g));
    expect(grants.map((a) => g.body(a)['role_definition_name']).sort()).toEqual([KEY_VAULT_CRYPTO_USER, 'Network Contributor']);
    expect(sleeps(g)).toHaveLength(1);
    const [sleep] = sleeps(g);
    expect(g.missing(sleep!, grants)).toEqual([]);
    expect(g.reaches(cluster, sleep!)).toBe(true);
  });

  it('the wait is keyed on every grant it waits for, so a replaced grant gets a wait of its own', () => {
    for (const sleep of sleeps(g)) {
      const waitedFor = g.ofType('azurerm_role_assignment').filter((a) => g.reaches(sleep, a));
      expect(waitedFor.length).toBeGreaterThan(0);
      const triggers = Object.values((g.body(sleep)['triggers'] as Record<string, string> | undefined) ?? {});
      expect(triggers.map(ref).sort()).toEqual([...waitedFor].sort());
      for (const t of triggers) expect(t).toMatch(/\.id\}$/);
    }
  });

  it('the control-plane identity and its Crypto User grant are prevent_destroy with protectStatefulResources (AKS does not support deleting the KMS identity), and not without it', () => {
    const cryptoUser = (h: TfGraph) => grantsTo(h, controlPlaneIdentity(h)).filter((a) => h.body(a)['role_definition_name'] === KEY_VAULT_CRYPTO_USER);
    expect(cryptoUser(g)).toHaveLength(1);
    for (const a of [controlPlaneIdentity(g), ...cryptoUser(g)]) expect(g.body(a)['lifecycle'], a).toMatchObject({ prevent_destroy: true });
    const off = graphOf([yaml, 'cluster: { protectStatefulResources: false }'].filter(Boolean).join('\n'));
    for (const a of [controlPlaneIdentity(off), ...cryptoUser(off)]) expect((off.body(a)['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ?? false, a).toBe(false);
  });
});

describe('AKS KMS with the key the stack creates', () => {
  const g = graphOf();
  const cluster = clusterOf(g);
  const [vault] = g.ofType('azurerm_key_vault');
  const [key] = g.ofType('azurerm_key_vault_key');

  it('a vault with RBAC, soft delete and purge protection, public with no firewall (AKS KMS with a public vault), premium for an HSM key', () => {
    expect(g.body(vault!)).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      sku_name: 'premium',
      public_network_access_enabled: true,
      network_acls: { default_action: 'Allow' },
    });
  });

  it('an RSA-HSM key that rotates yearly and never expires (an expired key stops the API server), for encrypt and decrypt only', () => {
    const k = g.body(key!);
    expect(k).toMatchObject({ key_type: 'RSA-HSM', key_opts: ['encrypt', 'decrypt'], rotation_policy: { automatic: { time_after_creation: AKS_KEY_ROTATION } } });
    expect(k['expiration_date']).toBeUndefined();
    expect((k['rotation_policy'] as Record<string, unknown>)['expire_after']).toBeUndefined();
  });

  it('the cluster is handed the key\'s current version (a data source of the key), so an apply after a rotation moves it on', () => {
    const id = (g.body(cluster)['key_management_service'] as { key_vault_key_id: string }).key_vault_key_id;
    expect(ref(id)).toMatch(/^data\.azurerm_key_vault_key\./);
    expect(g.reaches(ref(id), key!)).toBe(true);
  });

  it('the deployer creates the key as Crypto Officer, after the grant has propagated', () => {
    const officer = g.ofType('azurerm_role_assignment').filter((a) => g.body(a)['role_definition_name'] === KEY_VAULT_CRYPTO_OFFICER);
    expect(officer).toHaveLength(1);
    expect(ref(g.body(officer[0]!)['principal_id'])).toMatch(/^data\.azurerm_client_config\./);
    expect(g.reaches(key!, sleeps(g)[0]!)).toBe(true);
    expect(g.reaches(sleeps(g)[0]!, officer[0]!)).toBe(true);
  });

  it('vault and key are prevent_destroy with protectStatefulResources, and not without it', () => {
    for (const a of [vault!, key!]) expect(g.body(a)['lifecycle']).toMatchObject({ prevent_destroy: true });
    const off = graphOf('cluster: { protectStatefulResources: false }');
    for (const t of ['azurerm_key_vault', 'azurerm_key_vault_key']) expect(off.body(off.ofType(t)[0]!)['lifecycle']).toMatchObject({ prevent_destroy: false });
  });
});

describe('AKS KMS with a brought key', () => {
  const g = graphOf(BYO);

  it('creates no vault and no key, hands the cluster the given version, and grants Crypto User on that key only', () => {
    expect(g.ofType('azurerm_key_vault')).toEqual([]);
    expect(g.ofType('azurerm_key_vault_key')).toEqual([]);
    expect((g.body(clusterOf(g))['key_management_service'] as { key_vault_key_id: string }).key_vault_key_id).toBe(KEY_ID);
    const user = g.ofType('azurerm_role_assignment').filter((a) => g.body(a)['role_definition_name'] === KEY_VAULT_CRYPTO_USER);
    expect(user.map((a) => g.body(a)['scope'])).toEqual([`${VAULT_ID}/keys/etcd`]);
    expect(g.ofType('azurerm_role_assignment').some((a) => g.body(a)['role_definition_name'] === KEY_VAULT_CRYPTO_OFFICER)).toBe(false);
  });
});

describe('the Key Vault name', () => {
  const max = clusterSchema.shape.name.maxLength!;
  const VAULT_NAME = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

  it(`is a valid Key Vault name (3-24, letters, digits, single hyphens, letter first) for cluster names of 1 to ${max} characters`, () => {
    const names = Array.from({ length: max }, (_, i) => i + 1).flatMap((n) => ['a'.repeat(n), `${'a-'.repeat(n).slice(0, n - 1)}z`, '9x'.repeat(n).slice(0, n), `${'b'.repeat(Math.max(0, n - 2))}--`.slice(0, n)]);
    for (const name of names.filter((n) => clusterSchema.shape.name.safeParse(n).success)) {
      const vault = aksKeyVaultName(name, 'abc123');
      expect(vault, name).toMatch(VAULT_NAME);
      expect(vault, name).not.toContain('--');
    }
  });
});
