/**
 * `npm run e2e`: the synthesized targets on a simulated cluster: the real Kubernetes control plane and kwok, built
 * from Go modules (cached by version under .cache/sim), nodes derived from the cloud stacks, and a model of each
 * cloud's autoscaler. See tools/sim/.
 *
 *   npm run e2e -- --target <local|eks|aks|gke>[,...] [--dist DIR] [--tf-out DIR] [--json] [--verbose] [--keep]
 *   npm run e2e -- --mutations [--target eks]     deliberately broken copies of dist/ and the stack; each must fail with its cause
 *   npm run e2e -- --build-only                   build (or find) the binaries and exit
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyTimeSecrets } from '../charts/prerequisites.js';
import { loadSpecs } from '../spec/load.js';
import { ensureSimBinaries } from '../tools/sim/build.js';
import { MUTATIONS, mutatedDist } from '../tools/sim/mutations.js';
import type { SimTarget } from '../tools/sim/pools.js';
import { renderReport } from '../tools/sim/report.js';
import { readStack, runTarget, type TargetReport } from '../tools/sim/run.js';
import { rmSync } from 'node:fs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TARGETS: readonly SimTarget[] = ['local', 'eks', 'aks', 'gke'];

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    dist: { type: 'string' },
    'tf-out': { type: 'string', default: process.env['CDKTF_OUTDIR'] ?? 'cdktf.out' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    mutations: { type: 'boolean', default: false },
    'build-only': { type: 'boolean', default: false },
  },
});

const log = (l: string) => console.error(l);

function targetsOf(raw: readonly string[] | undefined, fallback: readonly SimTarget[]): SimTarget[] {
  const list = (raw ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  for (const t of list) if (!TARGETS.includes(t as SimTarget)) throw new Error(`--target "${t}" is not one of ${TARGETS.join(', ')}`);
  return list.length ? (list as SimTarget[]) : [...fallback];
}

interface MutationResult {
  readonly mutation: string;
  readonly description: string;
  readonly target: SimTarget;
  readonly caught: boolean;
  readonly evidence: string;
}

async function main(): Promise<number> {
  const bins = ensureSimBinaries(ROOT, log);
  if (values['build-only']) {
    console.log(`binaries in ${bins.dir}`);
    return 0;
  }
  const specs = loadSpecs();
  const tfOut = values['tf-out']!;
  const secretsOf = (t: SimTarget) => applyTimeSecrets(specs[t]).map((s) => s.command);
  if (values.mutations) {
    const targets = targetsOf(values.target, ['eks']);
    const results: MutationResult[] = [];
    for (const target of targets) {
      for (const m of MUTATIONS) {
        const tf = readStack(tfOut, target);
        const tfCopy = tf ? (JSON.parse(JSON.stringify(tf)) as Record<string, unknown>) : undefined;
        if (m.tf && tfCopy && !m.tf(tfCopy)) throw new Error(`mutation ${m.name} changed nothing in the ${target} stack`);
        const dist = mutatedDist(m, values.dist ?? join('dist', target), { target, tf: tfCopy });
        try {
          log(`-- mutation ${m.name} on ${target}: ${m.description}`);
          const r = await runTarget({ root: ROOT, target, dist, tf: tfCopy, secretCommands: secretsOf(target), bins, log, settleMs: 60_000 });
          const failing = r.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.details.join(' | ')}`);
          const evidence = failing.find((f) => m.expect.test(f));
          results.push({ mutation: m.name, description: m.description, target, caught: !r.ok && !!evidence, evidence: evidence ?? (failing.join(' || ') || 'the run passed') });
        } finally {
          rmSync(dist, { recursive: true, force: true });
        }
      }
    }
    if (values.json) console.log(JSON.stringify({ mutations: results }, null, 2));
    else for (const r of results) console.log(`${r.caught ? 'CAUGHT' : 'MISSED'} ${r.mutation} on ${r.target} (${r.description}):\n    ${r.evidence.slice(0, 600)}`);
    const missed = results.filter((r) => !r.caught).length;
    console.log(`${results.length - missed} passed, ${missed} failed`);
    return missed ? 1 : 0;
  }
  const targets = targetsOf(values.target, TARGETS);
  if (values.dist && targets.length > 1) throw new Error('--dist names one target\'s manifests: pass exactly one --target with it');
  const reports: TargetReport[] = [];
  for (const target of targets) {
    const r = await runTarget({ root: ROOT, target, dist: values.dist ?? join('dist', target), tf: readStack(tfOut, target), secretCommands: secretsOf(target), bins, log, keep: values.keep! });
    reports.push(r);
    if (!values.json) console.log(renderReport(r, values.verbose));
  }
  if (values.json) console.log(JSON.stringify({ targets: reports }, null, 2));
  const failed = reports.filter((r) => !r.ok).length;
  console.log(`${reports.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`e2e: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
