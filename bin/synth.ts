/**
 * `npm run synth`: every target of the Kubernetes layer into dist/<target>/ and every cloud stack into
 * cdktf.out/stacks/<cloud>/, in one node process.
 *
 * Bad input never half-succeeds: everything is synthesized into temporary folders beside the outputs, and the
 * folders are swapped in only when all of it succeeded. On failure the exit code is 1 and the old outputs stay.
 * A Kubernetes file unchanged since the previous output is linked into the new one, not written again
 * (staged-output.ts).
 *
 * A pinned Kubernetes minor past its cloud's end of standard support is a warning on stderr, not a failure; so is a
 * public API endpoint open to 0.0.0.0/0.
 * DYNAMO_IAC_NOW (an ISO date) sets the clock of that check.
 *
 *   node build/bin/synth.js [--only k8s|tf] [--dist DIR] [--tf-out DIR]
 */
import './one-shot.js';
import { parseArgs } from 'node:util';
import { synthK8sTarget, type SynthFile } from '../charts/synth.js';
import { StagedOutput } from './staged-output.js';
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

/** Now, or DYNAMO_IAC_NOW when set (tests and what-if checks). */
function clock(): Date {
  const at = process.env['DYNAMO_IAC_NOW'];
  if (!at) return new Date();
  const t = Date.parse(at);
  if (Number.isNaN(t)) throw new Error(`DYNAMO_IAC_NOW: must be an ISO date such as 2027-04-01, got "${at}"`);
  return new Date(t);
}

const staged: StagedOutput[] = [];
try {
  const specs = loadSpecs();
  for (const w of kubernetesSupportWarnings(specs, clock())) console.error(`warning: ${w}`);
  for (const w of openEndpointWarnings(specs)) console.error(`warning: ${w}`);
  for (const w of unroutedReceiverWarnings(specs)) console.error(`warning: ${w}`);
  // Each target is synthesized once per run: the cloud stacks embed the same files.
  const k8sFiles: Partial<Record<Target, SynthFile[]>> = {};
  if (doK8s) {
    const out = new StagedOutput(values.dist!);
    staged.push(out);
    for (const t of TARGETS) for (const f of (k8sFiles[t] = synthK8sTarget(specs[t]))) out.write(f.path, f.content);
  }
  if (doTf) {
    const out = new StagedOutput(values['tf-out']!);
    staged.push(out);
    // Loaded only when needed: `--only k8s` never pays for the provider bindings.
    const { buildTerraformApp } = await import('../stacks/app.js');
    buildTerraformApp(specs, out.staging, k8sFiles).synth();
  }
  for (const out of staged) out.swapIn();
  const what = [doK8s && `${values.dist}/{${TARGETS.join(',')}}`, doTf && `${values['tf-out']}/stacks/{${CLOUD_TARGETS.join(',')}}`].filter(Boolean);
  console.log(`synthesized ${what.join(' and ')}`);
} catch (e) {
  for (const out of staged) out.discard();
  if (e instanceof SpecError) {
    console.error(e.message);
  } else {
    console.error(`synth failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.error('nothing was written');
  process.exitCode = 1;
}
