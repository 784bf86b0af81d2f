/** DynamoGraphDeploymentRequest: SLA targets into the profiler config, pinned images, validation. */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DynamoGraphDeploymentRequest, type DynamoGraphDeploymentRequestProps } from '../../../../constructs/k8s/graph/graph-request.js';
import { hasReference } from '../../../support/env.js';
import { validateCustom } from '../../../support/kube-validate.js';
import { type KubeObject, one } from '../../../support/synth.js';

const base: DynamoGraphDeploymentRequestProps = { model: 'Qwen/Qwen3-0.6B', backend: 'sglang', sla: { isl: 3000, osl: 150, ttftMs: 200, itlMs: 20 } };
function build(props: Partial<DynamoGraphDeploymentRequestProps> = {}) {
  const chart = Testing.chart();
  const r = new DynamoGraphDeploymentRequest(chart, 'req', { namespace: 'work', ...base, ...props });
  const problems = r.node.validate();
  const obj = problems.length ? undefined : (one(Testing.synth(chart) as KubeObject[], 'DynamoGraphDeploymentRequest') as KubeObject & { spec: Record<string, any> }); // eslint-disable-line @typescript-eslint/no-explicit-any
  return { problems, obj };
}

describe('DynamoGraphDeploymentRequest', () => {
  it('model, backend, SLA in the profiler config, the backend runtime image as profiler and workers, no auto-apply by default', () => {
    const { obj } = build();
    expect(obj!.spec).toEqual({
      model: 'Qwen/Qwen3-0.6B',
      backend: 'sglang',
      autoApply: false,
      enableGpuDiscovery: false,
      profilingConfig: {
        profilerImage: 'nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.9.0',
        config: { sweep: { useAiConfigurator: false }, sla: { isl: 3000, osl: 150, ttft: 200, itl: 20 } },
      },
      deploymentOverrides: { workersImage: 'nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.9.0' },
    });
  });

  it('auto-apply with a graph name; extra profiler config merged over the generated keys', () => {
    const { obj } = build({ autoApply: true, deploymentName: 'qwen', config: { sweep: { useAiConfigurator: true, aicSystem: 'h200_sxm' } } });
    expect(obj!.spec['autoApply']).toBe(true);
    expect(obj!.spec['deploymentOverrides']).toMatchObject({ name: 'qwen' });
    expect(obj!.spec['profilingConfig']['config']['sweep']).toEqual({ useAiConfigurator: true, aicSystem: 'h200_sxm' });
  });

  it.each<[string, Partial<DynamoGraphDeploymentRequestProps>, string]>([
    ['a zero TTFT', { sla: { ...base.sla, ttftMs: 0 } }, 'DynamoGraphDeploymentRequest req: sla.ttftMs: must be a positive number, got 0'],
    ['a fractional sequence length', { sla: { ...base.sla, isl: 10.5 } }, 'DynamoGraphDeploymentRequest req: sla.isl: a token count is a whole number, got 10.5'],
    ['no model', { model: '' }, 'DynamoGraphDeploymentRequest req: model: required, got ""'],
  ])('refuses %s', (_, props, message) => {
    expect(build(props).problems).toContain(message);
  });

  it.skipIf(!hasReference())('validates against the upstream CRD', () => {
    expect(validateCustom(build().obj!)).toEqual([]);
    expect(validateCustom(build({ autoApply: true, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }).obj!)).toEqual([]);
  });
});
