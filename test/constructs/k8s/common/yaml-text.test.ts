/**
 * The YAML writer is byte-identical to the library it replaces, for both flavours: cdk8s `Yaml.stringify` (every
 * manifest file) and the `yaml` package's `stringify` (configuration files in ConfigMaps). Each value below is
 * placed as a map value, a map key and a sequence item at several depths, so that quoting, block scalars, folding
 * at 80 columns, anchors for shared objects and the hand-over to the library are all compared.
 */
import { Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sanitizedJson } from '../../../../constructs/k8s/common/json-api-object.js';
import { manifestYaml, sanitizedManifestYaml, yamlText } from '../../../../constructs/k8s/common/yaml-text.js';

const LONG = 'a sentence long enough to be folded at eighty columns by the library, with words: and a colon';
const STRINGS = [
  '', 'x', 'true', 'True', 'yes', 'Yes', 'no', 'y', 'n', 'on', 'off', 'null', 'Null', '~', '8000', '-1', '+1', '0x1F', '0o17', '0b101',
  '017', '1e3', '1.5', '1_000', '12:30', '190:20:30', '.inf', '-.inf', '.nan', '.NaN', '2026-11-30', '2026-11-30T12:00:00Z',
  '-', '- a', '-a', '--http-port', '?', '? x', ':x', ': x', 'a: b', 'a:b', 'a #b', 'a#b', '#x', 'x:', 'x ', ' x', '*x', '&x', '!x',
  '|x', '>x', '%x', '@x', '`x', ',x', '[x', ']x', '{x', '}x', "'x", '"x', 'x"y', "x'y", `x"y'z`, 'back\\slash', 'tab\there',
  'bell\u0007', 'é ünïcode ✓', '{{ $labels.graph }}', 'sum by (a) (rate(x{component="frontend"}[5m]))', '---', '--- x', '...',
  'multi\nline', 'multi\nline\n', 'multi\n\nblank\n', 'multi\n  indented\nback', ' lead\nx', '\nlead', 'trail \nx', 'trail\n ',
  'keep\n\n', 'a\n---\nb', LONG, `${LONG} ${LONG}`, `"${LONG}"`, `${LONG}\n${LONG}\n`, 'k'.repeat(1030),
  // Single lines around the folding width at each depth, plain, single- and double-quoted, and unbreakable.
  ...[19, 20, 21, 22, 55, 58, 61, 64, 76, 79, 80, 81, 82, 120].flatMap((n) => [LONG.repeat(2).slice(0, n).trimEnd(), `"${LONG.slice(0, n)}"`, `'${LONG.slice(0, n)}'`, 'x'.repeat(n)]),
  'sum by (namespace, graph) (rate(dynamo_frontend_requests_total{status="error", component="frontend"}[5m])) / sum by (namespace, graph) (rate(dynamo_frontend_requests_total[5m])) > 0.05',
  `it's "both" kinds of quote in a line long enough to be folded by the library at eighty columns, with a back\\slash`,
  // Letter-first words of letters, digits and . _ / - (the manifest flavour's shortcut): around the null and boolean
  // words and their five-character limit, and long ones.
  'nullx', 'nullable', 'Nullify', 'NULLED', 'trueish', 'Truely', 'TRUE-1', 'falsey', 'False_', 'FALSEY', 'yesterday', 'Yes.no',
  'noway', 'NOPE12', 'online', 'On-off', 'offset', 'OFFICE', 'y12345', 'n/a/b/c', 'Nan123', 'inf123', 'x1e300',
  'nvidia.com/gpu.present', 'app.kubernetes.io/name', 'dynamo-frontend-g000-vllm-agg', 'Qwen/Qwen3-0.6B', 'a'.repeat(1024), 'a'.repeat(1025),
];
const OTHERS: unknown[] = [0, 7, -1, 1.5, 0.1, 1e21, -0, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], {}, [[]], [{}], { a: [] }];

/** A document holding `v` as a value, a key, a list item and deeper down. */
function docsWith(v: unknown): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [{ v }, { list: [v, v] }, { a: { b: [{ c: v, d: [v] }] } }, { a: [[v]] }];
  if (typeof v === 'string') docs.push({ [v]: 1 }, { a: { [v]: { [v]: v } } }, { a: [{ [v]: [v] }] });
  return docs;
}

describe('manifestYaml and yamlText write what the library writes', () => {
  for (const v of [...STRINGS, ...OTHERS]) {
    it(`${JSON.stringify(v)?.slice(0, 60) ?? String(v)}`, () => {
      for (const doc of docsWith(v)) {
        expect(manifestYaml(doc)).toBe(Yaml.stringify(doc));
        expect(yamlText(doc)).toBe(stringify(doc));
      }
    });
  }

  it('undefined values, shared objects, class instances and non-map roots', () => {
    const shared = { k: 'v' };
    const docs: unknown[] = [{ a: undefined, b: 1 }, { a: [undefined] }, { a: shared, b: shared }, { a: [shared, shared] }, { d: new Date(0) }, {}, ['x'], 'x'];
    for (const doc of docs) {
      expect(manifestYaml(doc)).toBe(Yaml.stringify(doc));
      expect(yamlText(doc)).toBe(stringify(doc));
    }
  });

  it('the one deliberate difference: a manifest quotes the string `=` (YAML 1.1 `!!value`, which PyYAML cannot load)', () => {
    const doc = { matchers: [{ matchType: '=', name: 'x' }], '=': 1 };
    const text = manifestYaml(doc);
    expect(Yaml.stringify(doc)).toContain('matchType: =\n');
    expect(text).toContain('matchType: "="\n');
    expect(text).toContain('"=": 1');
    expect(parse(text, { version: '1.1' })).toEqual(doc);
    expect(yamlText(doc)).toBe(stringify(doc));
  });

  it('a stream of documents, undefined ones included', () => {
    const docs = [{ a: 1 }, undefined, { b: 'multi\nline' }, { c: [] }];
    expect(manifestYaml(...docs)).toBe(Yaml.stringify(...docs));
    expect(manifestYaml()).toBe(Yaml.stringify());
  });
});

describe('sanitizedManifestYaml writes what manifestYaml writes of the sanitized copy (ApiObject.toJson)', () => {
  /** `doc` with its keys reversed, null and undefined values and integer-like keys beside them, at every level below the root. */
  const unsorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(unsorted);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v).reverse().map(([k, x]) => [k, unsorted(x)] as const);
    return Object.fromEntries([['zz-null', null], ['10', 'ten'], ...entries, ['0-undefined', undefined], ['2', 'two'], ['B', 'upper']]);
  };

  it('every value of the test above, as a value, a key, a list item and deeper down', () => {
    let written = 0;
    for (const v of [...STRINGS, ...OTHERS]) {
      for (const doc of docsWith(v)) {
        const root = Object.fromEntries(Object.entries(doc).map(([k, x]) => [k, unsorted(x)]));
        const text = sanitizedManifestYaml(root);
        // Undefined hands the object to toJson(): for a null list item (sanitized to undefined) or a non-finite number.
        if (text === undefined) continue;
        expect(text).toBe(manifestYaml(sanitizedJson(root)));
        written++;
      }
    }
    expect(written).toBeGreaterThan(1000);
  });

  it('keeps the order of the root, and leaves to toJson() what sanitizing would change otherwise', () => {
    expect(sanitizedManifestYaml({ b: 1, a: { d: 1, c: null } })).toBe('b: 1\na:\n  d: 1\n');
    expect(sanitizedManifestYaml({ a: [1, null] })).toBeUndefined();
    expect(sanitizedManifestYaml({ a: { b: new Date(0) } })).toBeUndefined();
    expect(sanitizedManifestYaml({ a: { constructor: 'x' } })).toBeUndefined();
    expect(sanitizedManifestYaml({ a: { b: null } })).toBe('a: {}\n');
    // The sanitized copy has no object twice, so no anchors and aliases.
    const shared = { k: 'v' };
    expect(sanitizedManifestYaml({ a: shared, b: [shared] })).toBe('a:\n  k: v\nb:\n  - k: v\n');
  });
});

describe('the shortcuts of the writer rest on what they assume', () => {
  it("the schemas' tests of other types are the ones the plain-word shortcut was derived from (a yaml upgrade that changes them fails here)", async () => {
    const { Document } = await import('yaml');
    const sources = (version: '1.1' | '1.2') => {
      const { tags, compat } = new Document(null, { version }).schema;
      return [...tags, ...(compat ?? [])]
        .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && 'test' in t && t.test instanceof RegExp)
        .map((t) => (t as { test: RegExp }).test.source);
    };
    // Every test is anchored at both ends, and those a letter can start (null, bool) match words of at most five characters.
    for (const version of ['1.1', '1.2'] as const) {
      for (const src of sources(version)) expect(src, src).toMatch(/^\^.*\$$/);
      const letterFirst = sources(version).filter((src) => /^\^(\(\?:)?(~\||\[?[A-Za-z])/.test(src));
      expect(letterFirst.length, version).toBeGreaterThan(0);
      for (const src of letterFirst) {
        const words = src.replace(/^\^\(\?:/, '').replace(/\)\??\$$/, '').split('|');
        for (const w of words) expect(w.replace(/\[(.)(.)\]/g, '$1').length, `${version} ${src}: ${w}`).toBeLessThanOrEqual(5);
      }
    }
    expect(sources('1.1')).toHaveLength(14);
    expect(sources('1.2')).toHaveLength(8);
  });

  it('sanitized maps of any size come out sorted as the sanitized copy (insertion sort up to 16 keys, the built-in sort above)', () => {
    const pool = ['a', 'B', '_x', '10', '2', '0', 'é', 'a-b', 'a.b', 'Z', 'zz', 'aa', 'a_', '-', '1a', '99', 'x/y', 'ü', 'A', 'b'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let size = 0; size <= 40; size++) {
      const keys = Array.from({ length: size }, (_, i) => `${pool[next() % pool.length]!}${i % 3 === 0 ? '' : i}`);
      const map = Object.fromEntries(keys.map((k, i) => [k, i % 5 === 0 ? null : { v: i, [keys[(i + 1) % size]!]: 'x' }]));
      const root = { data: map };
      expect(sanitizedManifestYaml(root), `size ${size}`).toBe(manifestYaml(sanitizedJson(root)));
    }
  });
});
