/**
 * V8's interrupt budget at 4x its default (V8 11.3, Node 20: 67584) for a one-shot run: a function must run four
 * times as long before V8 considers it for its optimizing compiler. In a run of one to a few seconds, most
 * optimizations were not paying back the CPU of compiling them in a background thread (and of deoptimizing some
 * again): measured interleaved on this machine, the default synth costs 5 to 10% less CPU, the synth of 300 extra
 * graphs about 25% less, and of 1000 still about 10% less (README, "Benchmark").
 *
 * Set before anything is compiled: V8's code cache (compile-cache.cts) is valid only under the flags it was made
 * with, so code compiled before the change would be rejected by the next run's cache.
 * `DYNAMO_IAC_ONE_SHOT=off` leaves V8's default (one-shot.ts).
 */
import { setFlagsFromString } from 'node:v8';

/** 4 x V8 11.3's default `--interrupt-budget`. */
export const INTERRUPT_BUDGET = 4 * 67_584;

if (process.env['DYNAMO_IAC_ONE_SHOT'] !== 'off') setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
