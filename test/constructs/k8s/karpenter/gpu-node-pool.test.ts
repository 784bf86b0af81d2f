/** KarpenterGpuPool on its own: cluster-scoped objects in any chart, only empty nodes consolidated, refused labels. */
import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KarpenterGpuPool, type KarpenterGpuPoolProps } from '../../../../constructs/k8s/karpenter/gpu-node-pool.js';

const props: KarpenterGpuPoolProps = {
  name: 'h100',
  nodeRole: 'c-karpenter-node',
  discoveryTag: { key: 'karpenter.sh/discovery', value: 'c' },
  instanceTypes: ['p5.48xlarge'],
  capacity: 'on-demand',
  labels: { 'eks.amazonaws.com/nodegroup': 'h100' },
  taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
  gpusPerNode: 8,
  maxNodes: 3,
  diskSizeGiB: 500,
};

describe('KarpenterGpuPool', () => {
  it('emits a NodePool and an EC2NodeClass without a namespace, even in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'somewhere' });
    new KarpenterGpuPool(chart, 'h100', props);
    const objs = Testing.synth(chart) as { kind: string; metadata: { namespace?: string }; spec: Record<string, unknown> }[];
    expect(objs.map((o) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
    for (const o of objs) expect(o.metadata.namespace).toBeUndefined();
    const pool = objs.find((o) => o.kind === 'NodePool')!;
    expect(pool.spec['limits']).toEqual({ 'nvidia.com/gpu': '24' });
    // A busy GPU node is never consolidated away (its workers would restart and reload their models).
    expect(pool.spec['disruption']).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' });
    const cls = objs.find((o) => o.kind === 'EC2NodeClass')!;
    expect(cls.spec['blockDeviceMappings']).toEqual([{ deviceName: '/dev/xvda', ebs: { volumeSize: '500Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }]);
  });

  it('labels in the domains Karpenter reserves fail synthesis, naming the pool and the label', () => {
    const app = new App();
    new KarpenterGpuPool(new Chart(app, 'c'), 'p', { ...props, labels: { 'karpenter.sh/capacity-type': 'spot', 'topology.kubernetes.io/zone': 'a' } });
    const problems = app.node.findAll().flatMap((c) => c.node.validate());
    expect(problems).toEqual([
      'KarpenterGpuPool h100: label karpenter.sh/capacity-type: Karpenter restricts the karpenter.sh domain in NodePool labels',
      'KarpenterGpuPool h100: label topology.kubernetes.io/zone: Karpenter restricts the topology.kubernetes.io domain in NodePool labels',
    ]);
  });
});
