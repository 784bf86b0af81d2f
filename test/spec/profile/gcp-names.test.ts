/**
 * Google service account ids derived from the cluster name: IAM takes 6 to 30 characters matching
 * `^[a-z][-a-z0-9]{4,28}[a-z0-9]$` (google_service_account `account_id`), and two clusters of one project, or two
 * roles of one cluster, must not share an id. Property test over names of every length the spec accepts.
 */
import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../spec/schema.js';
import { gkeClusterProblems } from '../../../spec/profile/gcp-rules.js';
import { GKE_SERVICE_ACCOUNT_ROLES, GKE_SHORTENED_SERVICE_ACCOUNT_ID, gkeServiceAccountId, gkeStorageNetwork } from '../../../spec/profile/gcp-names.js';
import { problemsOf } from '../../support/synth.js';

const IAM_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** A small deterministic generator (mulberry32), so that a failure names a reproducible name. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const INNER = `${LETTERS}0123456789-`;

/** A DNS label of the given length starting with a letter: what the spec accepts as a GKE cluster name. */
function nameOf(length: number, next: () => number): string {
  const pick = (chars: string) => chars[Math.floor(next() * chars.length)]!;
  if (length === 1) return pick(LETTERS);
  let s = pick(LETTERS);
  while (s.length < length - 1) s += pick(INNER);
  return s + pick(`${LETTERS}0123456789`);
}

const MAX_NAME = clusterSchema.shape.name.maxLength!;
const next = random(17);
const names = new Set<string>();
for (let length = 1; length <= MAX_NAME; length++) {
  for (let i = 0; i < 40; i++) names.add(nameOf(length, next));
  // Names that differ only in their last characters, and hyphens where a shortened name would be cut.
  const base = 'a'.repeat(length);
  for (const tail of length > 1 ? ['b', 'c', '1', '2'] : ['b', 'c']) names.add(`${base.slice(0, -1)}${tail}`);
  if (length > 2) names.add(`${'ab-'.repeat(length).slice(0, length - 1)}z`);
}

describe('GKE service account ids', () => {
  it(`every accepted cluster name (1 to ${MAX_NAME} characters, ${names.size} names) is accepted, and gives valid ids`, () => {
    for (const name of names) {
      expect(clusterSchema.shape.name.safeParse(name).success, name).toBe(true);
      expect(gkeClusterProblems({ name, systemPool: { minNodes: 1, maxNodes: 3 }, gpuPools: {}, modelStorage: { kind: 'shared-file', tier: 'standard', size: '2560Gi' } }), name).toEqual([]);
      for (const role of GKE_SERVICE_ACCOUNT_ROLES) expect(gkeServiceAccountId(name, role), `${name} ${role}`).toMatch(IAM_ACCOUNT_ID);
    }
  });

  it('ids are pairwise distinct across names and roles', () => {
    const ids = new Map<string, string>();
    for (const name of names) {
      for (const role of GKE_SERVICE_ACCOUNT_ROLES) {
        const id = gkeServiceAccountId(name, role);
        expect(ids.get(id), `${name} ${role} -> ${id}`).toBeUndefined();
        ids.set(id, `${name} ${role}`);
      }
    }
  });

  it('a long name and a short name spelled like its shortened form get different ids', () => {
    // The shortened form was <prefix>-<6 hex>-<role>: the plain id of a cluster named <prefix>-<6 hex>.
    const long = 'dynamo-production-inference-cluster-01';
    const digest = '5a675e'; // sha256 of the long name, first 6 hex digits
    for (const role of GKE_SERVICE_ACCOUNT_ROLES) {
      const short = role === 'nodes' ? `dynamo-production-${digest}` : `dynamo-produc-${digest}`;
      expect(clusterSchema.shape.name.safeParse(short).success).toBe(true);
      expect(gkeServiceAccountId(short, role)).toBe(`${short}-${role}`);
      expect(gkeServiceAccountId(long, role), role).not.toBe(gkeServiceAccountId(short, role));
    }
  });

  it('the two forms are disjoint: a plain id never has the shortened shape, a shortened one always has', () => {
    for (const name of names) {
      for (const role of GKE_SERVICE_ACCOUNT_ROLES) {
        const id = gkeServiceAccountId(name, role);
        const shortened = `${name}-${role}`.length > 30;
        expect(GKE_SHORTENED_SERVICE_ACCOUNT_ID.test(id), `${name} ${role} -> ${id}`).toBe(shortened);
      }
    }
  });

  it('short names keep the readable <cluster>-<role> id', () => {
    expect(gkeServiceAccountId('dynamo', 'nodes')).toBe('dynamo-nodes');
    expect(gkeServiceAccountId('dynamo', 'workloads')).toBe('dynamo-workloads');
  });

  it('the spec refuses a GKE cluster name that does not start with a letter, and accepts the longest name', () => {
    expect(problemsOf('targets: { gke: { cluster: { name: 1dynamo } } }')).toEqual([
      'targets.gke.cluster.name: a GKE cluster name starts with a lower-case letter (so do the VPC and service account ids named after it), got "1dynamo"',
    ]);
    expect(problemsOf(`targets: { gke: { cluster: { name: ${'x'.repeat(MAX_NAME)} } } }`)).toEqual([]);
  });
});

describe('the network the storage classes name', () => {
  it('the VPC the stack creates, an existing network\'s short name, or its project path (a Shared VPC\'s) in full', () => {
    expect(gkeStorageNetwork({ name: 'dynamo', network: {} })).toBe('dynamo');
    expect(gkeStorageNetwork({ name: 'dynamo', network: { existing: { networkId: 'own-vpc' } } })).toBe('own-vpc');
    expect(gkeStorageNetwork({ name: 'dynamo', network: { existing: { networkId: 'projects/host/global/networks/shared' } } })).toBe('projects/host/global/networks/shared');
    expect(gkeStorageNetwork({ name: 'dynamo', network: { existing: { networkId: 'https://www.googleapis.com/compute/v1/projects/host/global/networks/vpc-a' } } })).toBe('projects/host/global/networks/vpc-a');
  });
});
