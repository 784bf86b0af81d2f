/**
 * Every namespace we create is default-deny for ingress (checkov has no check for it; the rule is ours): a Namespace
 * in the output always comes with a NetworkPolicy in it that selects every pod and allows no ingress, whatever the
 * namespaces are called, on every target, including the shipped examples' graphs.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../spec/schema.js';
import { byKind, specsFrom, synthSpec } from '../support/synth.js';

type Policy = { metadata: { namespace?: string }; spec: { podSelector: Record<string, unknown>; policyTypes?: string[]; ingress?: unknown[] } };

const SPECS = {
  defaults: undefined,
  'renamed namespaces': 'platform: { namespace: inference-platform }\nworkloads: { namespace: inference-apps }\n',
};

describe('every namespace we create is default-deny for ingress', () => {
  for (const [label, yaml] of Object.entries(SPECS)) {
    it.each(TARGETS)(`${label}, %s`, (target) => {
      const { objects } = synthSpec(specsFrom(yaml)[target]);
      const namespaces = byKind(objects, 'Namespace').map((n) => n.metadata.name);
      expect(namespaces.length).toBeGreaterThan(0);
      const denyAll = (byKind(objects, 'NetworkPolicy') as unknown as Policy[]).filter(
        (p) => Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes?.includes('Ingress') && (p.spec.ingress ?? []).length === 0,
      );
      for (const ns of namespaces) expect(denyAll.map((p) => p.metadata.namespace), `namespace ${ns}`).toContain(ns);
    });
  }
});
