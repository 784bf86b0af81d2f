/**
 * `npm run synth`: every target of the Kubernetes layer into dist/<target>/ and every cloud stack into
 * cdktf.out/stacks/<cloud>/, in one node process.
 *
 * Bad input never half-succeeds: everything is synthesized into temporary folders beside the outputs, and the
 * folders are swapped in only when all of it succeeded. On failure the exit code is 1 and the old outputs stay.
 *
 * A pinned Kubernetes minor past its cloud's end of standard support is a warning on stderr, not a failure; so is a
 * public API endpoint open to 0.0.0.0/0.
 * DYNAMO_IAC_NOW (an ISO date) sets the clock of that check.
 *
 *   node build/bin/synth.js [--only k8s|tf] [--dist DIR] [--tf-out DIR]
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { synthK8sTarget, type SynthFile } from '../charts/synth.js';
import { SpecError } from '../spec/errors.js';
import { unroutedReceiverWarnings } from '../spec/alerting-warnings.js';
import { openEndpointWarnings } from '../spec/endpoint-warnings.js';
import { kubernetesSupportWarnings } from '../spec/kubernetes-support.js';
import { loadSpecs } from '../spec/load.js';
import { CLOUD_TARGETS, type Target, TARGETS } from '../spec/schema.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    dist: { type: 'string', default: 'dist' },
    'tf-out': { type: 'string', default: process.env['CDKTF_OUTDIR'] ?? 'cdktf.out' },
  },
});
if (values.only !== undefined && values.only !== 'k8s' && values.only !== 'tf') {
  console.error(`--only: must be k8s or tf, got "${values.only}"`);
  process.exit(2);
}
const doK8s = values.only !== 'tf';
const doTf = values.only !== 'k8s';

/** A fresh temporary folder next to `final`, so the final rename stays on one file system. */
function stagingFor(final: string): string {
  const parent = dirname(resolve(final));
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `.${basename(final)}-`));
}

function swapIn(staging: string, final: string): void {
  const old = `${staging}.old`;
  if (existsSync(final)) renameSync(final, old);
  renameSync(staging, final);
  rmSync(old, { recursive: true, force: true });
}

/** Now, or DYNAMO_IAC_NOW when set (tests and what-if checks). */
function clock(): Date {
  const at = process.env['DYNAMO_IAC_NOW'];
  if (!at) return new Date();
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw new Error(`DYNAMO_IAC_NOW: must be an ISO date such as 2027-04-01, got "${at}"`);
  return new Date(t);
}

const staged: [string, string][] = [];
try {
  const specs = loadSpecs();
  for (const w of kubernetesSupportWarnings(specs, clock())) console.error(`warning: ${w}`);
  for (const w of openEndpointWarnings(specs)) console.error(`warning: ${w}`);
  for (const w of unroutedReceiverWarnings(specs)) console.error(`warning: ${w}`);
  // Each target is synthesized once per run: the cloud stacks embed the same files.
  const k8sFiles: Partial<Record<Target, SynthFile[]>> = {};
  if (doK8s) {
    const dir = stagingFor(values.dist!);
    staged.push([dir, values.dist!]);
    const made = new Set<string>();
    for (const t of TARGETS) {
      for (const f of (k8sFiles[t] = synthK8sTarget(specs[t]))) {
        const folder = dirname(join(dir, f.path));
        if (!made.has(folder)) mkdirSync(folder, { recursive: true });
        made.add(folder);
        writeFileSync(join(dir, f.path), f.content);
      }
    }
  }
  if (doTf) {
    const dir = stagingFor(values['tf-out']!);
    staged.push([dir, values['tf-out']!]);
    // Loaded only when needed: `--only k8s` never pays for the provider bindings.
    const { buildTerraformApp } = await import('../stacks/app.js');
    buildTerraformApp(specs, dir, k8sFiles).synth();
  }
  for (const [dir, final] of staged) swapIn(dir, final);
  const what = [doK8s && `${values.dist}/{${TARGETS.join(',')}}`, doTf && `${values['tf-out']}/stacks/{${CLOUD_TARGETS.join(',')}}`].filter(Boolean);
  console.log(`synthesized ${what.join(' and ')}`);
} catch (e) {
  for (const [dir] of staged) rmSync(dir, { recursive: true, force: true });
  if (e instanceof SpecError) {
    console.error(e.message);
  } else {
    console.error(`synth failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.error('nothing was written');
  process.exitCode = 1;
}
