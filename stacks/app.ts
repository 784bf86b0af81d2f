/** The cdktf app: one stack per cloud target, each loading only its own provider's modules. */
import { App } from 'cdktf';
import type { CloudSpec, CloudTarget, Spec, Target } from '../spec/schema.js';
import { AksStack } from './aks-stack.js';
import { EksStack } from './eks-stack.js';
import { GkeStack } from './gke-stack.js';

function cloudSpec(specs: Record<Target, Spec>, target: CloudTarget): CloudSpec {
  const spec = specs[target];
  if (spec.target !== target) throw new Error(`spec of target ${target} says target ${spec.target}`);
  return spec as CloudSpec;
}

export function buildTerraformApp(specs: Record<Target, Spec>, outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  new EksStack(app, 'eks', cloudSpec(specs, 'eks'));
  new AksStack(app, 'aks', cloudSpec(specs, 'aks'));
  new GkeStack(app, 'gke', cloudSpec(specs, 'gke'));
  return app;
}
