/**
 * What the simulation applies, in the README's install order: the upstream CRDs (../shared/reference), the model
 * StorageClass from the stack's Terraform output, the namespaces and apply-time Secrets, then dist/<target>/ in file
 * order. Also the mutations the suite proves it catches.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CRD_DIRS = ['dynamo-crds', 'grove-crds', 'kai-crds', 'prometheus-operator-crds'];

/** The reference CRD files, found in ../shared/reference beside the repository (or SIM_REFERENCE_DIR). */
export function crdFiles(root: string): string[] {
  const base = process.env['SIM_REFERENCE_DIR'] ?? join(root, '..', 'shared', 'reference');
  if (!existsSync(base)) throw new Error(`the upstream CRDs are not at ${base}: clone ../shared beside the repository or set SIM_REFERENCE_DIR`);
  return CRD_DIRS.flatMap((d) => {
    const dir = join(base, d);
    if (!existsSync(dir)) throw new Error(`${dir} is missing: the simulation applies the ${d} from ../shared/reference`);
    return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
  });
}

/** The manifest files of a dist directory, in the order `kubectl apply -f dir/` takes them. */
export function distFiles(dist: string): string[] {
  if (!existsSync(dist)) throw new Error(`${dist} does not exist: run \`npm run synth\` (or pass --dist)`);
  const files = readdirSync(dist).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  if (files.length === 0) throw new Error(`${dist} holds no manifests`);
  return files.map((f) => join(dist, f));
}

export const readObjects = (file: string): Json[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as Json).filter((o) => o && typeof o === 'object' && o['kind']);

/**
 * The model StorageClass the README applies from `terraform output -raw model_storage_class_manifest`: the output's
 * `jsonencode({...})` with each cloud id (a reference to a resource attribute) as a placeholder string.
 */
export function modelStorageClassFromTf(tf: Json | undefined): Json | undefined {
  const v = tf?.['output']?.['model_storage_class_manifest']?.['value'];
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(v);
  if (!m) throw new Error('output model_storage_class_manifest is not a jsonencode({...}) expression');
  const json = m[1]!.replace(/"((?:[^"\\]|\\.)*)"\s*=/g, '"$1":').replace(/([:\[,]\s*)([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+)/g, '$1"sim-placeholder:$2"');
  return JSON.parse(json) as Json;
}
