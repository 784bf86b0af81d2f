/** In-memory synthesis of the Kubernetes layer, as `npm run synth` writes it, for assertions on objects. */
import { parseAllDocuments } from 'yaml';
import { PLATFORM_CHARTS } from '../../charts/platform.js';
import { synthK8sTarget } from '../../charts/synth.js';
import { SpecError } from '../../spec/errors.js';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { resolveSpecs, parseSpecFile } from '../../spec/load.js';
import type { Spec, Target } from '../../spec/schema.js';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Deliberately loose: tests index into manifests by path.
  [key: string]: unknown;
};

export interface SynthResult {
  readonly files: { path: string; content: string }[];
  readonly objects: KubeObject[];
}

/** Everything a target synthesizes, or only the files `only` accepts (by path, e.g. `eks/20-nats.k8s.yaml`). */
export function synthSpec(spec: Spec, only: (path: string) => boolean = () => true): SynthResult {
  const files = synthK8sTarget(spec).filter((f) => only(f.path));
  const objects = files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as KubeObject));
  return { files, objects };
}

const PLATFORM_FILES = new Set(Object.values(PLATFORM_CHARTS).map((id) => `${id}.k8s.yaml`));
/** The platform's files only (namespace, storage classes, etcd, NATS, operator). */
export const synthPlatform = (spec: Spec): SynthResult => synthSpec(spec, (path) => PLATFORM_FILES.has(path.split('/').pop()!));

/** Specs of every target from an optional YAML spec file text. */
export function specsFrom(yaml?: string): Record<Target, Spec> {
  return resolveSpecs(yaml === undefined ? undefined : parseSpecFile(yaml, 'test.yaml'));
}

/** The objects of a kind (and name, if given), keeping the caller's object type. */
export const byKind = <T extends KubeObject>(objs: T[], kind: string, name?: string): T[] =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
export const one = <T extends KubeObject>(objs: T[], kind: string, name?: string): T => {
  const found = byKind(objs, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0]!;
};

/** The problems a spec file text produces (empty when it is valid). */
export function problemsOf(text: string, source = 'spec.yaml'): readonly string[] {
  try {
    resolveSpecs(parseSpecFile(text, source));
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
}

/** A spec text enabling every shipped example (Grove on `local`, which multinode examples need). */
export const ALL_EXAMPLES_SPEC = `graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;
