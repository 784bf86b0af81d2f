/**
 * Every source file is an input of the build by tsconfig's `include`, not only by being imported: `tsc -b` decides
 * whether the build is up to date from the included files alone, so an edited file outside `include` (a `.cts` facade
 * reached by import) would not be rebuilt by `npm run build`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/env.js';

const SOURCE_DIRS = ['spec', 'constructs', 'charts', 'stacks', 'bin', 'tools'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'go' ? [] : sources(p);
    return /\.c?ts$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.d.cts') ? [relative(ROOT, p)] : [];
  });
}

describe('tsconfig include', () => {
  it('covers every .ts and .cts source file', () => {
    const include = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
    const covered = (file: string) =>
      include.some((pattern) => {
        if (!pattern.includes('*')) return pattern === file;
        const [dir, ext] = [pattern.split('/**/')[0]!, pattern.split('*').pop()!];
        return file.startsWith(`${dir}/`) && file.endsWith(ext) && !(ext === '.ts' && file.endsWith('.cts'));
      });
    const files = SOURCE_DIRS.flatMap((d) => sources(join(ROOT, d)));
    expect(files.some((f) => f.endsWith('.cts'))).toBe(true);
    expect(files.filter((f) => !covered(f))).toEqual([]);
  });
});
