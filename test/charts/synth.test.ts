/**
 * Synthesis cost stays flat as graphs grow: the whole app is walked a fixed number of times per target whatever
 * the number of graphs (no validation or chart render walks the app per construct or per chart), and every
 * construct is validated once.
 */
import { Node } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { synthK8sTarget } from '../../charts/synth.js';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { TARGETS } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';

const specWith = (count: number) =>
  specsFrom(`graphs:\n${Array.from({ length: count }, (_, i) => `  g${i}: { example: ${EXAMPLE_NAMES[i % EXAMPLE_NAMES.length]} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`);

/** Whole-app walks (findAll on the root) and validations per construct during one synthesis. */
function walks(spec: ReturnType<typeof specWith>[keyof ReturnType<typeof specWith>]): { rootWalks: number; maxValidations: number } {
  let rootWalks = 0;
  const validations = new Map<Node, number>();
  const findAll = Node.prototype.findAll;
  const validate = Node.prototype.validate;
  vi.spyOn(Node.prototype, 'findAll').mockImplementation(function (this: Node, ...args) {
    if (!this.scope) rootWalks++;
    return findAll.apply(this, args);
  });
  vi.spyOn(Node.prototype, 'validate').mockImplementation(function (this: Node) {
    validations.set(this, (validations.get(this) ?? 0) + 1);
    return validate.apply(this);
  });
  synthK8sTarget(spec);
  vi.restoreAllMocks();
  return { rootWalks, maxValidations: Math.max(...validations.values()) };
}

afterEach(() => vi.restoreAllMocks());

describe('synthesis walks the app a fixed number of times', () => {
  const [small, large] = [specWith(2), specWith(12)];
  for (const target of TARGETS) {
    it(target, () => {
      const a = walks(small[target]);
      const b = walks(large[target]);
      expect(b.rootWalks).toBe(a.rootWalks);
      expect(a.rootWalks).toBeLessThanOrEqual(3);
      expect(b.maxValidations).toBe(1);
    });
  }
});

describe('each file carries the kinds of its documents', () => {
  // The deploy path picks its StorageClass release by these kinds instead of parsing the YAML again: they must be
  // the documents' own, in order.
  const specs = specWith(3);
  for (const target of TARGETS) {
    it(target, () => {
      for (const f of synthK8sTarget(specs[target])) {
        const parsed = parseAllDocuments(f.content).map((d) => (d.toJS() as { kind: string }).kind);
        expect(f.kinds, f.path).toEqual(parsed);
      }
    });
  }
});
