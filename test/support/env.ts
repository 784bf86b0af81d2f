/**
 * What a test needs from its surroundings, and what happens when it is missing: on a laptop the test is skipped
 * with a visible message; under CI=true a missing server or reference is a failure, so CI never passes by skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const REFERENCE = join(SHARED, 'reference');
export const IN_CI = process.env['CI'] === 'true';

/** The path of a binary on PATH, or undefined. */
export function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether a suite that needs `what` runs. Returns true to run; false to skip (and says so on stderr).
 * Under CI=true a missing requirement throws, which fails the test file.
 */
export function available(what: string, present: boolean, hint: string): boolean {
  if (present) return true;
  const msg = `${what} is not available (${hint})`;
  if (IN_CI) throw new Error(`CI=true: ${msg}; CI must not pass by skipping`);
  process.stderr.write(`\n[skip] ${msg}: these tests are skipped\n`);
  return false;
}

export const hasBinary = (bin: string, pkg: string): boolean => available(`the ${bin} binary`, which(bin) !== undefined, `apt-get install -y ${pkg}`);
export const hasReference = (): boolean => available(`../shared/reference`, existsSync(REFERENCE), `expected at ${REFERENCE}`);
