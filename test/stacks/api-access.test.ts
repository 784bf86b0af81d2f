/**
 * Who reaches the Kubernetes API of each cloud stack. Default: the public endpoint, limited to the address of the
 * machine running Terraform, looked up at plan time with hashicorp/http (pinned by full source address) and checked
 * by a postcondition; named ranges replace the lookup; `publicEndpoint: false` is private with no lookup; 0.0.0.0/0
 * is an explicit choice (a synth warning, test/spec/endpoint-warnings.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYER_ADDRESS_URL } from '../../constructs/cloud/deployer-address.js';
import { CLOUD_TARGETS, type Target } from '../../spec/schema.js';
import { VERSIONS } from '../../spec/versions.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { specsFrom } from '../support/synth.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface TfJson { resource: Record<string, Record<string, Obj>>; data?: Record<string, Record<string, Obj>>; provider: Obj; terraform: { required_providers: Obj } }
type Cloud = Exclude<Target, 'local'>;

function synth(yaml?: string): Record<Cloud, TfJson> {
  const out = mkdtempSync(join(tmpdir(), 'api-access-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return Object.fromEntries(CLOUD_TARGETS.map((t) => [t, JSON.parse(readFileSync(join(out, 'stacks', t, 'cdk.tf.json'), 'utf8')) as TfJson])) as Record<Cloud, TfJson>;
}

const only = (tf: TfJson, type: string): Obj => {
  const all = Object.values(tf.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0]!;
};

/** The ranges admitted to the public endpoint and whether it is public, read from each cloud's own arguments. */
const ACCESS: Record<Cloud, (tf: TfJson) => { public: boolean; cidrs: unknown[] }> = {
  eks: (tf) => {
    const vpc = only(tf, 'aws_eks_cluster')['vpc_config'];
    expect(vpc['endpoint_private_access']).toBe(true);
    return { public: vpc['endpoint_public_access'], cidrs: vpc['public_access_cidrs'] ?? [] };
  },
  aks: (tf) => {
    const c = only(tf, 'azurerm_kubernetes_cluster');
    return { public: c['private_cluster_enabled'] === false, cidrs: c['api_server_access_profile']?.['authorized_ip_ranges'] ?? [] };
  },
  gke: (tf) => {
    const c = only(tf, 'google_container_cluster');
    expect(c['private_cluster_config']['enable_private_nodes']).toBe(true);
    return { public: c['private_cluster_config']['enable_private_endpoint'] === false, cidrs: c['master_authorized_networks_config']['cidr_blocks'].map((b: Obj) => b['cidr_block']) };
  },
};

const lookups = (tf: TfJson) => Object.entries(tf.data?.['http'] ?? {});
const defaults = synth();

describe('the default: a public endpoint limited to the deployer, looked up at plan time', () => {
  it.each(CLOUD_TARGETS)('%s: one http lookup, its /32 the only admitted range, the provider pinned by full source', (cloud) => {
    const tf = defaults[cloud];
    const found = lookups(tf);
    expect(found).toHaveLength(1);
    const [name, lookup] = found[0]!;
    expect(lookup).toMatchObject({ url: DEPLOYER_ADDRESS_URL, provider: 'http' });
    // A generic data source writes its keys as given: each must be an argument of hashicorp/http 3.x's `data "http"`
    // (or a meta-argument), spelled as Terraform spells it; a camelCase key fails `terraform validate`.
    const ARGUMENTS = ['url', 'method', 'request_headers', 'request_body', 'request_timeout_ms', 'retry', 'insecure', 'ca_cert_pem', 'client_cert_pem', 'client_key_pem'];
    const META = ['//', 'provider', 'lifecycle', 'depends_on', 'count', 'for_each'];
    expect(Object.keys(lookup as object).filter((k) => !ARGUMENTS.includes(k) && !META.includes(k))).toEqual([]);
    expect(ACCESS[cloud](tf)).toEqual({ public: true, cidrs: [`\${chomp(data.http.${name}.response_body)}/32`] });
    expect(tf.terraform.required_providers['http']).toEqual({ source: 'hashicorp/http', version: VERSIONS.unboundProviders.http.providerVersion });
    expect(tf.provider).toHaveProperty('http');
  });

  it.each(CLOUD_TARGETS)('%s: every Helm release upgrades what exists (a refresh that cannot reach the API drops releases from the state; a plain install would then collide)', (cloud) => {
    const releases = Object.entries(defaults[cloud].resource['helm_release'] ?? {});
    expect(releases.length).toBeGreaterThan(2);
    for (const [id, r] of releases) expect(r['upgrade_install'], id).toBe(true);
  });

  it.each(CLOUD_TARGETS)('%s: a postcondition on status 200 and an IPv4 body, whose error names both ways out', (cloud) => {
    const [, lookup] = lookups(defaults[cloud])[0]!;
    const [post] = lookup['lifecycle']['postcondition'];
    expect(post.condition).toMatch(/^\$\{self\.status_code == 200 && .*self\.response_body.*\}$/);
    expect(post.error_message).toContain('cluster.network.publicAccessCidrs');
    expect(post.error_message).toContain('cluster.network.publicEndpoint: false');
    // Terraform wants an error message that ends a sentence.
    expect(post.error_message).toMatch(/[.?]$/);
  });

  it('the body check admits dotted quads of 0-255 only (the regex of the condition, run here)', () => {
    const [, lookup] = lookups(defaults.eks)[0]!;
    const source = /can\(regex\("([^"]+)", chomp\(self\.response_body\)\)\)/.exec(lookup['lifecycle']['postcondition'][0].condition)![1]!;
    const ipv4 = new RegExp(source);
    for (const ok of ['203.0.113.7', '0.0.0.0', '255.255.255.255', '10.0.0.1']) expect(ipv4.test(ok), ok).toBe(true);
    for (const bad of ['256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '2001:db8::1', '<html>1.2.3.4</html>', '']) expect(ipv4.test(bad), bad).toBe(false);
  });
});

describe('explicit choices', () => {
  it.each(CLOUD_TARGETS)('%s: named ranges replace the lookup (no http data source, no http provider)', (cloud) => {
    const tf = synth('cluster: { network: { publicAccessCidrs: [203.0.113.0/24, 198.51.100.7/32] } }')[cloud];
    expect(lookups(tf)).toEqual([]);
    expect(tf.terraform.required_providers).not.toHaveProperty('http');
    expect(tf.provider).not.toHaveProperty('http');
    expect(ACCESS[cloud](tf)).toEqual({ public: true, cidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
  });

  it.each(CLOUD_TARGETS)('%s: publicEndpoint false is private, with no lookup and no admitted range', (cloud) => {
    const tf = synth('cluster: { network: { publicEndpoint: false } }')[cloud];
    expect(lookups(tf)).toEqual([]);
    expect(tf.terraform.required_providers).not.toHaveProperty('http');
    expect(ACCESS[cloud](tf)).toEqual({ public: false, cidrs: [] });
  });

  it.each(CLOUD_TARGETS)('%s: 0.0.0.0/0 only when named, and then no lookup', (cloud) => {
    const tf = synth('cluster: { network: { publicAccessCidrs: [0.0.0.0/0] } }')[cloud];
    expect(lookups(tf)).toEqual([]);
    expect(ACCESS[cloud](tf)).toEqual({ public: true, cidrs: ['0.0.0.0/0'] });
    expect(ACCESS[cloud](defaults[cloud]).cidrs).not.toContain('0.0.0.0/0');
  });
});
