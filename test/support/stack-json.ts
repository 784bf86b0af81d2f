/** One cloud stack's synthesized Terraform JSON for a spec file text, as `npm run synth` writes it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTerraformApp } from '../../stacks/app.js';
import type { CloudTarget } from '../../spec/schema.js';
import { specsFrom } from './synth.js';

export function stackJson<T>(target: CloudTarget, yaml?: string): T {
  const out = mkdtempSync(join(tmpdir(), `${target}-`));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return JSON.parse(readFileSync(join(out, 'stacks', target, 'cdk.tf.json'), 'utf8')) as T;
}
