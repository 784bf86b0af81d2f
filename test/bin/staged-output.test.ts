/**
 * The output folder of a synth is replaced all at once, and a file unchanged since the previous output is linked, not
 * written again: it keeps its inode and modification time; a changed or new file is written; a file gone from the
 * new output is gone; a failed run leaves the previous output as it was.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagedOutput } from '../../bin/staged-output.js';

const write = (final: string, files: Record<string, string>) => {
  const out = new StagedOutput(final);
  for (const [p, c] of Object.entries(files)) out.write(p, c);
  out.swapIn();
};

describe('StagedOutput', () => {
  it('links unchanged files, writes changed and new ones, drops removed ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'staged-'));
    const final = join(dir, 'dist');
    write(final, { 'eks/a.yaml': 'a\n', 'eks/b.yaml': 'b\n', 'aks/gone.yaml': 'x\n' });
    const before = { a: statSync(join(final, 'eks/a.yaml')), b: statSync(join(final, 'eks/b.yaml')) };
    write(final, { 'eks/a.yaml': 'a\n', 'eks/b.yaml': 'B\n', 'gke/new.yaml': 'n\n' });
    const a = statSync(join(final, 'eks/a.yaml'));
    expect(a.ino).toBe(before.a.ino);
    expect(a.mtimeMs).toBe(before.a.mtimeMs);
    expect(a.nlink).toBe(1);
    expect(statSync(join(final, 'eks/b.yaml')).ino).not.toBe(before.b.ino);
    expect(readFileSync(join(final, 'eks/b.yaml'), 'utf8')).toBe('B\n');
    expect(readFileSync(join(final, 'gke/new.yaml'), 'utf8')).toBe('n\n');
    expect(existsSync(join(final, 'aks/gone.yaml'))).toBe(false);
    // Nothing else is left beside the output: no staging folder, no old copy.
    expect(readdirSync(dir)).toEqual(['dist']);
  });

  it('a file of the same size but other bytes is written, not linked', () => {
    const final = join(mkdtempSync(join(tmpdir(), 'staged-')), 'dist');
    write(final, { 'f.yaml': 'abc\n' });
    const ino = statSync(join(final, 'f.yaml')).ino;
    write(final, { 'f.yaml': 'abd\n' });
    expect(readFileSync(join(final, 'f.yaml'), 'utf8')).toBe('abd\n');
    expect(statSync(join(final, 'f.yaml')).ino).not.toBe(ino);
  });

  it('a previous entry that is a folder where a file goes is not linked', () => {
    const final = join(mkdtempSync(join(tmpdir(), 'staged-')), 'dist');
    mkdirSync(join(final, 'f.yaml'), { recursive: true });
    write(final, { 'f.yaml': 'x\n' });
    expect(readFileSync(join(final, 'f.yaml'), 'utf8')).toBe('x\n');
  });

  it('discard leaves the previous output untouched, and an unchanged file still has one name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'staged-'));
    const final = join(dir, 'dist');
    write(final, { 'f.yaml': 'x\n' });
    const out = new StagedOutput(final);
    out.write('f.yaml', 'x\n');
    out.write('g.yaml', 'y\n');
    out.discard();
    expect(readdirSync(final)).toEqual(['f.yaml']);
    expect(statSync(join(final, 'f.yaml')).nlink).toBe(1);
    expect(readdirSync(dir)).toEqual(['dist']);
    writeFileSync(join(final, 'f.yaml'), 'edited\n');
    expect(readFileSync(join(final, 'f.yaml'), 'utf8')).toBe('edited\n');
  });
});
