/**
 * YAML text of manifests, byte for byte what cdk8s `Yaml.stringify` writes (the `yaml` package, YAML 1.1 schema,
 * block style, no line folding), in one pass over plain JSON instead of building a YAML document tree per object.
 *
 * It writes only what it can prove equal: block maps and sequences, `{}` and `[]`, null, booleans, safe integers,
 * single-line strings, plain or quoted by the library's own rules (a plain string that would read back as another
 * type in the library's YAML 1.1 schema is quoted), and multi-line strings as `|` or `|-` block literals. Any other
 * value (tabs or control characters, leading or trailing blanks on a multi-line string, strings needing escapes,
 * fractions, undefined, very long keys...) sends its whole document to `Yaml.stringify`.
 */
import { Yaml } from 'cdk8s';
import { Document } from 'yaml';

const STR_TAG = 'tag:yaml.org,2002:str';
const schema = new Document(null, { version: '1.1' }).schema;
/** The implicit tags (besides str) a plain scalar could be read as: null, bool, int, float, timestamp... */
const otherTypes = [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== STR_TAG && 'test' in t && t.test instanceof RegExp).map((t) => (t as { test: RegExp }).test);

/** Left to the library: tabs, carriage returns and other control characters, surrogates, document markers. */
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\uD800-\uDFFF]|^(?:---|\.\.\.)/;
/** The library's rule for what a plain scalar may not be (stringifyString.js, `plainString`), single-line part. */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ ]|:[ ]| #|[ :]$/;
/** Multi-line strings the library writes as a block literal with no indentation indicator: `|` or `|-`. */
const PLAIN_BLOCK = /^[^ \n][^]*[^ \n]\n?$/;

class Fallback extends Error {}

/** A single-line string, as a key or a value: plain, or quoted where plain would read back as something else. */
function line(value: string, cache: Map<string, string>): string {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  if (UNUSUAL.test(value) || value.includes('\n') || value.length > 1024) throw new Fallback();
  let out = value;
  if (NOT_PLAIN.test(value) || otherTypes.some((re) => re.test(value))) {
    // The library's quotedString: single quotes when only double quotes occur, else double quotes.
    if (value.includes('"') && !value.includes("'")) out = `'${value}'`;
    else if ((out = JSON.stringify(value)).includes('\\')) throw new Fallback();
  }
  cache.set(value, out);
  return out;
}

/** A multi-line string value at `indent`: the library's block literal (blockString), clipped or stripped. */
function lines(value: string, indent: string): string {
  if (UNUSUAL.test(value) || !PLAIN_BLOCK.test(value)) throw new Fallback();
  const clip = value.endsWith('\n');
  const body = clip ? value.slice(0, -1) : value;
  return `|${clip ? '' : '-'}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** A scalar or empty collection as written after `key: ` or `- ` at `indent`; undefined for a block collection. */
function scalar(v: unknown, indent: string, cache: Map<string, string>): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new Fallback();
    return String(v);
  }
  if (typeof v === 'string') return v.includes('\n') ? lines(v, `${indent}  `) : line(v, cache);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isMap(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
  throw new Fallback();
}

/** A non-empty block collection at `indent`; its first line carries no indentation (the caller's prefix does). */
function block(v: unknown, indent: string, cache: Map<string, string>): string {
  const out: string[] = [];
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalar(item, indent, cache);
      out.push(`- ${s ?? block(item, inner, cache)}`);
    }
  } else {
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      const s = scalar(item, indent, cache);
      out.push(`${line(k, cache)}:${s !== undefined ? ` ${s}` : `\n${inner}${block(item, inner, cache)}`}`);
    }
  }
  return out.join(`\n${indent}`);
}

function document(doc: unknown, cache: Map<string, string>): string {
  if (doc === undefined) return '\n';
  try {
    if (!isMap(doc)) throw new Fallback();
    return `${scalar(doc, '', cache) ?? block(doc, '', cache)}\n`;
  } catch (e) {
    if (e instanceof Fallback) return Yaml.stringify(doc);
    throw e;
  }
}

/** The YAML stream of `docs`, separated by `---`, exactly as `Yaml.stringify(...docs)` from cdk8s. */
export function manifestYaml(...docs: unknown[]): string {
  const cache = new Map<string, string>();
  return docs.map((d) => document(d, cache)).join('---\n');
}
