/**
 * Prometheus's data on the deploy path: the kube-prometheus-stack helm_release of every cloud stack carries the
 * spec's retention, size limit, scrape interval and volume, and the claim's StorageClass exists before the release
 * whose operator creates the claim. A claim naming a class that does not exist yet stays Pending (and EKS 1.30+ has no
 * default class at all), so: either a release creates the class and kube-prometheus-stack waits for it (depends_on,
 * transitively), or no release creates it and the cloud profile says the managed cluster has it from the start.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildTerraformApp } from '../../stacks/app.js';
import { cloudProfile } from '../../spec/profile/index.js';
import type { CloudTarget, Spec } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';
import { TfGraph, type TfJson } from '../support/tf-graph.js';

interface Synthesized {
  readonly graph: TfGraph;
  readonly spec: Spec;
  /** The stack's folder (local charts are assets relative to it). */
  readonly dir: string;
}

function synth(target: CloudTarget, yaml?: string): Synthesized {
  const out = mkdtempSync(join(tmpdir(), `prom-${target}-`));
  const specs = specsFrom(yaml);
  buildTerraformApp(specs, out).synth();
  const dir = join(out, 'stacks', target);
  return { graph: new TfGraph(JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as TfJson), spec: specs[target], dir };
}

/** StorageClass names a helm_release creates: the templates of a local chart, or a class passed whole as a value. */
function classesCreatedBy(s: Synthesized, address: string): string[] {
  const body = s.graph.body(address);
  const chart = String(body['chart']);
  const names: string[] = [];
  if (chart.startsWith('assets/')) {
    const templates = join(s.dir, chart, 'templates');
    for (const f of readdirSync(templates)) {
      for (const doc of parseAllDocuments(readFileSync(join(templates, f), 'utf8'))) {
        const o = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
        if (o?.kind === 'StorageClass' && o.metadata?.name) names.push(o.metadata.name);
      }
    }
  }
  for (const v of (body['values'] as string[] | undefined) ?? []) {
    for (const m of v.matchAll(/"kind" = "StorageClass", "metadata" = \{"name" = "([^"]+)"/g)) names.push(m[1]!);
  }
  return names;
}

const kps = (s: Synthesized) => {
  const found = s.graph.ofType('helm_release').filter((a) => s.graph.body(a)['name'] === 'kube-prometheus-stack');
  expect(found).toHaveLength(1);
  return found[0]!;
};

const VARIANTS: [string, CloudTarget, string | undefined][] = [
  ['EKS default', 'eks', undefined],
  ['EKS with Karpenter', 'eks', 'targets: { eks: { cluster: { autoscaler: karpenter } } }'],
  ['AKS default', 'aks', undefined],
  ['GKE default', 'gke', undefined],
  ['GKE, Prometheus on one of our classes', 'gke', 'observability: { prometheus: { storageClass: premium-rwo, retention: 30d, retentionSize: 80GB, storage: 100Gi, scrapeInterval: 15s } }'],
];

describe.each(VARIANTS)('%s', (_, target, yaml) => {
  const s = synth(target, yaml);
  const release = kps(s);
  const body = s.graph.body(release);
  const p = s.spec.observability.prometheus;
  const values = parse((body['values'] as string[])[0]!) as { prometheus: { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: Record<string, unknown> } } } } };
  const claim = values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec;

  it('the release carries the spec\'s retention, size limit, scrape interval and volume', () => {
    const set = Object.fromEntries((body['set'] as { name: string; value: string }[]).map((x) => [x.name, x.value]));
    expect(set).toMatchObject({
      'prometheus.prometheusSpec.retention': p.retention,
      'prometheus.prometheusSpec.retentionSize': p.retentionSize,
      'prometheus.prometheusSpec.scrapeInterval': p.scrapeInterval,
    });
    expect(claim).toEqual({ storageClassName: p.storageClass ?? cloudProfile(s.spec).storage.block!.name, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: p.storage } } });
  });

  it('the claim names a class (no cloud here has a default class to fall back on for certain: EKS 1.30+ has none)', () => {
    expect(typeof claim['storageClassName']).toBe('string');
  });

  it('the Prometheus claim\'s class exists before the release that creates the claim', () => {
    const name = String(claim['storageClassName']);
    const creators = s.graph.ofType('helm_release').filter((a) => classesCreatedBy(s, a).includes(name));
    if (creators.length === 0) {
      const profile = cloudProfile(s.spec).storage;
      const known = [profile.block, profile.modelCache, profile.compilationCache].find((c) => c?.name === name);
      expect(known?.createdBy, `${name}: no release creates it, so the managed cluster must`).toBe('cluster');
      return;
    }
    expect(creators).toHaveLength(1);
    expect(s.graph.reaches(release, creators[0]!), `kube-prometheus-stack does not wait for ${creators[0]}, which creates ${name}`).toBe(true);
  });
});

describe('Prometheus never on the model store (Prometheus docs/storage.md: NFS, EFS included, corrupts its TSDB)', () => {
  it.each([
    ['eks', 'efs-model-cache', /"efs-model-cache" is the eks model store's shared file system \(efs\.csi\.aws\.com\).*use the block class "gp3-encrypted"/],
    ['gke', 'filestore-model-cache', /is the gke model store's shared file system/],
  ] as const)('%s: %s is refused at synth, naming the field, the value and the rule', (target, name, message) => {
    const specs = specsFrom(`observability: { prometheus: { storageClass: ${name} } }`);
    const model = cloudProfile(specs[target]).storage.modelCache!;
    expect(model.name).toBe(name);
    expect(() => buildTerraformApp(specs, mkdtempSync(join(tmpdir(), 'prom-refused-'))).synth()).toThrow(message);
  });
});

describe('the check itself', () => {
  it('sees a class our manifests create on EKS, and the release creating it', () => {
    const s = synth('eks');
    const creators = s.graph.ofType('helm_release').filter((a) => classesCreatedBy(s, a).includes('gp3-encrypted'));
    expect(creators.map((a) => s.graph.body(a)['name'])).toEqual(['dynamo-iac-storage-classes']);
    const model = s.graph.ofType('helm_release').filter((a) => classesCreatedBy(s, a).includes('efs-model-cache'));
    expect(model.map((a) => s.graph.body(a)['name'])).toEqual(['dynamo-iac-storage']);
  });
});
