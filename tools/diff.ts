/**
 * `dynamo-iac diff OLD NEW`: what applying NEW over OLD changes, and which of those changes the cluster rejects or
 * only gets by replacing something.
 *
 * Each side is a synthesized output folder (`dist/<target>`, or a `dist` root whose target folders are compared one
 * by one) or a spec file (YAML or JSON, synthesized in memory for the target). Objects are matched by API group,
 * kind, namespace and name (the version is compared as a field). Changed objects list the JSON paths of their
 * changed leaves, values cut short and at most MAX_FIELDS per object.
 *
 * Pod-template annotations `checksum/*` are ignored: they are hashes of another object of the same output (a
 * ConfigMap), whose own change is listed, so they would only repeat it as an unreadable hash (diff-fields.ts).
 *
 * A change is breaking when the API server or an admission webhook rejects it, or when it goes through but replaces
 * pods or breaks a quorum. The rules (RULES in breaking-changes.ts) cite where each comes from.
 *
 * Exit codes: 0 nothing breaking, 2 something breaking, 1 the inputs could not be read or synthesized.
 */
import { basename, join } from 'node:path';
import { SpecError } from '../spec/errors.js';
import { TARGETS, type Target } from '../spec/schema.js';
import { breakingReasons } from './breaking-changes.js';
import { displayName, type FieldChange, fieldChanges, type K8sObject, MAX_FIELDS, objectId, withoutChecksums } from './diff-fields.js';
import { DiffInputError, existsDir, kindOf, loadSide } from './diff-inputs.js';

export { displayName, type FieldChange, fieldChanges, type K8sObject, MAX_FIELDS, objectId, show } from './diff-fields.js';
export { DiffInputError, loadSide } from './diff-inputs.js';

export interface ChangedObject {
  /** `<group>/<kind>/<namespace>/<name>`; the core group is `core`, cluster-scoped objects have an empty namespace. */
  readonly object: string;
  readonly fields: readonly FieldChange[];
  /** Changed leaves left out of `fields` (more than MAX_FIELDS). */
  readonly more: number;
}

export interface BreakingChange {
  readonly object: string;
  readonly reason: string;
}

export interface DiffResult {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedObject[];
  readonly breaking: readonly BreakingChange[];
}

/** Added, removed and changed objects, and the breaking changes. Pure; ordered by object id. */
export function diffObjects(old: readonly K8sObject[], next: readonly K8sObject[]): DiffResult {
  const index = (list: readonly K8sObject[]) => new Map(list.map((o) => [objectId(o), o]));
  const a = index(old);
  const b = index(next);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changed: ChangedObject[] = [];
  const breaking: BreakingChange[] = [];
  for (const id of ids) {
    const oa = a.get(id);
    const ob = b.get(id);
    if (!oa || !ob) continue;
    const fields = fieldChanges(withoutChecksums(oa), withoutChecksums(ob));
    if (!fields.length) continue;
    changed.push({ object: id, fields: fields.slice(0, MAX_FIELDS), more: Math.max(0, fields.length - MAX_FIELDS) });
    for (const reason of breakingReasons(oa, ob)) breaking.push({ object: id, reason });
  }
  return { added: ids.filter((id) => !a.has(id)), removed: ids.filter((id) => !b.has(id)), changed, breaking };
}

export function renderDiff(r: DiffResult): string {
  const lines = [
    ...r.added.map((id) => `+ ${displayName(id)}`),
    ...r.removed.map((id) => `- ${displayName(id)}`),
    ...r.changed.flatMap((c) => [
      `~ ${displayName(c.object)}`,
      ...c.fields.map((f) => `    ${f.path}: ${f.from ?? '(absent)'} -> ${f.to ?? '(absent)'}`),
      ...(c.more ? [`    ... ${c.more} more`] : []),
    ]),
    ...r.breaking.map((x) => `BREAKING ${displayName(x.object)}: ${x.reason}`),
  ];
  const counts = `${r.added.length} added, ${r.removed.length} removed, ${r.changed.length} changed, ${r.breaking.length} breaking`;
  return [...lines, lines.length ? counts : 'no differences'].join('\n');
}

/** The JSON document of `--json`: one list per outcome over every target compared. */
export interface DiffJson {
  /** The targets compared, empty when two plain folders were (the target did not matter). */
  readonly targets: readonly Target[];
  readonly added: readonly { target?: Target; object: string }[];
  readonly removed: readonly { target?: Target; object: string }[];
  readonly changed: readonly ({ target?: Target } & ChangedObject)[];
  readonly breaking: readonly ({ target?: Target } & BreakingChange)[];
}

export interface DiffOptions {
  /** @default - every target folder when both sides are roots; else a side's target folder name, DYNAMO_IAC_TARGET or local */
  readonly target?: Target;
  readonly json?: boolean;
}

export interface DiffIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** `dynamo-iac diff OLD NEW`: prints the diff; returns 0 (nothing breaking), 2 (something breaking) or 1 (error). */
export function diffCommand(oldArg: string, newArg: string, opts: DiffOptions, io: DiffIo): number {
  let results: { target?: Target; result: DiffResult }[];
  try {
    const kinds = [kindOf(oldArg), kindOf(newArg)] as const;
    const folderTarget = [oldArg, newArg].map((p, i) => (kinds[i] === 'folder' ? basename(p) : '')).find((n): n is Target => (TARGETS as readonly string[]).includes(n));
    const envTarget = io.env['DYNAMO_IAC_TARGET'];
    if (envTarget !== undefined && !(TARGETS as readonly string[]).includes(envTarget)) throw new DiffInputError(`DYNAMO_IAC_TARGET: must be one of ${TARGETS.join(', ')}, got "${envTarget}"`);
    const side = (arg: string, t: Target) => {
      try {
        return loadSide(arg, t);
      } catch (e) {
        if (e instanceof SpecError) throw new DiffInputError(`${arg}: invalid spec for target ${t}: ${e.problems.join('; ')}`);
        throw e;
      }
    };
    if (kinds[0] === 'root' && kinds[1] === 'root' && !opts.target) {
      const present = (t: Target) => existsDir(join(oldArg, t)) || existsDir(join(newArg, t));
      results = TARGETS.filter(present).map((t) => ({ target: t, result: diffObjects(side(oldArg, t), side(newArg, t)) }));
    } else {
      const target = opts.target ?? folderTarget ?? (envTarget as Target | undefined) ?? 'local';
      const matters = kinds.some((k) => k !== 'folder') || folderTarget !== undefined || opts.target !== undefined;
      results = [{ ...(matters && { target }), result: diffObjects(side(oldArg, target), side(newArg, target)) }];
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`dynamo-iac diff: ${message.split('\n')[0]}`);
    return 1;
  }
  const breaking = results.some((r) => r.result.breaking.length > 0);
  if (opts.json) {
    const tag = <T extends object>(t: Target | undefined, x: T) => ({ ...(t && { target: t }), ...x });
    const doc: DiffJson = {
      targets: results.flatMap((r) => (r.target ? [r.target] : [])),
      added: results.flatMap((r) => r.result.added.map((object) => tag(r.target, { object }))),
      removed: results.flatMap((r) => r.result.removed.map((object) => tag(r.target, { object }))),
      changed: results.flatMap((r) => r.result.changed.map((c) => tag(r.target, c))),
      breaking: results.flatMap((r) => r.result.breaking.map((x) => tag(r.target, x))),
    };
    io.out(JSON.stringify(doc, null, 2));
  } else {
    io.out(results.length === 1 ? renderDiff(results[0]!.result) : results.map((r) => `# target ${r.target}\n${renderDiff(r.result)}`).join('\n\n') || 'no target folders');
  }
  return breaking ? 2 : 0;
}
