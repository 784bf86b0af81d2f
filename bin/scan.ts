/**
 * `npm run scan`: the security posture of the current synth, measured by checkov (pinned in spec/scanner-version.ts,
 * installed into .venv-scan/ on first use). Scans cdktf.out/stacks/<cloud>/cdk.tf.json (terraform_json),
 * dist/<target>/ (kubernetes) and both trees (secrets); prints checkov's totals per framework and target; exits 1
 * when a failed check is neither skipped by a `checkov.io/skip` annotation nor in security/checkov-accepted.yaml.
 *
 *   node build/bin/scan.js [--dist DIR] [--tf-out DIR] [--accepted FILE]
 *   node build/bin/scan.js --install     only make sure the pinned checkov is in .venv-scan/ (CI runs it before the tests)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHECKOV } from '../spec/scanner-version.js';
import { judge, loadAccepted, type Accepted } from '../tools/scan/accepted.js';
import { ensureCheckov, runCheckov } from '../tools/scan/checkov.js';
import { scanTargets } from '../tools/scan/targets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    'tf-out': { type: 'string', default: process.env['CDKTF_OUTDIR'] ?? 'cdktf.out' },
    accepted: { type: 'string', default: join(ROOT, 'security', 'checkov-accepted.yaml') },
    install: { type: 'boolean', default: false },
  },
});

const pad = (s: string | number, n: number): string => String(s).padEnd(n);

try {
  if (values.install) {
    ensureCheckov(ROOT, (l) => console.error(l));
    console.log(`checkov ${CHECKOV.version} is in .venv-scan/`);
    process.exit(0);
  }
  const accepted = loadAccepted(values.accepted!);
  const targets = scanTargets(values.dist!, values['tf-out']!);
  if (targets.length === 0) throw new Error(`nothing to scan in ${values.dist} or ${values['tf-out']}/stacks: run \`npm run synth\` first`);
  const bin = ensureCheckov(ROOT, (l) => console.error(l));
  console.log(`checkov ${CHECKOV.version}`);
  console.log(`${pad('framework', 15)}${pad('target', 8)}${pad('passed', 8)}${pad('failed', 8)}${pad('accepted', 9)}open`);
  const used = new Set<Accepted>();
  let open = 0;
  const lines: string[] = [];
  for (const t of targets) {
    const r = runCheckov(bin, t.dir, t.framework);
    const v = judge(t.framework, t.name, r.failed, accepted);
    v.accepted.forEach((a) => used.add(a.entry));
    open += v.open.length + r.parsingErrors;
    const acc = r.skipped + v.accepted.length;
    console.log(`${pad(t.framework, 15)}${pad(t.name, 8)}${pad(r.passed, 8)}${pad(r.failed.length + r.skipped, 8)}${pad(acc, 9)}${v.open.length}`);
    if (r.parsingErrors) lines.push(`  ${t.framework} ${t.name}: ${r.parsingErrors} file(s) checkov could not parse${r.unparsable?.length ? `: ${r.unparsable.join('; ')}` : ''}`);
    for (const f of v.open) lines.push(`  FAILED ${f.check} ${t.framework} ${t.name} ${f.resource} (${f.file}): ${f.name}`);
  }
  for (const l of lines) console.log(l);
  const scanned = new Set(targets.map((t) => `${t.framework}:${t.name}`));
  for (const e of accepted) {
    if (!used.has(e) && e.targets.some((t) => scanned.has(`${e.framework}:${t}`))) {
      console.log(`  note: accepted ${e.check} on ${e.resource} (${e.framework} ${e.targets.join(',')}) no longer fails: remove it from ${values.accepted}`);
    }
  }
  if (open > 0) {
    console.log(`scan failed: ${open} failed check(s) are neither fixed nor accepted (fix the construct, or annotate / list it with a reason)`);
    process.exitCode = 1;
  } else {
    console.log('scan passed: every failed check is accepted with a reason');
  }
} catch (e) {
  console.error(`scan failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
}
