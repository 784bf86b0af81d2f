/**
 * Entry point for the cdktf CLI (`cdktf synth|deploy <stack>`, see cdktf.json). Honours CDKTF_OUTDIR as the CLI sets
 * it; `npm run synth` runs the same app directly.
 */
import { mkdirSync } from 'node:fs';
import { loadSpecs } from '../spec/load.js';
import { buildTerraformApp } from './app.js';

try {
  const specs = loadSpecs();
  const outdir = process.env['CDKTF_OUTDIR'] ?? 'cdktf.out';
  mkdirSync(outdir, { recursive: true });
  buildTerraformApp(specs, outdir).synth();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
