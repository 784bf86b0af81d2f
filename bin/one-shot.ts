/**
 * What a one-shot command-line run sets before it loads anything else (imported first by bin/synth.ts and
 * bin/dynamo-iac.ts):
 * - the V8 code cache of the CommonJS packages (compile-cache.cts);
 * - zod without its JIT: zod 4 compiles each object schema into a function on its first parse, which pays off over
 *   many parses; a run here parses four specs once, and interpreted parsing costs less than the compilation.
 *   Results are the same either way.
 */
import './compile-cache.cjs';
import { z } from 'zod';

z.config({ jitless: true });
