/**
 * The cloud stacks skip cdktf's preparing pass only when every stack of the app is one of them: the Terraform JSON is
 * the same as with the pass, and in an app that adds a stack of its own, a reference from one of ours to it is wired
 * across the stacks as cdktf wires it (an output there, remote state here).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTerraformApp } from '../../stacks/app.js';
import { EksStack } from '../../stacks/eks-stack.js';
import { IndependentStack } from '../../stacks/independent-stack.js';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';

const stacksOf = (out: string) => Object.fromEntries(CLOUD_TARGETS.map((s) => [s, readFileSync(join(out, 'stacks', s, 'cdk.tf.json'), 'utf8')]));

afterEach(() => vi.restoreAllMocks());

describe('IndependentStack', () => {
  it.each([
    ['the defaults', ''],
    ['every example graph, exposed', `graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`],
  ])('%s: the same Terraform JSON with and without the preparing pass', (_, yaml) => {
    const specs = specsFrom(yaml);
    const fast = mkdtempSync(join(tmpdir(), 'independent-'));
    const prepare = vi.spyOn(TerraformStack.prototype, 'prepareStack');
    buildTerraformApp(specs, fast).synth();
    // Our stacks' own prepareStack did not hand over to cdktf's.
    expect(prepare).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    const slow = mkdtempSync(join(tmpdir(), 'independent-'));
    vi.spyOn(IndependentStack.prototype, 'prepareStack').mockImplementation(function (this: IndependentStack) {
      TerraformStack.prototype.prepareStack.call(this);
    });
    buildTerraformApp(specs, slow).synth();
    expect(stacksOf(fast)).toEqual(stacksOf(slow));
  });

  it("an app with a stack of its own prepares as cdktf's: a reference from our stack to it becomes its output and our remote state", () => {
    const out = mkdtempSync(join(tmpdir(), 'independent-'));
    const app = buildTerraformApp(specsFrom(''), out);
    const eks = app.node.children.find((c): c is EksStack => c instanceof EksStack)!;
    const mine = new TerraformStack(app, 'mine');
    const mineResource = new TerraformResource(mine, 'thing', { terraformResourceType: 'null_resource' });
    // A reference from our stack to the app's own: found only by our stack's own preparing pass.
    new TerraformOutput(eks, 'from-mine', { value: mineResource.getStringAttribute('id') });
    app.synth();
    const json = (s: string) => JSON.parse(readFileSync(join(out, 'stacks', s, 'cdk.tf.json'), 'utf8')) as { output?: Record<string, { value: string }>; data?: Record<string, unknown> };
    const [eksJson, mineJson] = [json('eks'), json('mine')];
    expect(Object.keys(mineJson.output ?? {}).some((k) => k.startsWith('cross-stack-output-'))).toBe(true);
    expect(Object.keys(eksJson.data ?? {})).toContain('terraform_remote_state');
    expect(eksJson.output?.['from-mine']?.value).toContain('data.terraform_remote_state.');
    expect(readdirSync(join(out, 'stacks'))).toContain('mine');
  });
});
