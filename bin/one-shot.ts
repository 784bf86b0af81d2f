/**
 * What a one-shot command-line run sets before it loads anything else (imported first by bin/synth.ts and
 * bin/dynamo-iac.ts). A synth runs for one to a few seconds and does most of its work once; Node's defaults are
 * made for processes that run long. Nothing here changes what the run computes, only what it costs:
 *
 * - the V8 code cache of the CommonJS packages (compile-cache.cts);
 * - V8's interrupt budget at 4x its default (V8 11.3, Node 20: 67584): a function must run four times as long before
 *   V8 considers it for its optimizing compiler. In a run this short, most optimizations were not paying back the
 *   CPU of compiling them in a background thread (and of deoptimizing some again): measured interleaved on this
 *   machine, the default synth costs 5 to 10% less CPU, the synth of 300 extra graphs about 25% less, and of 1000
 *   still about 10% less (README, "Benchmark");
 * - zod without its JIT: zod 4 compiles each object schema into a function on its first parse, which pays off over
 *   many parses; a run here parses four specs once, and interpreted parsing costs less than the compilation.
 *
 * `DYNAMO_IAC_ONE_SHOT=off` runs with Node's and zod's defaults and no compile cache (`npm run bench` measures that
 * too).
 */
import './compile-cache.cjs';
import { setFlagsFromString } from 'node:v8';
import { z } from 'zod';

/** 4 x V8 11.3's default `--interrupt-budget`. */
export const INTERRUPT_BUDGET = 4 * 67_584;

if (process.env['DYNAMO_IAC_ONE_SHOT'] !== 'off') {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  z.config({ jitless: true });
}
