#!/usr/bin/env node
/** `dynamo-iac`: the operations tools (see tools/cli.ts). */
import { runCli } from '../tools/cli.js';
import { systemKubectl } from '../tools/kubectl.js';

process.exitCode = runCli(process.argv.slice(2), {
  runner: systemKubectl,
  env: process.env,
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
});
