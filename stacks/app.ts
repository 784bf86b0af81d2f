/** The cdktf app: one stack per cloud target, each loading only its own provider's modules. */
import { App } from 'cdktf';
import type { CloudSpec } from '../spec/schema.js';
import type { CloudTarget } from '../spec/schema.js';
import { AksStack } from './aks-stack.js';
import { EksStack } from './eks-stack.js';
import { GkeStack } from './gke-stack.js';

export function buildTerraformApp(specs: Record<CloudTarget, CloudSpec>, outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  new EksStack(app, 'eks', specs.eks);
  new AksStack(app, 'aks', specs.aks);
  new GkeStack(app, 'gke', specs.gke);
  return app;
}
