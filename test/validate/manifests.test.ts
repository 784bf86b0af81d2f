/**
 * Every object of every target, as `npm run synth` writes it, validates against the Kubernetes OpenAPI schemas;
 * every custom resource against its upstream CRD. Also spec variants that switch on optional objects.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_NAMES } from '../../spec/examples.js';
import { TARGETS } from '../../spec/schema.js';
import { hasReference } from '../support/env.js';
import { isCoreKind, validateCore, validateCustom } from '../support/kube-validate.js';
import { type KubeObject, specsFrom, synthSpec } from '../support/synth.js';

async function problems(objects: KubeObject[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of objects) out.push(...(isCoreKind(o.apiVersion) ? await validateCore(o) : validateCustom(o)));
  return out;
}

const VARIANTS: Record<string, string | undefined> = {
  defaults: undefined,
  'every shipped example, planner, compilation cache, auto-applied request': `
graphs:
${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}
  planned: { example: sglang-disagg, planner: { enabled: true }, health: { canary: { enabled: true } } }
  cached: { example: vllm-agg, compilationCache: { size: 20Gi } }
graphRequests:
  auto: { backend: trtllm, model: Qwen/Qwen3-0.6B, sla: { isl: 1000, osl: 100, ttftMs: 300, itlMs: 25 }, autoApply: true }
workloads: { modelCache: { storageClass: shared-rwx } }
targets: { local: { platform: { grove: { enabled: true } } } }
`,
  'namespace-scoped operator, wildcard RBAC, kubernetes discovery, no etcd': `
platform:
  etcd: { enabled: false }
  operator: { scope: namespace, discoveryBackend: kubernetes, upstreamWildcardRbac: true, replicas: 2 }
workloads: { namespace: dynamo-system }
`,
  'external NATS and etcd, no network policies, placement any': `
platform:
  placement: any
  nats: { externalAddress: "nats://nats.shared.internal:4222" }
  etcd: { externalAddress: "etcd.shared.internal:2379" }
  networkPolicy: { enabled: false, clientNamespaces: [], monitoringNamespaces: [] }
`,
};

describe.skipIf(!hasReference())('synthesized manifests validate', () => {
  for (const [variant, yaml] of Object.entries(VARIANTS)) {
    const specs = specsFrom(yaml);
    it.each(TARGETS)(`%s (${variant})`, async (target) => {
      const { objects } = synthSpec(specs[target]);
      expect(objects.length).toBeGreaterThan(5);
      expect(await problems(objects)).toEqual([]);
    });
  }

  it('webhook variant: core objects validate, and the only custom resources besides the Dynamo and KAI ones are the cert-manager Issuer and Certificate', async () => {
    const { objects } = synthSpec(specsFrom('platform: { operator: { webhook: { enabled: true, failurePolicy: Fail, timeoutSeconds: 10 } } }').eks);
    const core = objects.filter((o) => isCoreKind(o.apiVersion));
    expect(await problems(core)).toEqual([]);
    // cert-manager's CRDs are not in ../shared/reference: these two are checked field by field in the operator tests.
    const dynamo = objects.filter((o) => o.apiVersion.startsWith('nvidia.com/') || o.apiVersion.startsWith('scheduling.run.ai/'));
    expect(dynamo.flatMap(validateCustom)).toEqual([]);
    expect(objects.filter((o) => !isCoreKind(o.apiVersion) && !dynamo.includes(o)).map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual([
      'cert-manager.io/v1 Certificate',
      'cert-manager.io/v1 Issuer',
    ]);
  });

  it('the validators reject what they should (so a pass above means something)', async () => {
    const { objects } = synthSpec(specsFrom().local);
    const sts = structuredClone(objects.find((o) => o.kind === 'StatefulSet')!) as KubeObject & { spec: { replicas: unknown } };
    sts.spec.replicas = 'three';
    expect(await validateCore(sts)).toHaveLength(1);
    const queue = { apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name: 'q' }, spec: { resources: { gpu: { quota: 'lots' } }, bogus: 1 } };
    const errs = validateCustom(queue);
    expect(errs.some((e) => e.includes('/spec/resources/gpu/quota'))).toBe(true);
    expect(errs.some((e) => e.includes('bogus'))).toBe(true);
    expect(validateCustom({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: { name: 'g' }, spec: { services: {} } })).toEqual([]);
    expect(validateCustom({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } })[0]).toMatch(/no CRD/);
    // A synthesized graph with a misspelt service field, a bad multinode count and a bad backend is rejected.
    const dgd = structuredClone(objects.find((o) => o.kind === 'DynamoGraphDeployment')!) as KubeObject & { spec: { backendFramework: string; services: Record<string, Record<string, unknown>> } };
    dgd.spec.backendFramework = 'tgi';
    const [svc] = Object.values(dgd.spec.services);
    svc!['replica'] = 2;
    svc!['multinode'] = { nodeCount: 1 };
    const dgdErrs = validateCustom(dgd);
    expect(dgdErrs.some((e) => e.includes('/spec/backendFramework'))).toBe(true);
    expect(dgdErrs.some((e) => e.includes('replica'))).toBe(true);
    expect(dgdErrs.some((e) => e.includes('/multinode/nodeCount'))).toBe(true);
  });
});
