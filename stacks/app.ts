/** The cdktf app: one stack per cloud target, each loading only its own provider's modules. */
import { App } from 'cdktf';
import type { CloudSpec, CloudTarget, Spec, Target } from '../spec/schema.js';
import { AksStack } from './aks-stack.js';
import { synthK8sTarget, type SynthFile } from '../charts/synth.js';
import type { TargetManifests } from './common.js';
import { EksStack } from './eks-stack.js';
import { GkeStack } from './gke-stack.js';

function cloudSpec(specs: Record<Target, Spec>, target: CloudTarget): CloudSpec {
  const spec = specs[target];
  if (spec.target !== target) throw new Error(`spec of target ${target} says target ${spec.target}`);
  return spec as CloudSpec;
}

/** The manifests of a target: the graph files (50- and 60-), and the rest (platform, workloads, observability). */
export function targetManifests(spec: Spec): TargetManifests {
  const files = synthK8sTarget(spec);
  const isGraph = (f: SynthFile) => /^[56]\d-/.test(f.path.split('/').pop()!);
  return { platform: files.filter((f) => !isGraph(f)), graphs: files.filter(isGraph) };
}

export function buildTerraformApp(specs: Record<Target, Spec>, outdir: string): App {
  const app = new App({ outdir, skipValidation: false });
  new EksStack(app, 'eks', cloudSpec(specs, 'eks'), targetManifests(specs.eks));
  new AksStack(app, 'aks', cloudSpec(specs, 'aks'), targetManifests(specs.aks));
  new GkeStack(app, 'gke', cloudSpec(specs, 'gke'), targetManifests(specs.gke));
  return app;
}
