/**
 * Every selector we emit over graph pods selects pods that exist at run time. On the Grove path (the default on the
 * clouds) Grove overwrites `app.kubernetes.io/name`, `/component`, `/managed-by` and `/part-of` on every pod, so a
 * selector on those keys matches nothing: the disruption budgets protect nothing, the exposure Service has no
 * endpoints, the NetworkPolicies open nothing, the monitors scrape nothing. The pods' labels are modelled in
 * test/support/operator.ts (podLabels); the selectors are read from the synthesized targets.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { TARGETS } from '../../spec/schema.js';
import { type DgdJson, GROVE_OWNED_LABELS, podLabels, runsOnGrove } from '../support/operator.js';
import { byKind, type KubeObject, specsFrom, synthSpec } from '../support/synth.js';

type Labels = Record<string, string>;
type Obj = KubeObject & { spec?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const exposed = (n: string) => `  ${n}: { example: ${n}, expose: { mode: load-balancer }${n === 'vllm-disagg' ? ', planner: { enabled: true }' : ''} }`;
const YAML = `graphs:\n${EXAMPLE_NAMES.map(exposed).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;
const specs = specsFrom(YAML);
const WORKLOADS = 'dynamo-workloads';

const matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The selectors over pods of the workload namespace, each with where it came from. */
function workloadSelectors(objs: Obj[]): { where: string; selector: Labels }[] {
  const out: { where: string; selector: Labels }[] = [];
  const add = (where: string, sel: unknown) => {
    if (sel && typeof sel === 'object' && Object.keys(sel).length) out.push({ where, selector: sel as Labels });
  };
  for (const o of objs) {
    const where = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'PodMonitor' && (o.spec?.['namespaceSelector']?.['matchNames'] as string[] | undefined)?.includes(WORKLOADS)) add(where, o.spec?.['selector']?.['matchLabels']);
    if (o.metadata.namespace !== WORKLOADS) continue;
    if (o.kind === 'PodDisruptionBudget') add(where, o.spec?.['selector']?.['matchLabels']);
    if (o.kind === 'Service') add(where, o.spec?.['selector']);
    if (o.kind === 'NetworkPolicy') add(where, o.spec?.['podSelector']?.['matchLabels']);
    if (o.kind === 'DynamoGraphDeployment') {
      for (const [name, svc] of Object.entries(o.spec?.['services'] ?? {}) as [string, Record<string, any>][]) { // eslint-disable-line @typescript-eslint/no-explicit-any
        for (const c of svc['extraPodSpec']?.['topologySpreadConstraints'] ?? []) add(`${where}/${name} spread`, c['labelSelector']?.['matchLabels']);
        for (const a of svc['extraPodSpec']?.['affinity']?.['podAntiAffinity']?.['preferredDuringSchedulingIgnoredDuringExecution'] ?? []) add(`${where}/${name} anti-affinity`, a['podAffinityTerm']?.['labelSelector']?.['matchLabels']);
      }
    }
  }
  return out;
}

describe.each(TARGETS)('%s: selectors over graph pods', (target) => {
  const spec = specs[target];
  const objs = synthSpec(spec).objects as Obj[];
  const pods = byKind(objs, 'DynamoGraphDeployment').flatMap((d) => {
    const dgd = d as unknown as DgdJson & { metadata: { annotations?: Record<string, string> } };
    const grove = runsOnGrove(dgd, spec.platform.grove.enabled);
    return Object.keys(dgd.spec.services).map((s) => ({ where: `${dgd.metadata.name}/${s}`, labels: podLabels(dgd, s, grove) }));
  });
  const selectors = workloadSelectors(objs).filter((s) => !s.selector['app.kubernetes.io/name']?.startsWith('model-cache'));

  it('the case is live: graphs, pods and selectors of every kind', () => {
    expect(pods.length).toBeGreaterThan(EXAMPLE_NAMES.length);
    const kinds = new Set(selectors.map((s) => s.where.split('/')[0]));
    for (const k of ['PodDisruptionBudget', 'Service', 'NetworkPolicy', 'PodMonitor', 'DynamoGraphDeployment']) {
      if ((k === 'PodDisruptionBudget' || k === 'DynamoGraphDeployment') && target === 'local') continue; // one frontend on local: no budget, no spread
      if (k === 'PodMonitor' && target === 'local') continue; // a plain prometheus.yml there (tested in observability)
      if (k === 'Service' && target === 'eks') continue; // an ALB Ingress to the operator's Service there
      expect(kinds, k).toContain(k);
    }
  });

  it('no selector uses a key that Grove owns on the pods', () => {
    for (const s of selectors) for (const k of GROVE_OWNED_LABELS) expect(Object.keys(s.selector), s.where).not.toContain(k);
  });

  it('every selector selects some pod as it runs', () => {
    for (const s of selectors) expect(pods.some((p) => matches(p.labels, s.selector)), `${s.where} ${JSON.stringify(s.selector)} selects no pod`).toBe(true);
  });
});
