/**
 * The field-level comparison behind `dynamo-iac diff`: the shape of a Kubernetes object, JSON value helpers, the
 * changed leaves between two values (`fieldChanges`, values cut short by `show`), and object identity (`objectId`,
 * `displayName`).
 *
 * Pod-template annotations `checksum/*` are ignored (`withoutChecksums`): they are hashes of another object of the
 * same output (a ConfigMap), whose own change is listed, so they would only repeat it as an unreadable hash.
 */

/** A Kubernetes object as written in a manifest. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One changed leaf: `from` is absent when the field is new, `to` when it is gone. Values are JSON, cut short. */
export interface FieldChange {
  readonly path: string;
  readonly from?: string;
  readonly to?: string;
}

export const MAX_FIELDS = 30;
const MAX_VALUE = 80;

// ---------------------------------------------------------------------------------------------- JSON helpers

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
export const rec = (v: unknown): Rec => (isRec(v) ? v : {});

export function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = isRec(cur) ? cur[k] : undefined;
  return cur;
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isRec(a) && isRec(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

/** A value for a message: JSON, at most MAX_VALUE characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 3)}...` : s;
}

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;
const child = (path: string, key: string): string => (SIMPLE_KEY.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** The element names of a list whose elements are all objects with distinct string `name`s (containers, env). */
function names(list: readonly unknown[]): string[] | undefined {
  const out = list.map((e) => (isRec(e) && typeof e['name'] === 'string' ? e['name'] : undefined));
  return out.every((n): n is string => n !== undefined) && new Set(out).size === out.length ? out : undefined;
}

/** The changed leaves between two values, in document order (maps by sorted key). */
export function fieldChanges(a: unknown, b: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(a, b, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (equal(a, b)) return;
  if (isRec(a) && isRec(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], child(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const na = names(a);
    const nb = names(b);
    if (na && nb && a.length + b.length > 0) {
      // Lists of named elements (containers, env vars, ports): matched by name, so an insertion is one change.
      const byName = (list: readonly unknown[], n: readonly string[]) => new Map(n.map((name, i) => [name, list[i]]));
      const ma = byName(a, na);
      const mb = byName(b, nb);
      for (const n of [...new Set([...na, ...nb])]) walk(ma.get(n), mb.get(n), `${path}[name=${n}]`, out);
      return;
    }
    if (a.length !== b.length && [...a, ...b].every((e) => !isRec(e) && !Array.isArray(e))) {
      // Scalar lists (args) of another length: the elements gone and the elements new.
      const rest = [...b];
      for (const e of a) {
        const i = rest.findIndex((x) => equal(x, e));
        if (i >= 0) rest.splice(i, 1);
        else out.push({ path: `${path}[]`, from: show(e) });
      }
      for (const e of rest) out.push({ path: `${path}[]`, to: show(e) });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  out.push({ path, ...(a !== undefined && { from: show(a) }), ...(b !== undefined && { to: show(b) }) });
}

/** A copy without the `checksum/*` annotations (see the header). */
export function withoutChecksums(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((e) => withoutChecksums(e));
  if (!isRec(v)) return v;
  const out: Rec = {};
  for (const [k, e] of Object.entries(v)) {
    if (key === 'annotations' && k.startsWith('checksum/')) continue;
    out[k] = withoutChecksums(e, k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- identity

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : 'core');

/** `<group>/<kind>/<namespace>/<name>`: always four parts (groups and names hold no '/'). */
export const objectId = (o: K8sObject): string => `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function displayName(id: string): string {
  const [, kind, ns, name] = id.split('/');
  return `${kind} ${ns ? `${ns}/` : ''}${name}`;
}
