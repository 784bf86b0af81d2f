/**
 * Loading the spec: the user file (YAML or JSON, named by DYNAMO_IAC_CONFIG) merged over each target's defaults,
 * then validated. Bad input throws one SpecError listing every problem; nothing half-succeeds.
 *
 * File layout:
 *   platform: {...}          applies to every target
 *   cluster: {...}           applies to the cloud targets (eks, aks, gke)
 *   workloads, graphs, graphRequests: {...}   apply to every target
 *   targets:
 *     eks: { platform: {...}, cluster: {...}, graphs: {...} }   applies to one target, after the shared sections
 *
 * A graph entry with `example: <name>` starts from that shipped example; its other keys override it.
 * Mappings merge key by key; lists and scalars replace; `null` removes a default entry (e.g. a default GPU pool).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { defaultSpec } from './defaults.js';
import { EXAMPLE_GRAPHS } from './examples.js';
import { formatPath, issueMessages, type PathSegment, show, SpecError, suggest } from './errors.js';
import { CLOUD_TARGETS, isCloudTarget, type Spec, specSchema, type Target, TARGETS } from './schema.js';

export const CONFIG_ENV = 'DYNAMO_IAC_CONFIG';

type Doc = Record<string, unknown>;
const isMapping = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge for spec documents: mappings merge, everything else replaces, null deletes. */
export function mergeDocs(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over === undefined ? base : over;
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = mergeDocs(base[k], v);
  }
  return out;
}

/** The user's file, parsed; each section checked for shape before merging. */
export interface SpecFile {
  readonly source: string;
  readonly platform?: Doc;
  readonly cluster?: Doc;
  readonly observability?: Doc;
  readonly workloads?: Doc;
  readonly graphs?: Doc;
  readonly graphRequests?: Doc;
  readonly targets: Partial<Record<Target, Doc>>;
}

/** Sections of the file that apply to every target. */
const SHARED_SECTIONS = ['platform', 'observability', 'workloads', 'graphs', 'graphRequests'] as const;
const FILE_KEYS = ['platform', 'cluster', 'observability', 'workloads', 'graphs', 'graphRequests', 'targets'];

/** Parses the text of a spec file. Problems are collected, then thrown together. */
export function parseSpecFile(text: string, source: string): SpecFile {
  let raw: unknown;
  try {
    raw = extname(source).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new SpecError([`${source}: malformed ${extname(source).toLowerCase() === '.json' ? 'JSON' : 'YAML'}${where}: ${first}`]);
  }
  if (raw === null || raw === undefined) return { source, targets: {} };
  if (!isMapping(raw)) throw new SpecError([`${source}: the spec file must be a mapping with platform, cluster or targets, got ${show(raw)}`]);
  const problems: string[] = [];
  for (const k of Object.keys(raw)) {
    if (k === 'target') problems.push(`target: not set in the file; every target (${TARGETS.join(', ')}) is synthesized, use targets.<name> for per-target settings`);
    else if (!FILE_KEYS.includes(k)) problems.push(`${k}: unknown key${suggest(k, FILE_KEYS)}`);
  }
  const section = (path: string, v: unknown): Doc | undefined => {
    if (v === undefined) return undefined;
    if (!isMapping(v)) {
      problems.push(`${path}: must be a mapping, got ${show(v)}`);
      return undefined;
    }
    return v;
  };
  const targets: Partial<Record<Target, Doc>> = {};
  const t = section('targets', raw['targets']);
  for (const [name, body] of Object.entries(t ?? {})) {
    if (!(TARGETS as readonly string[]).includes(name)) {
      problems.push(`targets.${name}: unknown target${suggest(name, TARGETS)}; targets are ${TARGETS.join(', ')}`);
      continue;
    }
    const doc = section(`targets.${name}`, body);
    if (!doc) continue;
    if ('target' in doc) problems.push(`targets.${name}.target: not allowed; the key under targets names the target`);
    if (name === 'local' && 'cluster' in doc) problems.push(`targets.local.cluster: only the cloud targets (${CLOUD_TARGETS.join(', ')}) have a cluster section`);
    targets[name as Target] = doc;
  }
  const shared: Partial<Record<(typeof SHARED_SECTIONS)[number] | 'cluster', Doc>> = {};
  for (const k of [...SHARED_SECTIONS, 'cluster'] as const) {
    const doc = section(k, raw[k]);
    if (doc) shared[k] = doc;
  }
  if (problems.length) throw new SpecError(problems);
  return { source, targets, ...shared };
}

export function readSpecFile(path: string): SpecFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SpecError([`${CONFIG_ENV}=${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  return parseSpecFile(text, path);
}

/** The sections of the file that apply to a target before its own section. */
function sharedOf(file: SpecFile, target: Target): Doc {
  const out: Doc = {};
  for (const k of SHARED_SECTIONS) if (file[k]) out[k] = file[k];
  if (file.cluster && isCloudTarget(target)) out['cluster'] = file.cluster;
  return out;
}

/** The merged, unvalidated document of one target, with the graph examples expanded. */
function mergedDoc(target: Target, file: SpecFile | undefined): unknown {
  let doc: unknown = defaultSpec(target);
  if (file) doc = mergeDocs(mergeDocs(doc, sharedOf(file, target)), file.targets[target] ?? {});
  return expandExamples(doc as Doc);
}

/** `graphs.<name>.example: <example>`: the example's keys under the entry's own. Unknown names are left to the schema. */
function expandExamples(doc: Doc): Doc {
  const graphs = doc['graphs'];
  if (!isMapping(graphs)) return doc;
  const out: Doc = {};
  for (const [name, entry] of Object.entries(graphs)) {
    const example = isMapping(entry) && typeof entry['example'] === 'string' ? EXAMPLE_GRAPHS[entry['example']] : undefined;
    out[name] = example ? mergeDocs(structuredClone(example), entry) : entry;
  }
  return { ...doc, graphs: out };
}

/** Where in the file a path of target `t` was written: its per-target section, the shared section, or neither. */
function fileOrigin(file: SpecFile | undefined, t: Target, path: readonly PathSegment[]): 'target' | 'shared' | 'default' {
  if (!file) return 'default';
  if (hasPrefix(file.targets[t], path)) return 'target';
  return hasPrefix(sharedOf(file, t), path) ? 'shared' : 'default';
}

/** True when the document holds the path, or a prefix of it that is not a mapping (so the value there is the user's). */
function hasPrefix(doc: unknown, path: readonly PathSegment[]): boolean {
  let cur = doc;
  for (const seg of path) {
    if (!isMapping(cur) && !Array.isArray(cur)) return false;
    if (!(seg in (cur as object))) return false;
    cur = (cur as Record<string | number, unknown>)[seg];
    if (!isMapping(cur)) return true;
  }
  return true;
}

interface ZodNode {
  def: { type: string; shape?: Record<string, ZodNode>; options?: ZodNode[]; valueType?: ZodNode; innerType?: ZodNode; in?: ZodNode; element?: ZodNode; schema?: ZodNode };
}

/** The keys the schema accepts at a path of a target's document (for "did you mean" hints). */
function schemaKeysAt(target: Target, path: readonly PathSegment[]): string[] {
  const unwrap = (n: ZodNode | undefined): ZodNode | undefined => {
    while (n && ['optional', 'default', 'pipe', 'nullable', 'readonly'].includes(n.def.type)) n = n.def.innerType ?? n.def.in ?? n.def.schema;
    if (n?.def.type === 'union') {
      const want = isCloudTarget(target) ? 'cluster' : undefined;
      n = n.def.options?.find((o) => (want ? 'cluster' in (o.def.shape ?? {}) : !('cluster' in (o.def.shape ?? {}))));
    }
    return n;
  };
  let node = unwrap(specSchema as unknown as ZodNode);
  for (const seg of path) {
    if (!node) return [];
    if (node.def.type === 'object') node = unwrap(node.def.shape?.[seg]);
    else if (node.def.type === 'record') node = unwrap(node.def.valueType);
    else if (node.def.type === 'array') node = unwrap(node.def.element);
    else return [];
  }
  return node?.def.type === 'object' ? Object.keys(node.def.shape ?? {}) : [];
}

/**
 * Resolves the spec of every target. Throws a SpecError with one line per problem (deduplicated across targets;
 * a problem that comes from a per-target section or shows up in only some targets names them).
 */
export function resolveSpecs(file?: SpecFile, targets: readonly Target[] = TARGETS): Record<Target, Spec> {
  const byMessage = new Map<string, { targets: Target[]; fromFile: boolean }>();
  const specs: Partial<Record<Target, Spec>> = {};
  for (const t of targets) {
    const doc = mergedDoc(t, file);
    const parsed = specSchema.safeParse({ ...(doc as Doc), target: t });
    if (parsed.success) {
      specs[t] = parsed.data as Spec;
      continue;
    }
    for (const issue of parsed.error.issues as z.core.$ZodIssue[]) {
      for (const { path, message } of issueMessages(issue, doc, (p) => schemaKeysAt(t, p))) {
        const origin = fileOrigin(file, t, path);
        const line = origin === 'target' ? `targets.${t}.${formatPath(path)}: ${message}` : `${formatPath(path)}: ${message}`;
        const seen = byMessage.get(line) ?? { targets: [], fromFile: false };
        byMessage.set(line, { targets: [...seen.targets, t], fromFile: seen.fromFile || origin !== 'default' });
      }
    }
  }
  if (byMessage.size) {
    const applicable = (line: string) => (line.startsWith('cluster') ? targets.filter(isCloudTarget) : targets);
    // A line that points into the file needs no target list; one caused by defaults alone says where it applies.
    const problems = [...byMessage.entries()].map(([line, { targets: ts, fromFile }]) =>
      fromFile || ts.length === applicable(line).length ? line : `${line} (target${ts.length > 1 ? 's' : ''} ${ts.join(', ')})`,
    );
    throw new SpecError(problems.sort());
  }
  return specs as Record<Target, Spec>;
}

/** The specs the apps use: defaults, or the file named by DYNAMO_IAC_CONFIG merged over them. */
export function loadSpecs(env: NodeJS.ProcessEnv = process.env): Record<Target, Spec> {
  const path = env[CONFIG_ENV];
  return resolveSpecs(path ? readSpecFile(path) : undefined);
}

