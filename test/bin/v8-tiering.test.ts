/**
 * The one-shot interrupt budget takes effect when set at run time: a hot function reaches V8's optimizing compiler
 * after about four times as many calls as with V8's default, and `DYNAMO_IAC_ONE_SHOT=off` leaves the default.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const PROBE = `
await import(${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'bin', 'v8-tiering.js')).href)});
function f(x) { let s = 0; for (let i = 0; i < 10; i++) s += x * i; return s; }
// Optimized, or marked or being compiled for it.
const tiered = () => (%GetOptimizationStatus(f) & (16 | 256 | 512 | 1024)) !== 0;
let calls = 0;
while (!tiered() && calls < 20000) for (let i = 0; i < 10; i++, calls++) f(i);
console.log(calls);
`;

const callsToTierUp = (oneShot: string) => {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', PROBE], { encoding: 'utf8', env: { ...process.env, DYNAMO_IAC_ONE_SHOT: oneShot } });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.trim());
};

describe('V8 tiering of one-shot runs', () => {
  it('a function tiers up after about 4x the calls; off leaves the default', () => {
    const [tuned, plain] = [callsToTierUp(''), callsToTierUp('off')];
    expect(plain).toBeGreaterThan(0);
    expect(plain).toBeLessThan(20000);
    expect(tuned).toBeGreaterThanOrEqual(3 * plain);
  });
});
