/**
 * The output folder of a synth is replaced all at once, and a file unchanged since the previous output is linked, not
 * written again: it keeps its inode and modification time; a changed or new file is written; a file gone from the
 * new output is gone; a failed run leaves the previous output as it was.
 */
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it("only a plain file the previous run wrote is linked: not a symlink, not a file with another name, not another mode, not other bytes that decode alike", () => {
    const dir = mkdtempSync(join(tmpdir(), 'staged-'));
    const final = join(dir, 'dist');
    write(final, { 'sym.yaml': 'x\n', 'shared.yaml': 'x\n', 'mode.yaml': 'x\n', 'bytes.yaml': '\uFFFDA' });
    // A symlink (to a file with the same bytes), a user's hard link elsewhere, a changed mode, bytes that are not UTF-8.
    writeFileSync(join(dir, 'elsewhere'), 'x\n');
    rmSync(join(final, 'sym.yaml'));
    symlinkSync(join(dir, 'elsewhere'), join(final, 'sym.yaml'));
    linkSync(join(final, 'shared.yaml'), join(dir, 'backup'));
    chmodSync(join(final, 'mode.yaml'), 0o600);
    writeFileSync(join(final, 'bytes.yaml'), Buffer.from([0xf0, 0x9f, 0x98, 0x41]));
    write(final, { 'sym.yaml': 'x\n', 'shared.yaml': 'x\n', 'mode.yaml': 'x\n', 'bytes.yaml': '\uFFFDA' });
    expect(lstatSync(join(final, 'sym.yaml')).isSymbolicLink()).toBe(false);
    expect(statSync(join(final, 'shared.yaml')).ino).not.toBe(statSync(join(dir, 'backup')).ino);
    expect(statSync(join(final, 'mode.yaml')).mode & 0o777).not.toBe(0o600);
    expect([...readFileSync(join(final, 'bytes.yaml'))]).toEqual([...Buffer.from('\uFFFDA')]);
  });

  it("a setuid file, and files reached through a symlinked folder or a symlinked output, are written, not linked (the user's files keep one name)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'staged-'));
    const final = join(dir, 'dist');
    write(final, { 'suid.yaml': 'x\n', 'sub/f.yaml': 'x\n' });
    chmodSync(join(final, 'suid.yaml'), 0o4644);
    // The user's own folder, linked in where the output's sub/ was.
    mkdirSync(join(dir, 'users'));
    writeFileSync(join(dir, 'users', 'f.yaml'), 'x\n');
    rmSync(join(final, 'sub'), { recursive: true });
    symlinkSync(join(dir, 'users'), join(final, 'sub'));
    write(final, { 'suid.yaml': 'x\n', 'sub/f.yaml': 'x\n' });
    expect(statSync(join(final, 'suid.yaml')).mode & 0o7777).not.toBe(0o4644);
    expect(statSync(join(dir, 'users', 'f.yaml')).nlink).toBe(1);
    // The whole output a symlink to the user's folder.
    const elsewhere = join(dir, 'mine');
    write(elsewhere, { 'g.yaml': 'y\n' });
    const linked = join(dir, 'linked');
    symlinkSync(elsewhere, linked);
    write(linked, { 'g.yaml': 'y\n' });
    expect(statSync(join(elsewhere, 'g.yaml')).nlink).toBe(1);
    expect(readFileSync(join(linked, 'g.yaml'), 'utf8')).toBe('y\n');
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
