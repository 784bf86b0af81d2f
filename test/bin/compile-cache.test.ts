/**
 * The compile cache of the command-line entry points (bin/compile-cache.cts), on the built synth: a first run stores
 * V8's code for the CommonJS packages it loads; a second run is handed that code and accepts it (nothing is written
 * again) and writes the same output, as a run without the cache (`DYNAMO_IAC_COMPILE_CACHE=off`) does; data V8
 * rejects (corrupt, or from another V8) is compiled afresh and rewritten.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

const entries = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
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
    const [victim] = readdirSync(cache);
    writeFileSync(join(cache, victim!), 'not V8 code cache data');
    synth(cache, join(tmp, 'b'));
    expect(readFileSync(join(cache, victim!), 'utf8')).not.toBe('not V8 code cache data');
    expect(tree(join(tmp, 'b'))).toEqual(tree(join(tmp, 'a')));
  });

});
