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
import { TfGraph, type TfJson } from '../support/tf-graph.js';

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

describe('our stacks reference nothing outside themselves (what skipping the preparing pass relies on)', () => {
  const specs = specsFrom(`graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n}, expose: { mode: load-balancer } }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`);
  const out = mkdtempSync(join(tmpdir(), 'independent-'));
  buildTerraformApp(specs, out).synth();

  it.each(CLOUD_TARGETS)('%s: every resource and data source its expressions name is its own', (stack) => {
    const graph = new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TfJson);
    expect(graph.resourceAddresses().length).toBeGreaterThan(20);
    expect(graph.undeclaredReferences()).toEqual([]);
  });

  it('a reference from one of our stacks to another is found (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'independent-'));
    const app = buildTerraformApp(specsFrom(''), dir);
    const [eks, gke] = [app.node.children.find((c) => c instanceof EksStack)!, app.node.children.find((c) => c.node.id === 'gke')!];
    const vpc = eks.node.findAll().find((c): c is TerraformResource => TerraformResource.isTerraformResource(c))!;
    new TerraformOutput(gke, 'leak', { value: vpc.getStringAttribute('id') });
    app.synth();
    const graph = new TfGraph(JSON.parse(readFileSync(join(dir, 'stacks', 'gke', 'cdk.tf.json'), 'utf8')) as TfJson);
    expect(graph.undeclaredReferences()).toEqual([`${vpc.terraformResourceType}.${vpc.friendlyUniqueId}`]);
  });
});
