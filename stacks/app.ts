/** The cdktf app: one stack per cloud target, each loading only its own provider's modules. */
import { App } from '../constructs/cloud/cdktf.cjs';
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

/**
 * The manifests of a target: the graph files (50- and 60-), and the rest (platform, workloads, observability).
 * `files` are the target's synthesized files when the caller already has them (bin/synth.ts synthesizes each
 * target once per run); else the target is synthesized here.
 */
export function targetManifests(spec: Spec, files: readonly SynthFile[] = synthK8sTarget(spec)): TargetManifests {
  const isGraph = (f: SynthFile) => /^[56]\d-/.test(f.path.split('/').pop()!);
  return { platform: files.filter((f) => !isGraph(f)), graphs: files.filter(isGraph) };
}

/** The cdktf app of every cloud; `k8sFiles` are the targets' synthesized files, where the caller has them. */
export function buildTerraformApp(specs: Record<Target, Spec>, outdir: string, k8sFiles: Partial<Record<CloudTarget, readonly SynthFile[]>> = {}): App {
  const app = new App({ outdir, skipValidation: false });
  new EksStack(app, 'eks', cloudSpec(specs, 'eks'), targetManifests(specs.eks, k8sFiles.eks));
  new AksStack(app, 'aks', cloudSpec(specs, 'aks'), targetManifests(specs.aks, k8sFiles.aks));
  new GkeStack(app, 'gke', cloudSpec(specs, 'gke'), targetManifests(specs.gke, k8sFiles.gke));
  return app;
}
