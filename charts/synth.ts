/**
 * Synthesis of the Kubernetes layer: one cdk8s App per target, one YAML file per chart, in apply order.
 * Pure: returns the files instead of writing them, so the caller can swap a whole output folder at once.
 */
import { applyImagePolicy } from '../constructs/k8s/common/images.js';
import { App } from '../constructs/k8s/common/cdk8s.cjs';
import type { IConstruct } from 'constructs';
import { withTreeIndex } from '../constructs/k8s/common/tree-index.js';
import type { ApiObject } from 'cdk8s';
import { orderedCharts } from './chart-objects.js';
import { JsonApiObject } from '../constructs/k8s/common/json-api-object.js';
import { manifestYaml, sanitizedManifestYaml } from '../constructs/k8s/common/yaml-text.js';
import { cloudProfile } from '../spec/profile/index.js';
import type { Spec } from '../spec/schema.js';
import { SpecError } from '../spec/errors.js';
import { addWorkloadCharts } from './graphs.js';
import { addNodePoolsChart } from './node-pools.js';
import { addObservabilityChart } from './observability.js';
import { addPlatformCharts } from './platform.js';

export interface SynthFile {
  /** Path relative to the output folder, e.g. `eks/20-nats.k8s.yaml`. */
  readonly path: string;
  readonly content: string;
  /**
   * The kind of each document of `content`, in order. synthK8sTarget sets it, so that readers which sort files by
   * kind (the deploy path's StorageClass release) need not parse the YAML again. @default - unknown: parse `content`
   */
  readonly kinds?: readonly string[];
}

/** Builds the cdk8s App of a target. `outdir` matters only to `app.synth()` (the cdk8s CLI path). */
export function buildK8sApp(spec: Spec, outdir?: string): App {
  const app = new App({ ...(outdir && { outdir }) });
  const profile = cloudProfile(spec);
  addPlatformCharts(app, spec, profile);
  addNodePoolsChart(app, spec, profile);
  addWorkloadCharts(app, spec, profile);
  addObservabilityChart(app, spec);
  // Last, so it sees every object: the mirror registry and pull Secrets of the spec.
  applyImagePolicy(app, { ...(spec.platform.images.registry && { registry: spec.platform.images.registry }), pullSecrets: spec.platform.images.pullSecrets });
  return app;
}

/** Runs every construct's synth-time validation; all problems at once, as a SpecError (nothing is written). */
export function validateApp(app: App): void {
  withTreeIndex(app, validateAll);
}

function validateAll(all: readonly IConstruct[]): void {
  const problems = all.flatMap((c) => c.node.validate());
  if (problems.length) throw new SpecError([...new Set(problems)].sort());
}

/**
 * An object's manifest, as `manifestYaml(object.toJson())` writes it: a JsonApiObject's written straight from its
 * plain body (no sorted copy of it made first), any other's from its JSON.
 */
function manifestOf(o: ApiObject): string {
  const plain = JsonApiObject.isJsonApiObject(o) ? o.plainManifest() : undefined;
  return (plain && sanitizedManifestYaml(plain)) ?? manifestYaml(o.toJson());
}

/**
 * The YAML files of one target. Each chart's objects come out in cdk8s's stable order. The app is walked once:
 * validations that look at the whole app share that walk (see tree-index.ts), and the charts are rendered without
 * `chart.toJson()`, which re-validates the whole app per chart.
 */
export function synthK8sTarget(spec: Spec): SynthFile[] {
  const app = buildK8sApp(spec);
  const charts = withTreeIndex(app, (all) => {
    validateAll(all);
    return orderedCharts(app, all);
  });
  // The documents of a file, separated by `---`, as manifestYaml(...documents) joins them.
  return charts
    .map(({ chart, objects }) => ({
      path: `${spec.target}/${chart.node.id}.k8s.yaml`,
      content: objects.map(manifestOf).join('---\n'),
      kinds: objects.map((o) => o.kind),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
