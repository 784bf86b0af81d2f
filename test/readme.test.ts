/**
 * The README stays true: it leads with the two set-up commands, its generated sections (version matrix, install
 * commands, spec reference) equal what the code renders, and package.json pins what the version matrix says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderVersions, SECTIONS, updateReadme } from '../bin/readme-sections.js';
import { parseSpecFile, resolveSpecs } from '../spec/load.js';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { ROOT } from './support/env.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('README', () => {
  it('opens with the two set-up commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(firstBlock.split('\n')[0]).toMatch(/^npm ci && npm run synth\b/);
    expect(firstBlock.split('\n')[1]).toMatch(/^npm test\b/);
  });

  it('the example spec file resolves on every target', () => {
    const example = /```yaml\n# dynamo-iac\.yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const specs = resolveSpecs(parseSpecFile(example, 'README example'));
    expect((specs.eks as CloudSpec).cluster.gpuPools['h100']).toMatchObject({ fastNetwork: true });
    expect(specs.aks.graphs['llama']).toMatchObject({ router: 'kv' });
  });

  it.each(SECTIONS)('generated section "%s" is current (run npm run docs)', (section) => {
    const re = new RegExp(`<!-- BEGIN GENERATED: ${section} \\(npm run docs\\) -->\\n([\\s\\S]*?)\\n<!-- END GENERATED`);
    const current = re.exec(updateReadme(readme))![1];
    expect(re.exec(readme)?.[1]).toBe(current);
  });

  it('the version table lists every pinned image and chart', () => {
    const table = renderVersions();
    expect(table).toContain(`| \`${VERSIONS.dynamo.operatorImage.repository}\` | \`0.9.0\` |`);
    expect(table).toContain('| `nats` | `2.10.21-alpine` |');
    expect(table).toContain('(Helm chart)` | `v0.9.4` |');
    expect(table).toContain('(Helm chart)` | `v0.1.0-alpha.6` |');
  });

  it('package.json pins exactly the packages of the version matrix', () => {
    for (const p of Object.values(VERSIONS.providers)) expect(pkg.dependencies[p.package]).toBe(p.version);
    expect(pkg.dependencies['cdktf']).toBe(VERSIONS.cdk.cdktf);
    expect(pkg.dependencies['cdk8s']).toBe(VERSIONS.cdk.cdk8s);
    expect(pkg.dependencies['cdk8s-plus-28']).toBe(VERSIONS.cdk.cdk8sPlus);
    expect(pkg.dependencies['constructs']).toBe(VERSIONS.cdk.constructs);
  });

  it('no image is pinned to latest or left untagged', () => {
    const images = [VERSIONS.dynamo.operatorImage, ...Object.values(VERSIONS.dynamo.runtimeImages), VERSIONS.nats.image, VERSIONS.etcd.image];
    for (const i of images) expect(i.tag).toMatch(/^v?\d+\.\d+\.\d+/);
  });
});
