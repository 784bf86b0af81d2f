/**
 * `npm run bench`: what synthesis costs, and whether it stays flat as graphs grow.
 *
 * Each command runs in its own node process under /usr/bin/time (CPU = user + sys seconds, peak RSS); the rounds
 * interleave the commands, so that load from other processes falls on all of them alike, and the medians count.
 *
 *   k8s, defaults          node build/bin/synth.js --only k8s                 (the default spec)
 *   k8s, N graphs          the same with N more graphs (bin/bench-spec.ts: the shipped examples, round-robin)
 *   full synth, defaults   node build/bin/synth.js                            (Kubernetes and Terraform)
 *   full synth, N graphs   the same with N more graphs
 *   three barrels          node loading @cdktf/provider-{aws,azurerm,google} through their barrels
 *   ... Node defaults      the same synth with DYNAMO_IAC_ONE_SHOT=off: no compile cache, V8's and zod's own tiering
 *                          (bin/one-shot.ts), for comparison; no budget applies to these rows
 *
 * Budgets (issue 21): the Kubernetes layer under 1 ms of CPU per graph per target, (k8s N - k8s defaults) / (N x 4);
 * the full synth under 0.2 x the CPU of loading the three barrels; the full synth with N graphs under 300 MB peak
 * RSS. `--check` exits 1 when a budget is missed.
 *
 *   node build/bin/bench.js [--check] [--runs 3] [--graphs 300]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGETS } from '../spec/schema.js';
import { benchSpec } from './bench-spec.js';

const TIME = '/usr/bin/time';
const BUDGET = { msPerGraphTarget: 1, synthPerBarrels: 0.2, rssMb: 300 } as const;

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, runs: { type: 'string', default: '3' }, graphs: { type: 'string', default: '300' } },
});
const runs = Number(values.runs);
const graphs = Number(values.graphs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: must be an integer of at least 1, got "${values.runs}"`);
if (!Number.isInteger(graphs) || graphs < 1) throw new Error(`--graphs: must be an integer of at least 1, got "${values.graphs}"`);

interface Sample {
  readonly cpu: number;
  readonly wall: number;
  readonly rssMb: number;
}

function measure(cmd: readonly string[], config: string, env: Readonly<Record<string, string>> = {}): Sample {
  const r = spawnSync(TIME, ['-f', '%U %S %e %M', ...cmd], { encoding: 'utf8', env: { ...process.env, DYNAMO_IAC_CONFIG: config, ...env } });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed:\n${r.stderr}`);
  const [user, sys, wall, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpu: user! + sys!, wall: wall!, rssMb: kb! / 1024 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

if (!existsSync(TIME)) {
  console.error(`${TIME} not found: apt-get install -y time`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'bench-'));
const many = join(tmp, `bench-${graphs}.json`);
writeFileSync(many, JSON.stringify(benchSpec(graphs)));
/**
 * Each case writes to folders of its own: a run replaces the previous output of the same case, as `npm run synth`
 * does run after run, never the 300-graph output of another case (whose removal would be charged to this one).
 */
const synth = (name: string) => [process.execPath, 'build/bin/synth.js', '--dist', join(tmp, name, 'dist'), '--tf-out', join(tmp, name, 'cdktf.out')];
const barrels = [process.execPath, '-e', "const r = require('module').createRequire(process.cwd() + '/'); for (const p of ['aws', 'azurerm', 'google']) r('@cdktf/provider-' + p);"];

const NODE_DEFAULTS = { DYNAMO_IAC_ONE_SHOT: 'off' } as const;
const cases: Record<string, { label: string; cmd: string[]; config: string; env?: Readonly<Record<string, string>> }> = {
  k8s: { label: 'k8s, defaults', cmd: [...synth('k8s'), '--only', 'k8s'], config: '' },
  k8sMany: { label: `k8s, ${graphs} graphs`, cmd: [...synth('k8sMany'), '--only', 'k8s'], config: many },
  full: { label: 'full synth, defaults', cmd: synth('full'), config: '' },
  fullMany: { label: `full synth, ${graphs} graphs`, cmd: synth('fullMany'), config: many },
  barrels: { label: 'three barrels (baseline)', cmd: barrels, config: '' },
  k8sPlain: { label: 'k8s, defaults, Node defaults', cmd: [...synth('k8sPlain'), '--only', 'k8s'], config: '', env: NODE_DEFAULTS },
  k8sManyPlain: { label: `k8s, ${graphs} graphs, Node defaults`, cmd: [...synth('k8sManyPlain'), '--only', 'k8s'], config: many, env: NODE_DEFAULTS },
  fullPlain: { label: 'full synth, defaults, Node defaults', cmd: synth('fullPlain'), config: '', env: NODE_DEFAULTS },
};
type Case = keyof typeof cases;
const WIDTH = 38;

const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as Sample[]])) as Record<Case, Sample[]>;
try {
  for (let i = 0; i < runs; i++) for (const k of Object.keys(cases) as Case[]) samples[k].push(measure(cases[k].cmd, cases[k].config, cases[k].env));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const m = Object.fromEntries(
  (Object.keys(cases) as Case[]).map((k) => [k, { cpu: median(samples[k].map((s) => s.cpu)), wall: median(samples[k].map((s) => s.wall)), rssMb: median(samples[k].map((s) => s.rssMb)) }]),
) as Record<Case, Sample>;

console.log(`${`medians of ${runs} interleaved runs`.padEnd(WIDTH)} ${'CPU s'.padStart(7)} ${'wall s'.padStart(7)} ${'peak RSS'.padStart(9)}`);
for (const k of Object.keys(cases) as Case[]) {
  console.log(`${cases[k].label.padEnd(WIDTH)} ${m[k].cpu.toFixed(2).padStart(7)} ${m[k].wall.toFixed(2).padStart(7)} ${`${m[k].rssMb.toFixed(0)} MB`.padStart(9)}`);
}

const perGraph = ((m.k8sMany.cpu - m.k8s.cpu) / (graphs * TARGETS.length)) * 1000;
const ratio = m.full.cpu / m.barrels.cpu;
const checks = [
  [`Kubernetes layer: ${perGraph.toFixed(2)} ms CPU per graph per target < ${BUDGET.msPerGraphTarget} ms`, perGraph < BUDGET.msPerGraphTarget],
  [`full synth / three-barrel load: ${ratio.toFixed(3)} (CPU) < ${BUDGET.synthPerBarrels}`, ratio < BUDGET.synthPerBarrels],
  [`full synth with ${graphs} graphs: ${m.fullMany.rssMb.toFixed(0)} MB peak RSS < ${BUDGET.rssMb} MB`, m.fullMany.rssMb < BUDGET.rssMb],
] as const;
const plainPerGraph = ((m.k8sManyPlain.cpu - m.k8sPlain.cpu) / (graphs * TARGETS.length)) * 1000;
console.log('');
console.log(`with Node defaults (no budget): ${plainPerGraph.toFixed(2)} ms CPU per graph per target, full synth / three-barrel load ${(m.fullPlain.cpu / m.barrels.cpu).toFixed(3)}`);
for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
if (values.check && checks.some(([, ok]) => !ok)) process.exitCode = 1;
