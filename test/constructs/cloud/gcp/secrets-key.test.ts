/**
 * GKE application-layer secrets encryption, walked over the synthesized stack (test/support/tf-graph.ts): the cluster
 * encrypts Secrets with a Cloud KMS key in its own region, and waits for the GKE service agent's Encrypter/Decrypter
 * grant on that key (GKE refuses to create the cluster without it; terraform-google-kubernetes-engine's CMEK example
 * makes the cluster depend on the key's IAM member). The agent is named by the project number from the project data
 * source, the grant waits for the Kubernetes Engine API (which creates the agent), and every KMS resource for the
 * Cloud KMS API. Key ring and key are prevent_destroy with protectStatefulResources; a brought key creates neither.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GKE_KEY_ROTATION, GKE_KMS_ROLE } from '../../../../constructs/cloud/gcp/secrets-key.js';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';
import { TfGraph, type TfJson } from '../../../support/tf-graph.js';

function graphOf(yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), 'gke-kms-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', 'gke', 'cdk.tf.json'), 'utf8')) as TfJson);
}

const KEY = 'projects/keys-project/locations/us-central1/keyRings/shared/cryptoKeys/gke-etcd';
const BYO = `targets: { gke: { cluster: { encryption: { secretsKey: ${KEY} } } } }`;
const ref = (v: unknown): string => /^\$\{((?:data\.)?[a-z_]+\.[^.}]+)/.exec(String(v))?.[1] ?? '';
const api = (g: TfGraph, name: string) => g.ofType('google_project_service').find((a) => g.body(a)['service'] === name)!;
const encryption = (g: TfGraph) => g.body(g.ofType('google_container_cluster')[0]!)['database_encryption'] as { state: string; key_name: string };

describe.each([
  ['created key', undefined],
  ['brought key', BYO],
])('GKE secrets encryption, %s', (_, yaml) => {
  const g = graphOf(yaml);
  const [cluster] = g.ofType('google_container_cluster');
  const grants = g.ofType('google_kms_crypto_key_iam_member');

  it('the cluster encrypts Secrets with the key, after the GKE service agent may use it', () => {
    expect(encryption(g).state).toBe('ENCRYPTED');
    expect(grants).toHaveLength(1);
    const grant = g.body(grants[0]!);
    expect(grant['role']).toBe(GKE_KMS_ROLE);
    expect(grant['crypto_key_id']).toBe(encryption(g).key_name);
    expect(g.reaches(cluster!, grants[0]!)).toBe(true);
  });

  it('the agent is service-<project number>@container-engine-robot, the number read from the project, after the Kubernetes Engine API', () => {
    const member = String(g.body(grants[0]!)['member']);
    expect(member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.[^.]+\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/);
    expect(g.reaches(grants[0]!, api(g, 'container.googleapis.com'))).toBe(true);
    expect(g.reaches(grants[0]!, api(g, 'cloudkms.googleapis.com'))).toBe(true);
  });
});

describe('GKE secrets encryption with the key the stack creates', () => {
  const g = graphOf();
  const [ring] = g.ofType('google_kms_key_ring');
  const [key] = g.ofType('google_kms_crypto_key');

  it('a key ring in the cluster\'s region and a symmetric key rotated every 90 days, handed to the cluster', () => {
    expect(g.body(ring!)['location']).toBe(g.body(g.ofType('google_container_cluster')[0]!)['location']);
    expect(g.body(key!)).toMatchObject({ purpose: 'ENCRYPT_DECRYPT', rotation_period: GKE_KEY_ROTATION });
    expect(ref(encryption(g).key_name)).toBe(key);
    expect(g.reaches(key!, api(g, 'cloudkms.googleapis.com'))).toBe(true);
  });

  it('key ring and key are prevent_destroy with protectStatefulResources, and not without it', () => {
    for (const a of [ring!, key!]) expect(g.body(a)['lifecycle']).toMatchObject({ prevent_destroy: true });
    const off = graphOf('cluster: { protectStatefulResources: false }');
    for (const t of ['google_kms_key_ring', 'google_kms_crypto_key']) expect(off.body(off.ofType(t)[0]!)['lifecycle']).toMatchObject({ prevent_destroy: false });
  });
});

describe('GKE secrets encryption with a brought key', () => {
  it('creates no key ring and no key, and hands the cluster the given key', () => {
    const g = graphOf(BYO);
    expect(g.ofType('google_kms_key_ring')).toEqual([]);
    expect(g.ofType('google_kms_crypto_key')).toEqual([]);
    expect(encryption(g).key_name).toBe(KEY);
  });
});
