/**
 * What a one-shot command-line run sets before it loads anything else (imported first by bin/synth.ts and
 * bin/dynamo-iac.ts). A synth runs for one to a few seconds and does most of its work once; Node's defaults are
 * made for processes that run long. Nothing here changes what the run computes, only what it costs:
 *
 * - V8's interrupt budget at 4x its default, first of all (v8-tiering.ts);
 * - the V8 code cache of the CommonJS packages (compile-cache.cts);
 * - zod without its JIT: zod 4 compiles each object schema into a function on its first parse, which pays off over
 *   many parses; a run here parses four specs once, and interpreted parsing costs less than the compilation.
 *
 * `DYNAMO_IAC_ONE_SHOT=off` runs with Node's and zod's defaults and no compile cache (`npm run bench` measures that
 * too).
 */
import './v8-tiering.js';
import './compile-cache.cjs';
import { z } from '../spec/zod.cjs';

if (process.env['DYNAMO_IAC_ONE_SHOT'] !== 'off') z.config({ jitless: true });
