#!/usr/bin/env node
/** `dynamo-iac`: the operations tools (see tools/cli.ts). */
import './one-shot.js';
import { runCli } from '../tools/cli.js';
import { systemKubectl } from '../tools/kubectl.js';

const argv = process.argv.slice(2);
// Ctrl-C during fault-test stops its requests and its port-forward, then exits 1; a second Ctrl-C ends at once.
const interrupt = new AbortController();
if (argv[0] === 'fault-test') process.once('SIGINT', () => interrupt.abort());

void Promise.resolve(
  runCli(argv, {
    runner: systemKubectl,
    env: process.env,
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    signal: interrupt.signal,
  }),
).then((code) => {
  process.exitCode = code;
});
