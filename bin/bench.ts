/**
 * `npm run bench`: median wall time and peak RSS over five runs of `npm run synth` and of each app alone, against
 * the cost of merely loading the three provider packages through their barrels in one node process.
 *
 * Budget (2-core machine): Kubernetes synth of all four targets under 2 s and 250 MB; the whole `npm run synth` in
 * less than half the barrel-load time. `--check` exits 1 when a budget is missed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 5;
const TIME = '/usr/bin/time';

interface Sample { wall: number; rssMb: number }

function measure(cmd: string[]): Sample {
  const r = spawnSync(TIME, ['-f', '%e %M', ...cmd], { encoding: 'utf8', env: { ...process.env, DYNAMO_IAC_CONFIG: process.env['DYNAMO_IAC_CONFIG'] ?? '' } });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed:\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!;
  const [wall, kb] = last.split(' ').map(Number);
  return { wall: wall!, rssMb: kb! / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function bench(label: string, cmd: string[]): Sample {
  const samples = Array.from({ length: RUNS }, () => measure(cmd));
  const m = { wall: median(samples.map((s) => s.wall)), rssMb: median(samples.map((s) => s.rssMb)) };
  console.log(`${label.padEnd(52)} ${m.wall.toFixed(2).padStart(6)} s ${m.rssMb.toFixed(0).padStart(6)} MB`);
  return m;
}

if (!existsSync(TIME)) {
  console.error(`${TIME} not found: apt-get install -y time`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'bench-'));
const out = ['--dist', join(tmp, 'dist'), '--tf-out', join(tmp, 'cdktf.out')];
console.log(`${`median of ${RUNS} runs`.padEnd(52)}   wall   peak RSS`);
const whole = bench('npm run synth (build check + all targets + stacks)', ['npm', 'run', '--silent', 'synth']);
bench('synth: Kubernetes and Terraform, one process', [process.execPath, 'build/bin/synth.js', ...out]);
const k8s = bench('synth: Kubernetes only (4 targets)', [process.execPath, 'build/bin/synth.js', '--only', 'k8s', ...out]);
bench('synth: Terraform only (3 stacks)', [process.execPath, 'build/bin/synth.js', '--only', 'tf', ...out]);
const barrels = bench('baseline: require the 3 provider barrels', [
  process.execPath,
  '-e',
  "const r = require('module').createRequire(process.cwd() + '/'); for (const p of ['aws', 'azurerm', 'google']) r('@cdktf/provider-' + p);",
]);
rmSync(tmp, { recursive: true, force: true });

const ratio = whole.wall / barrels.wall;
const checks = [
  [`Kubernetes synth ${k8s.wall.toFixed(2)} s < 2 s`, k8s.wall < 2],
  [`Kubernetes synth ${k8s.rssMb.toFixed(0)} MB < 250 MB`, k8s.rssMb < 250],
  [`npm run synth / barrel load = ${ratio.toFixed(2)} < 0.5`, ratio < 0.5],
] as const;
console.log('');
for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
if (process.argv.includes('--check') && checks.some(([, ok]) => !ok)) process.exitCode = 1;
