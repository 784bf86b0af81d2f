/**
 * The inputs of `dynamo-iac diff`: each side is a spec file (YAML or JSON, synthesized in memory for one target), a
 * folder of manifests, or a root of target folders (`dist`). Unreadable or malformed input is a DiffInputError.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthK8sTarget } from '../charts/synth.js';
import { parseSpecFile, resolveSpecs } from '../spec/load.js';
import { TARGETS, type Target } from '../spec/schema.js';
import { at, isRec, type K8sObject } from './diff-fields.js';

/** Unreadable or malformed input (exit code 1). */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffInputError';
  }
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json'];
export type Kind = 'spec' | 'folder' | 'root';

/** A spec file (a file named .yaml/.yml/.json), a manifest folder, or a root of target folders. */
export function kindOf(path: string): Kind {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new DiffInputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (st.isFile()) {
    if (SPEC_EXTENSIONS.includes(extname(path).toLowerCase())) return 'spec';
    throw new DiffInputError(`${path}: neither a folder nor a spec file (.yaml, .yml or .json)`);
  }
  const entries = readdirSync(path, { withFileTypes: true });
  const manifests = entries.some((e) => e.isFile() && MANIFEST.test(e.name));
  return !manifests && entries.some((e) => e.isDirectory() && (TARGETS as readonly string[]).includes(e.name)) ? 'root' : 'folder';
}

/** The objects of every manifest file directly in a folder (`List` objects are unpacked). */
function readFolder(dir: string): K8sObject[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && MANIFEST.test(e.name)).map((e) => e.name).sort();
  return files.flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

function parseManifests(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  const add = (v: unknown, where: string) => {
    if (v === null || v === undefined) return;
    if (isRec(v) && v['kind'] === 'List' && Array.isArray(v['items'])) {
      v['items'].forEach((item, i) => add(item, `${where}, item ${i}`));
      return;
    }
    if (!isRec(v) || typeof v['apiVersion'] !== 'string' || typeof v['kind'] !== 'string' || typeof at(v, 'metadata', 'name') !== 'string') {
      throw new DiffInputError(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
    }
    out.push(v as unknown as K8sObject);
  };
  parseAllDocuments(text).forEach((doc, i) => {
    const where = `${source}, document ${i + 1}`;
    const problem = doc.errors[0];
    if (problem) throw new DiffInputError(`${where}: malformed YAML: ${problem.message.split('\n')[0]}`);
    add(doc.toJS(), where);
  });
  return out;
}

/** The objects a spec file synthesizes for one target (only that target is resolved). */
function synthSpecFile(path: string, target: Target): K8sObject[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiffInputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const spec = resolveSpecs(parseSpecFile(text, path), [target])[target];
  return synthK8sTarget(spec).flatMap((f) => parseManifests(f.content, f.path));
}

/**
 * One side of the diff for one target: a spec file synthesized for `target`, a manifest folder as it is, or
 * `<root>/<target>` of a root of target folders (nothing when that target folder is missing).
 */
export function loadSide(pathOrSpecFile: string, target: Target): K8sObject[] {
  switch (kindOf(pathOrSpecFile)) {
    case 'spec':
      return synthSpecFile(pathOrSpecFile, target);
    case 'folder':
      return readFolder(pathOrSpecFile);
    case 'root': {
      const dir = join(pathOrSpecFile, target);
      return existsDir(dir) ? readFolder(dir) : [];
    }
  }
}

export function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
