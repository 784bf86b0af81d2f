/**
 * Entry point for the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml): synthesizes one target, chosen by
 * DYNAMO_IAC_TARGET (default `local`), into CDK8S_OUTDIR (default `dist`). `npm run synth` does all targets at once.
 */
import { loadSpecs } from '../spec/load.js';
import { TARGETS, type Target } from '../spec/schema.js';
import { buildK8sApp } from './synth.js';

const target = (process.env['DYNAMO_IAC_TARGET'] ?? 'local') as Target;
if (!TARGETS.includes(target)) {
  console.error(`DYNAMO_IAC_TARGET: must be one of ${TARGETS.join(', ')}, got "${target}"`);
  process.exit(1);
}
try {
  buildK8sApp(loadSpecs()[target], process.env['CDK8S_OUTDIR']).synth();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
