/**
 * Golden files: every byte `npm run synth` writes for the default spec, committed under __golden__/, so that every
 * change to synthesized output shows up in review. Update deliberately with `npx vitest run test/golden -u`, then
 * read the diff.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthK8sTarget } from '../../charts/synth.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { CLOUD_TARGETS, TARGETS } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';

const specs = specsFrom();

describe('golden: Kubernetes manifests', () => {
  for (const target of TARGETS) {
    for (const file of synthK8sTarget(specs[target])) {
      it(file.path, async () => {
        await expect(file.content).toMatchFileSnapshot(`__golden__/dist/${file.path}`);
      });
    }
  }
});

describe('golden: the shipped example graphs (on eks)', () => {
  const withAll = specsFrom(`graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`).eks;
  const files = new Map(synthK8sTarget(withAll).map((f) => [f.path, f.content]));
  for (const name of EXAMPLE_NAMES) {
    it(name, async () => {
      await expect(files.get(`eks/50-graph-${name}.k8s.yaml`)).toMatchFileSnapshot(`__golden__/examples/${name}.k8s.yaml`);
    });
  }
});

describe('golden: Terraform JSON', () => {
  const out = mkdtempSync(join(tmpdir(), 'golden-tf-'));
  buildTerraformApp(specs, out).synth();
  for (const stack of CLOUD_TARGETS) {
    it(`${stack}/cdk.tf.json`, async () => {
      await expect(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toMatchFileSnapshot(`__golden__/cdktf.out/stacks/${stack}/cdk.tf.json`);
    });
  }
});
