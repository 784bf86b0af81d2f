/**
 * YAML text, byte for byte what the `yaml` package writes, in one pass over plain JSON instead of building a YAML
 * document tree per value (the library's cost dominated the synthesis of many graphs).
 *
 * Two flavours: `manifestYaml` is cdk8s `Yaml.stringify` (YAML 1.1 schema, no line folding, undefined kept), the
 * text of every manifest file; `yamlText` is the package's own `stringify(value)` (YAML 1.2 core schema, lines
 * folded at 80 columns), the text of configuration files inside ConfigMaps. `sanitizedManifestYaml` writes a
 * manifest from an object's plain body, sorting and dropping nulls as cdk8s's ApiObject.toJson would first
 * (json-api-object.ts).
 *
 * The structure (block maps and sequences, `{}` and `[]`, null, booleans, numbers) is written here; single-line
 * strings are written by the library's rules for plain and quoted scalars and folded by its own `foldFlowLines`;
 * every other string, key or value, is written by the library's own string writer (`stringifyString` from
 * `yaml/util`) in the context the library would give it (indentation, key or value, the column it starts at), so
 * quoting, block scalars and folding are the library's. A document with anything else (undefined, -0, non-finite numbers, class instances, an
 * object met twice, which the library writes as an anchor and aliases, a key of over 1024 characters) is handed
 * whole to the library.
 */
import { Yaml } from './cdk8s.cjs';
import { Document, Scalar, stringify, type ToStringOptions } from 'yaml';
import { foldFlowLines, stringifyString, type StringifyContext } from 'yaml/util';

/** The library's minContentWidth (its default): foldFlowLines leaves a line of up to 1 + 20 characters alone at any
 * indentation. */
const MIN_CONTENT_WIDTH = 20;

interface Flavour {
  readonly lineWidth: number;
  /** The tests of the schema's implicit types besides str (null, bool, int, float...), as one: a plain string matching it is quoted. */
  readonly otherType: RegExp;
  /** Single-line strings as `line` writes them, for every document of the process (a pure function of the string). */
  readonly lines: Map<string, string>;
  /** The context the library gives a document's root (its createStringifyContext). */
  readonly root: StringifyContext;
  /** The library's own writer, for a document this module does not write. */
  readonly fallback: (doc: unknown) => string;
  /**
   * Quote the string `=`: YAML 1.1 reads a plain `=` as the `!!value` type, which PyYAML's safe loader cannot build,
   * so Python tools (checkov among them) reject the whole file (an AlertmanagerConfig's `matchType: =`). The library
   * writes it plain; Go's and JavaScript's parsers read both forms as the same string.
   */
  readonly quoteValueKey: boolean;
}

/** The library's stringify options (stringify.js, createStringifyContext) with the flavour's overrides. */
function flavour(version: '1.1' | '1.2', lineWidth: number, fallback: (doc: unknown) => string): Flavour {
  const doc = new Document(null, { version });
  const options = {
    blockQuote: true,
    defaultKeyType: null,
    defaultStringType: 'PLAIN',
    directives: null,
    doubleQuotedAsJSON: false,
    doubleQuotedMinMultiLineLength: 40,
    falseStr: 'false',
    flowCollectionPadding: true,
    indentSeq: true,
    lineWidth,
    minContentWidth: MIN_CONTENT_WIDTH,
    nullStr: 'null',
    simpleKeys: false,
    singleQuote: null,
    trailingComma: false,
    trueStr: 'true',
    verifyAliasOrder: true,
    commentString: (s: string) => s.replace(/^(?!$)(?: $)?/gm, '#'),
  } as unknown as Required<ToStringOptions>;
  const root = { anchors: new Set(), doc, flowCollectionPadding: ' ', indent: '', indentStep: '  ', inFlow: null, options } as unknown as StringifyContext;
  const { tags, compat } = doc.schema;
  const tests = [...tags, ...(compat ?? [])]
    .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && 'test' in t && t.test instanceof RegExp)
    .map((t) => (t as { test: RegExp }).test);
  if (tests.some((re) => re.flags !== '')) throw new Error('yaml-text: a schema test with flags cannot be joined');
  const otherType = new RegExp(tests.map((re) => `(?:${re.source})`).join('|'));
  return { lineWidth, otherType, lines: new Map(), root, fallback, quoteValueKey: version === '1.1' };
}

const MANIFEST = flavour('1.1', 0, (doc) => Yaml.stringify(doc));
const DEFAULT = flavour('1.2', 80, (doc) => stringify(doc));

class Fallback extends Error {}

const MAX_REMEMBERED = 50_000;
/**
 * Strings `line` leaves to the library: line breaks, tabs and other control characters, surrogates, document
 * markers (stringifyString.js, containsDocumentMarker), keys too long to be implicit.
 */
const UNUSUAL = /[\x00-\x1f\x7f-\x9f\uD800-\uDFFF]|^(?:%|---|\.\.\.)|^[^]{1025}/;
/**
 * Strings every flavour writes plain, without asking `line`: a letter, then letters, digits and `.`, `_`, `/`, `-`,
 * at least PLAIN_WORD_MIN characters long. No indicator, space or `:` can make them quoted, and the schemas' other
 * types (every test anchored at both ends) match a letter-first string only as a null or boolean word of at most
 * five characters; test/constructs/k8s/common/yaml-text.test.ts pins those tests, so a `yaml` upgrade that changes
 * them fails there first. Used where lines are not folded (the manifest flavour): a folding flavour moves a long word
 * to the next line after its key.
 */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const PLAIN_WORD_MIN = 6;
/** The library's rule for what a plain scalar may not be (stringifyString.js, `plainString`), single-line part. */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ ]|:[ ]| #|[ :]$/;

/**
 * The keys of `map` in the order of its sorted copy (sanitizeValue builds it key by key in sorted order): sorted, but
 * integer-like keys first in numeric order, as every JS object enumerates them. Maps here are small: an insertion
 * sort (string comparison by UTF-16 code units, as Array.prototype.sort's) up to SMALL keys, the built-in sort above.
 */
function sortedKeys(map: Record<string, unknown>): string[] {
  const keys = Object.keys(map);
  if (keys.length > SMALL) keys.sort();
  else {
    for (let i = 1; i < keys.length; i++) {
      const k = keys[i]!;
      let j = i - 1;
      for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
      keys[j + 1] = k;
    }
  }
  for (const k of keys) {
    const c = k.charCodeAt(0);
    // Sorted: past the first key that starts above '9', no key starts with a digit.
    if (c > 57) break;
    if (c >= 48) return Object.keys(Object.fromEntries(keys.map((x) => [x, 0])));
  }
  return keys;
}
const SMALL = 16;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

class Writer {
  private objects = new Set<object>();
  /**
   * Write a value as cdk8s's sanitizeValue leaves it (ApiObject.toJson): map keys sorted, null and undefined map
   * values left out; anything sanitizeValue would not copy as it is (a null list item, a class instance) falls back.
   */
  private sanitize = false;
  /** The document written so far. */
  private out = '';
  constructor(private readonly f: Flavour) {}

  /**
   * A string in the context the library gives it: indented as the collection's entries, a key or a value, and for
   * a map value the column it starts at (stringifyPair sets `indentAtStart`). A single-line string is written here
   * by the library's rules (`line`, remembered: it is the same at any depth) and, when the flavour folds lines and
   * it is long enough to be folded, folded by the library's own `foldFlowLines` as `plainString` and `quotedString`
   * do; any other string is written by the library's own writer.
   */
  private str(value: string, indent: string, implicitKey: boolean, indentAtStart?: number): string {
    // A key is one of few, met again and again: remembered. A value is often met once: the plain-word test first.
    if (!implicitKey && this.f.lineWidth === 0 && value.length >= PLAIN_WORD_MIN && value.length <= 1024 && PLAIN_WORD.test(value)) return value;
    let out = this.f.lines.get(value);
    if (out === undefined && !UNUSUAL.test(value) && (out = this.line(value)) !== undefined) {
      // Bounded: a long-lived process (a test run) synthesizes many specs.
      if (this.f.lines.size >= MAX_REMEMBERED) this.f.lines.clear();
      this.f.lines.set(value, out);
    }
    if (out !== undefined) {
      // Keys are never folded, nor anything of up to 1 + minContentWidth characters: the same at any indentation.
      if (implicitKey || this.f.lineWidth === 0 || out.length <= 1 + MIN_CONTENT_WIDTH) return out;
      // Plain and single-quoted strings fold as 'flow', double-quoted ones as 'quoted' (line() writes no escapes).
      return foldFlowLines(out, indent, out[0] === '"' ? 'quoted' : 'flow', { indentAtStart, lineWidth: this.f.lineWidth, minContentWidth: MIN_CONTENT_WIDTH });
    }
    const { doc, options, indentStep } = this.f.root;
    const ctx = { doc, options, indentStep, inFlow: null, actualString: true, implicitKey, indent, indentAtStart } as unknown as StringifyContext;
    out = stringifyString(new Scalar(value), ctx);
    // An explicit key (`? `) or a kept final line break (`|+`, which the library carries to the next line) is left
    // to the library.
    if ((implicitKey && out.length > 1024) || /^[|>]\d?\+/.test(out)) throw new Fallback();
    return out;
  }

  /**
   * The library's plainString and quotedString for a single line without tabs, control characters or document
   * markers: plain unless an indicator or `: `/` #` forbids it or plain would read back as another type in the
   * flavour's schema; then single quotes when only double quotes occur, else double quotes. Undefined for a string
   * that needs an escape, which the library writes.
   */
  private line(value: string): string | undefined {
    if (!NOT_PLAIN.test(value) && !this.f.otherType.test(value) && !(this.f.quoteValueKey && value === '=')) return value;
    if (value.includes('"') && !value.includes("'")) return `'${value}'`;
    const json = JSON.stringify(value);
    return json.includes('\\') ? undefined : json;
  }

  /** A scalar or empty collection as written at `indent` (the value's context); undefined for a block collection. */
  private scalar(v: unknown, indent: string, indentAtStart?: number): string | undefined {
    if (v === null) {
      // Sanitized, a null list item is undefined (null map values are skipped before they get here).
      if (this.sanitize) throw new Fallback();
      return 'null';
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) throw new Fallback();
      return JSON.stringify(v);
    }
    if (typeof v === 'string') return this.str(v, indent, false, indentAtStart);
    if (this.sanitize) return this.sanitizedCollection(v);
    if (!Array.isArray(v) && !isMap(v)) throw new Fallback();
    // The library writes an object met twice as an anchor and aliases (aliasDuplicateObjects).
    if (this.objects.has(v)) throw new Fallback();
    this.objects.add(v);
    if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
    return Object.keys(v).length === 0 ? '{}' : undefined;
  }

  /** `scalar` for a collection that sanitizeValue copies: a fresh copy, so never an alias; `{}` when no value is left. */
  private sanitizedCollection(v: unknown): string | undefined {
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) throw new Fallback();
      return v.length === 0 ? '[]' : undefined;
    }
    if (!isMap(v) || Object.hasOwn(v, 'constructor')) throw new Fallback();
    for (const k in v) if (v[k] !== null && v[k] !== undefined) return undefined;
    return '{}';
  }

  /**
   * Appends a non-empty block collection at `indent`; its first line carries no indentation (the caller's prefix
   * does). Sanitizing, the keys of maps below the root are sorted.
   */
  private block(v: unknown, indent: string, root = false): void {
    const inner = `${indent}  `;
    const newline = `\n${indent}`;
    let first = true;
    if (Array.isArray(v)) {
      for (const item of v) {
        this.out += first ? '- ' : `${newline}- `;
        first = false;
        const s = this.scalar(item, inner);
        if (s === undefined) this.block(item, inner);
        else this.out += s;
      }
      return;
    }
    const map = v as Record<string, unknown>;
    for (const k of this.sanitize && !root ? sortedKeys(map) : Object.keys(map)) {
      const item = map[k];
      if (this.sanitize && (item === null || item === undefined)) continue;
      const key = this.str(k, inner, true);
      this.out += first ? `${key}:` : `${newline}${key}:`;
      first = false;
      const s = this.scalar(item, inner, key.length + 2);
      if (s === undefined) {
        this.out += `\n${inner}`;
        this.block(item, inner);
      } else if (s !== '' && s[0] !== '\n') this.out += ` ${s}`;
      else this.out += s;
    }
  }

  document(doc: unknown): string {
    return this.write(doc, false) ?? this.f.fallback(doc);
  }

  /** The document of a value that sanitizeValue would copy as it is, sanitized (see `sanitize`); else undefined. */
  sanitizedDocument(doc: Record<string, unknown>): string | undefined {
    return this.write(doc, true);
  }

  private write(doc: unknown, sanitize: boolean): string | undefined {
    this.sanitize = sanitize;
    this.objects = new Set([doc as object]);
    this.out = '';
    try {
      if (!isMap(doc)) throw new Fallback();
      if ((sanitize ? this.sanitizedCollection(doc) : Object.keys(doc).length === 0 ? '{}' : undefined) === '{}') return '{}\n';
      this.block(doc, '', true);
      return `${this.out}\n`;
    } catch (e) {
      if (e instanceof Fallback) return undefined;
      throw e;
    }
  }
}

/** The YAML stream of `docs`, separated by `---`, exactly as cdk8s `Yaml.stringify(...docs)` writes it. */
export function manifestYaml(...docs: unknown[]): string {
  const w = new Writer(MANIFEST);
  return docs.map((d) => (d === undefined ? '\n' : w.document(d))).join('---\n');
}

/**
 * The manifest of an ApiObject from its plain body, as `manifestYaml(object.toJson())` writes it, without making the
 * JSON first: `doc` is the body with its top-level keys in ApiObject's order (apiVersion, kind, metadata, then
 * sorted); below the root, map keys are sorted, and null and undefined map values are left out everywhere, as cdk8s's
 * sanitizeValue does. Undefined when the body holds anything sanitizeValue would not copy as it is (the caller
 * renders `toJson()` instead).
 */
export function sanitizedManifestYaml(doc: Record<string, unknown>): string | undefined {
  return new Writer(MANIFEST).sanitizedDocument(doc);
}

/** `value` as YAML, exactly as `stringify(value)` of the `yaml` package writes it. */
export function yamlText(value: unknown): string {
  return new Writer(DEFAULT).document(value);
}
