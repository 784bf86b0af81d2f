/**
 * The README's install step creates every namespace the manifests put objects in: our own Namespace objects, the
 * prerequisite Helm releases (`--create-namespace`) or the step's `kubectl create namespace` lines. Otherwise
 * `kubectl apply -f dist/<target>/` fails with "namespaces ... not found" (the simulated cluster found this on
 * `local`, where no kube-prometheus-stack creates `monitoring`).
 */
import { describe, expect, it } from 'vitest';
import { externalNamespaces, platformPrerequisites } from '../../charts/prerequisites.js';
import { TARGETS } from '../../spec/schema.js';
import { specsFrom, synthSpec } from '../support/synth.js';

const VARIANTS = {
  defaults: undefined,
  'no kube-prometheus-stack': 'observability: { installStack: false, prometheusOperator: false }\n',
  'observability off': 'observability: { enabled: false }\n',
};

describe.each(Object.entries(VARIANTS))('every namespace the manifests use exists after step 2 (%s)', (_, yaml) => {
  it.each(TARGETS)('%s', (target) => {
    const spec = specsFrom(yaml)[target];
    const objects = synthSpec(spec).objects;
    const created = new Set([
      'default',
      'kube-system',
      ...objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
      ...platformPrerequisites(spec).map((p) => p.namespace),
      ...externalNamespaces(spec).map((n) => n.name),
    ]);
    const used = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((n) => !created.has(n))).toEqual([]);
  });
});
