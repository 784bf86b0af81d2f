/**
 * The compile cache of the command-line entry points (bin/compile-cache.cts), on the built synth: a first run stores
 * V8's code for the CommonJS packages it loads; a second run is handed that code and accepts it (nothing is written
 * again) and writes the same output, as a run without the cache (`DYNAMO_IAC_COMPILE_CACHE=off`) does; data V8
 * rejects (corrupt, or from another V8) is compiled afresh and rewritten.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const SYNTH = join(ROOT, 'build', 'bin', 'synth.js');

function synth(cache: string, dist: string) {
  const r = spawnSync(process.execPath, [SYNTH, '--only', 'k8s', '--dist', dist], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DYNAMO_IAC_CONFIG: '', DYNAMO_IAC_COMPILE_CACHE: cache },
  });
  expect(r.status, r.stderr).toBe(0);
}

/** The entries of the cache, in its one folder (per Node version and architecture). */
const entryDir = (cache: string) => {
  expect(readdirSync(cache)).toEqual([`${process.version}-${process.arch}`]);
  return join(cache, readdirSync(cache)[0]!);
};
const entries = (cache: string) => {
  const dir = entryDir(cache);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
};
const tree = (dir: string, sub = ''): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(dir, sub)).flatMap((f) => {
      const p = join(sub, f);
      return statSync(join(dir, p)).isDirectory() ? Object.entries(tree(dir, p)) : [[p, readFileSync(join(dir, p), 'utf8')]];
    }),
  );

describe('compile cache', () => {
  it('stores on the first run, is accepted on the second, and changes nothing in the output', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    const cache = join(tmp, 'cache');
    synth(cache, join(tmp, 'a'));
    const first = entries(cache);
    // cdk8s, constructs, yaml and the rest: one entry per CommonJS file loaded from node_modules.
    expect(Object.keys(first).length).toBeGreaterThan(50);
    synth(cache, join(tmp, 'b'));
    expect(entries(cache)).toEqual(first);
    synth('off', join(tmp, 'c'));
    expect(tree(join(tmp, 'b'))).toEqual(tree(join(tmp, 'a')));
    expect(tree(join(tmp, 'c'))).toEqual(tree(join(tmp, 'a')));
  });

  it('data V8 rejects is compiled afresh and rewritten', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    const cache = join(tmp, 'cache');
    synth(cache, join(tmp, 'a'));
    const dir = entryDir(cache);
    const [victim] = readdirSync(dir);
    writeFileSync(join(dir, victim!), 'not V8 code cache data');
    synth(cache, join(tmp, 'b'));
    expect(readFileSync(join(dir, victim!), 'utf8')).not.toBe('not V8 code cache data');
    expect(tree(join(tmp, 'b'))).toEqual(tree(join(tmp, 'a')));
  });

});

/** A node_modules of small packages that exercise what the shim must leave to Node or keep as Node does. */
function packages(root: string): void {
  const pkg = (name: string, json: Record<string, unknown>, index: string) => {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, main: 'index.js', ...json }));
    writeFileSync(join(root, 'node_modules', name, 'index.js'), index);
  };
  pkg('typed-esm', { type: 'module' }, "export const x = 'typed';\n");
  pkg('untyped-esm', {}, "export const x = 'untyped';\n");
  pkg('dynamic', {}, "module.exports = () => import('node:path').then((m) => typeof m.join);\n");
  pkg('dynamic-comment', {}, "module.exports = () => import /* a comment */ ('node:path').then((m) => typeof m.join);\n");
  pkg('main-of', {}, 'module.exports = () => require.main && require.main.filename;\n');
  pkg('throws', {}, "module.exports = () => { throw new Error('here'); };\n");
  pkg('same-length', {}, "module.exports = 'AAAA';\n");
  // A whole second, which utimes sets exactly (the rewrite below puts it back).
  utimesSync(join(root, 'node_modules', 'same-length', 'index.js'), 1_700_000_000, 1_700_000_000);
}

const PROBE = `
require(${JSON.stringify(join(ROOT, 'build', 'bin', 'compile-cache.cjs'))});
const out = {};
for (const name of ['typed-esm', 'untyped-esm']) {
  try { out[name] = require(name).x; } catch (e) { out[name] = 'ERR ' + e.message; }
}
let where;
try { require('throws')(); } catch (e) { where = e.stack.split('\\n')[1].replace(/^.*index\\.js/, 'index.js'); }
out.throws = where;
out.sameLength = require('same-length');
Promise.all(['dynamic', 'dynamic-comment'].map((name) => require(name)().then((t) => { out[name] = t; }, (e) => { out[name] = 'ERR ' + e.message; }))).then(() => console.log(JSON.stringify(out)));
`;

describe('compile cache: what Node does is kept', () => {
  it('ES module packages, dynamic import, error positions, and a file rewritten to the same length and mtime', () => {
    const root = mkdtempSync(join(tmpdir(), 'compile-cache-pkgs-'));
    packages(root);
    const probe = (cache: string) => {
      const r = spawnSync(process.execPath, ['-e', PROBE], { cwd: root, encoding: 'utf8', env: { ...process.env, DYNAMO_IAC_COMPILE_CACHE: cache } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string>;
    };
    const plain = probe('off');
    expect(plain).toMatchObject({ 'typed-esm': 'typed', 'untyped-esm': 'untyped', dynamic: 'function', 'dynamic-comment': 'function', sameLength: 'AAAA' });
    expect(plain['throws']).toMatch(/^index\.js:1:\d+\)?$/);
    const cache = join(root, 'cache');
    expect(probe(cache)).toEqual(plain);
    expect(probe(cache)).toEqual(plain);
    // Rewritten in place, same length, the old modification time put back: its change time and cache key differ.
    const file = join(root, 'node_modules', 'same-length', 'index.js');
    const before = statSync(file);
    writeFileSync(file, "module.exports = 'BBBB';\n");
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const after = statSync(file);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    expect(probe(cache)).toEqual({ ...plain, sameLength: 'BBBB' });
  });
});

describe('compile cache: where it stays out, and what it cleans up', () => {
  it('no cache with source maps on; require.main of a package is the main module under -r too; other Node folders go', () => {
    const root = mkdtempSync(join(tmpdir(), 'compile-cache-pkgs-'));
    packages(root);
    writeFileSync(join(root, 'main.js'), "console.log(JSON.stringify({ main: require('main-of')() }));\n");
    const shim = join(ROOT, 'build', 'bin', 'compile-cache.cjs');
    const cache = join(root, 'cache');
    mkdirSync(join(cache, 'v0.0.0-old'), { recursive: true });
    writeFileSync(join(cache, 'stray.bin'), 'old layout');
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, DYNAMO_IAC_COMPILE_CACHE: cache } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { main: string };
    };
    expect(run(['--enable-source-maps', '-r', shim, 'main.js']).main).toBe(join(root, 'main.js'));
    expect(readdirSync(cache).sort()).toEqual(['stray.bin', 'v0.0.0-old']);
    expect(run(['-r', shim, 'main.js']).main).toBe(join(root, 'main.js'));
    expect(run(['-r', shim, 'main.js']).main).toBe(join(root, 'main.js'));
    expect(readdirSync(cache)).toEqual([`${process.version}-${process.arch}`]);
  });
});
