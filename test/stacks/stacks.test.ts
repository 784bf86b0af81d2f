/**
 * The cdktf app: three stacks synthesize to plain Terraform JSON with the pinned providers in their full source
 * form, relative state paths, and only their own provider.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthK8sTarget } from '../../charts/synth.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { CLOUD_TARGETS, type CloudTarget } from '../../spec/schema.js';
import { VERSIONS } from '../../spec/versions.js';
import { specsFrom } from '../support/synth.js';

type TfJson = { provider: Record<string, unknown>; terraform: { required_providers: Record<string, { source: string; version: string }>; backend: Record<string, { path: string }> }; output: Record<string, { value: string }> };

let out: string;
const stack = (t: CloudTarget): TfJson => JSON.parse(readFileSync(join(out, 'stacks', t, 'cdk.tf.json'), 'utf8')) as TfJson;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'tf-'));
  const specs = specsFrom();
  buildTerraformApp(specs, out).synth();
});

describe('cloud stacks', () => {
  it('embed the Kubernetes files they are handed, so that a run synthesizes each target once', () => {
    const specs = specsFrom();
    const files = synthK8sTarget(specs.eks);
    const marked = files.map((f) => (f.path.endsWith('/20-nats.k8s.yaml') ? { ...f, content: `${f.content}# handed-over\n` } : f));
    const dir = mkdtempSync(join(tmpdir(), 'tf-'));
    buildTerraformApp(specs, dir, { eks: marked }).synth();
    // The platform manifests go into a local Helm chart, an asset folder of the stack.
    const natsFiles = (t: CloudTarget) =>
      readdirSync(join(dir, 'stacks', t), { recursive: true, encoding: 'utf8' })
        .filter((p) => p.endsWith('20-nats.k8s.yaml'))
        .map((p) => readFileSync(join(dir, 'stacks', t, p), 'utf8'));
    expect(natsFiles('eks').length).toBeGreaterThan(0);
    expect(natsFiles('eks').every((c) => c.endsWith('# handed-over\n'))).toBe(true);
    expect(natsFiles('aks').some((c) => c.includes('# handed-over'))).toBe(false);
  });

  it('one stack per cloud', () => {
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['aks', 'eks', 'gke']);
  });

  it.each([
    ['eks', 'aws', VERSIONS.providers.aws],
    ['aks', 'azurerm', VERSIONS.providers.azurerm],
    ['gke', 'google', VERSIONS.providers.google],
  ] as const)('%s: the %s provider (helm for the deploy path, http for the deployer address, time on aks and gke), pinned by full source address and exact version', (target, name, ref) => {
    const tf = stack(target);
    const helm = { helm: { source: VERSIONS.providers.helm.source, version: VERSIONS.providers.helm.providerVersion } };
    const http = { http: { source: VERSIONS.unboundProviders.http.source, version: VERSIONS.unboundProviders.http.providerVersion } };
    // AKS waits for Key Vault role assignments to propagate, GKE for its service agent (hashicorp/time).
    const time = target !== 'eks' ? { time: { source: VERSIONS.unboundProviders.time.source, version: VERSIONS.unboundProviders.time.providerVersion } } : {};
    expect(Object.keys(tf.provider).sort()).toEqual(Object.keys({ [name]: 1, ...helm, ...http, ...time }).sort());
    expect(tf.terraform.required_providers).toEqual({ [name]: { source: ref.source, version: ref.providerVersion }, ...helm, ...http, ...time });
  });

  it.each(CLOUD_TARGETS)('%s: state in a relative path outside cdktf.out; cluster facts as outputs', (target) => {
    const tf = stack(target);
    expect(tf.terraform.backend).toEqual({ local: { path: `../../../terraform.${target}.tfstate` } });
    expect(tf.output['cluster_name']!.value).toBe('dynamo');
    expect(tf.output['kubernetes_version']!.value).toBe(VERSIONS.kubernetes[target]);
  });
});
