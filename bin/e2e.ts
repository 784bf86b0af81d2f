/**
 * `npm run e2e`: the synthesized targets on a simulated cluster: the real Kubernetes control plane and kwok, built
 * from Go modules (cached by version under .cache/sim), nodes derived from the cloud stacks, and a model of each
 * cloud's autoscaler. See tools/sim/.
 *
 *   npm run e2e -- --target <local|eks|aks|gke>[,...] [--dist DIR] [--tf-out DIR] [--json] [--verbose] [--keep]
 *   npm run e2e -- --mutations [--target eks]     deliberately broken copies of dist/ and the stack; each must fail with its cause
 *   npm run e2e -- --build-only                   build (or find) the binaries and exit
 *   --jobs N (default 2): targets or mutations run at once, each its own control plane; --serial: one process
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyTimeSecrets, externalNamespaces, platformPrerequisites } from '../charts/prerequisites.js';
import { loadSpecs } from '../spec/load.js';
import { TARGETS } from '../spec/schema.js';
import { ensureSimBinaries } from '../tools/sim/build.js';
import { evidenceOf, MUTATIONS, mutatedDist, type Mutation } from '../tools/sim/mutations.js';
import type { SimTarget } from '../tools/sim/pools.js';
import { renderReport } from '../tools/sim/report.js';
import { readStack, runTarget, type TargetReport } from '../tools/sim/run.js';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    dist: { type: 'string' },
    'tf-out': { type: 'string', default: process.env['CDKTF_OUTDIR'] ?? 'cdktf.out' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    mutations: { type: 'boolean', default: false },
    mutation: { type: 'string' },
    serial: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    'build-only': { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const log = (l: string) => console.error(`${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s ${l}`);

/**
 * Runs this command once per argument list in child processes at the same time (each its own control plane on its
 * own ports), passing their progress through and collecting the JSON each prints.
 */
async function inParallel(argLists: readonly string[][]): Promise<unknown[]> {
  const self = fileURLToPath(import.meta.url);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs "${values.jobs}" must be a whole number of 1 or more`);
  const results: unknown[] = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length && !interrupted) {
      const i = next++;
      results[i] = await runChild(self, argLists[i]!);
    }
  };
  watchSignals(true);
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, argLists.length) }, worker));
  } finally {
    watchSignals(false);
  }
  if (interrupted) process.exit(130);
  return results;
}

/** Children still running: a signal to this process is passed on, so no control plane outlives the run. */
const children = new Set<ReturnType<typeof spawn>>();
let interrupted = false;
const forward = (sig: 'SIGINT' | 'SIGTERM') => () => {
  interrupted = true;
  for (const c of children) c.kill(sig);
  // Children stop their control planes and exit; then so does this process.
  setTimeout(() => process.exit(130), children.size ? 8000 : 0).unref();
};
/** Installed only while children run: otherwise a target run's own handlers (or Node's default) take the signal. */
const watchSignals = (on: boolean) => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    if (on) process.on(sig, forward(sig));
  }
};

function runChild(self: string, args: readonly string[]): Promise<unknown> {
  return new Promise<unknown>((resolvePromise) => {
    const child = spawn(process.execPath, [self, ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => {
      children.delete(child);
      try {
        resolvePromise(JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)));
      } catch {
        resolvePromise(undefined);
      }
    });
  });
}

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
  const runMutation = async (m: Mutation, target: SimTarget): Promise<MutationResult> => {
    // A copy of its own: readStack parses the file afresh on every call.
    const tfCopy = readStack(tfOut, target);
    const tfExpectation = m.tf && tfCopy ? m.tf(tfCopy) : undefined;
    if (m.tf && !tfExpectation) throw new Error(`mutation ${m.name} changed nothing in the ${target} stack`);
    const { dir, expectation = tfExpectation! } = mutatedDist(m, values.dist ?? join('dist', target), { target, tf: tfCopy });
    try {
      log(`-- mutation ${m.name} on ${target}: ${m.description}`);
      const r = await runTarget({ root: ROOT, target, dist: dir, tf: tfCopy, ...install(target), bins, log, settleMs: 60_000 });
      const failing = r.checks.filter((c) => c.status === 'fail');
      const evidence = evidenceOf(expectation, failing);
      const all = failing.map((c) => `${c.name}: ${c.details.join(' | ')}`).join(' || ');
      return { mutation: m.name, description: m.description, target, caught: !r.ok && !!evidence, evidence: evidence ?? `nothing names ${expectation.subject} with ${expectation.expect}: ${all || 'the run passed'}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const install = (t: SimTarget) => ({
    secretCommands: [...externalNamespaces(specs[t]).map((n) => n.command), ...applyTimeSecrets(specs[t]).map((s) => s.command)],
    prerequisiteNamespaces: [...new Set(platformPrerequisites(specs[t]).map((p) => p.namespace))],
  });
  if (values.mutation || values.mutations) {
    const targets = targetsOf(values.target, ['eks']);
    let results: MutationResult[];
    if (values.mutation) {
      const m = MUTATIONS.find((x) => x.name === values.mutation);
      if (!m) throw new Error(`--mutation "${values.mutation}" is not one of ${MUTATIONS.map((x) => x.name).join(', ')}`);
      results = [];
      for (const target of targets) results.push(await runMutation(m, target));
    } else {
      const lists = targets.flatMap((t) => MUTATIONS.map((m) => ['--mutation', m.name, '--target', t, '--tf-out', tfOut, ...(values.dist ? ['--dist', values.dist] : [])]));
      const outs = values.serial ? [] : await inParallel(lists);
      results = values.serial
        ? await (async () => { const r: MutationResult[] = []; for (const t of targets) for (const m of MUTATIONS) r.push(await runMutation(m, t)); return r; })()
        : outs.flatMap((o, i) => (o as { mutations?: MutationResult[] } | undefined)?.mutations ?? [{ mutation: lists[i]![1]!, description: 'the run crashed', target: lists[i]![3] as SimTarget, caught: false, evidence: 'no report' }]);
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
  if (targets.length > 1 && !values.serial) {
    const outs = await inParallel(targets.map((t) => ['--target', t, '--tf-out', tfOut, ...(values.keep ? ['--keep'] : [])]));
    outs.forEach((o, i) => {
      const r = (o as { targets?: TargetReport[] } | undefined)?.targets?.[0];
      if (r) reports.push(r);
      else reports.push({ target: targets[i]!, ok: false, checks: [{ name: 'the run completed', status: 'fail', details: ['the child run crashed: see its log above'] }] } as unknown as TargetReport);
    });
    if (!values.json) for (const r of reports) console.log(renderReport(r, values.verbose));
  } else for (const target of targets) {
    const r = await runTarget({ root: ROOT, target, dist: values.dist ?? join('dist', target), tf: readStack(tfOut, target), ...install(target), bins, log, keep: values.keep! });
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
