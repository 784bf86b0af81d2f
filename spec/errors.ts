/**
 * Turning schema issues into one line per problem: `<field path>: <rule>, got <value>`.
 */
import type { z } from 'zod';

/** Bad input: every problem found, one line each. Nothing is written when this is thrown. */
export class SpecError extends Error {
  public readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SpecError';
    this.problems = [...problems];
  }
}

export type PathSegment = string | number;

export const formatPath = (path: readonly PathSegment[]): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '') || '(document)';

export function valueAt(doc: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** Levenshtein distance, for "did you mean" hints on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function suggest(key: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
};

/** One message (without the path) per zod issue. `doc` is the document that was validated. */
export function issueMessages(
  issue: z.core.$ZodIssue,
  doc: unknown,
  knownKeys: (path: readonly PathSegment[]) => readonly string[],
): { path: PathSegment[]; message: string }[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  const value = valueAt(doc, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(path);
      return issue.keys.map((k) => ({ path: [...path, k], message: `unknown key${suggest(k, known)}` }));
    }
    case 'invalid_type':
      if (value === undefined) return [{ path, message: `is required (${TYPE_NAMES[issue.expected] ?? issue.expected})` }];
      return [{ path, message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(value)}` }];
    case 'invalid_value':
      return [{ path, message: `must be one of ${issue.values.map((v) => String(v)).join(', ')}, got ${show(value)}` }];
    case 'too_small':
      if (isDefaultMessage(issue.message)) {
        const what = issue.origin === 'string' ? `at least ${String(issue.minimum)} character(s) long` : issue.origin === 'array' ? `a list of at least ${String(issue.minimum)}` : `at least ${String(issue.minimum)}`;
        return [{ path, message: `must be ${what}, got ${show(value)}` }];
      }
      return [{ path, message: `${issue.message}, got ${show(value)}` }];
    case 'too_big':
      if (isDefaultMessage(issue.message)) {
        const what = issue.origin === 'string' ? `at most ${String(issue.maximum)} characters long` : `at most ${String(issue.maximum)}`;
        return [{ path, message: `must be ${what}, got ${show(value)}` }];
      }
      return [{ path, message: `${issue.message}, got ${show(value)}` }];
    case 'invalid_union':
      return [{ path, message: `does not match any allowed form, got ${show(value)}` }];
    case 'invalid_key': {
      // A record key that breaks the key schema: report the key's own rule and the key.
      const inner = issue.issues[0]?.message ?? issue.message;
      return [{ path, message: `${inner}, got ${show(path[path.length - 1])}` }];
    }
    case 'custom':
      // A rule about a field the user did not write (a default): the value adds nothing.
      return [{ path, message: value === undefined ? issue.message : `${issue.message}, got ${show(value)}` }];
    default:
      return [{ path, message: `${issue.message}, got ${show(value)}` }];
  }
}

const isDefaultMessage = (m: string): boolean => /^(Too small|Too big):/.test(m);
