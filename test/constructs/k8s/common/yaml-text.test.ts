/**
 * The YAML writer is byte-identical to the library it replaces, for both flavours: cdk8s `Yaml.stringify` (every
 * manifest file) and the `yaml` package's `stringify` (configuration files in ConfigMaps). Each value below is
 * placed as a map value, a map key and a sequence item at several depths, so that quoting, block scalars, folding
 * at 80 columns, anchors for shared objects and the hand-over to the library are all compared.
 */
import { Yaml } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { manifestYaml, yamlText } from '../../../../constructs/k8s/common/yaml-text.js';

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

  it('a stream of documents, undefined ones included', () => {
    const docs = [{ a: 1 }, undefined, { b: 'multi\nline' }, { c: [] }];
    expect(manifestYaml(...docs)).toBe(Yaml.stringify(...docs));
    expect(manifestYaml()).toBe(Yaml.stringify());
  });
});
