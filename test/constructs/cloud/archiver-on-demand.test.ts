/**
 * cdktf loads without archiver (and its ~150 files), and an archive asset still comes out as a zip: cdktf zips in a
 * child process of its own (\`node lib/private/fs.js <src> <dest>\`), which loads the real archiver. Run in a fresh
 * node process on the built facades, as the synth loads them; the stand-in itself is called directly too.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/env.js';

const SCRIPT = `
const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const loaded = () => Object.keys(require.cache).filter((p) => /node_modules\\/(archiver|archiver-utils|zip-stream|compress-commons|readdir-glob)\\//.test(p) && !p.endsWith('archiver/index.js'));
const cdktf = require(${JSON.stringify(join(ROOT, 'build', 'constructs', 'cloud', 'cdktf.cjs'))});
require(${JSON.stringify(join(ROOT, 'build', 'constructs', 'cloud', 'aws', 'provider.cjs'))});
const before = loaded().length;
const tmp = mkdtempSync(join(tmpdir(), 'archive-'));
mkdirSync(join(tmp, 'src'));
writeFileSync(join(tmp, 'src', 'a.txt'), 'hello');
const app = new cdktf.App({ outdir: join(tmp, 'out') });
const stack = new cdktf.TerraformStack(app, 's');
new cdktf.TerraformAsset(stack, 'zip', { path: join(tmp, 'src'), type: cdktf.AssetType.ARCHIVE });
app.synth();
const find = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? find(join(d, f)) : [join(d, f)]));
const zips = find(join(tmp, 'out')).filter((f) => f.endsWith('.zip'));
const after = loaded().length;
const archiver = require(require('node:module').createRequire(require.resolve('cdktf')).resolve('archiver'));
const called = typeof archiver('zip', {}).pipe === 'function' && loaded().length > 5;
console.log(JSON.stringify({ before, after, called, zips: zips.map((z) => readFileSync(z).subarray(0, 4).toString('hex')) }));
`;

describe('archiver on demand', () => {
  it('cdktf and a provider load without archiver; an ARCHIVE asset is a zip; the stand-in, called, is the real archiver', () => {
    const r = spawnSync(process.execPath, ['-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: number; after: number; called: boolean; zips: string[] };
    expect(out.before).toBe(0);
    expect(out.after).toBe(0);
    expect(out.called).toBe(true);
    expect(out.zips).toEqual(['504b0304']);
  });
});
