/**
 * The GPU pools as Karpenter NodePools and EC2NodeClasses (EKS with `cluster.autoscaler: karpenter`): in the eks
 * output, so the GitOps path applies them like every other manifest, and in the deploy path as a release of their
 * own between the Karpenter release (its CRDs) and the platform release, so that `destroy` deletes them, and
 * Karpenter drains and terminates their nodes, before Karpenter goes. Names come from the spec alone (karpenterNames).
 */
import { Chart } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import { KarpenterGpuPool } from '../constructs/k8s/karpenter/gpu-node-pool.js';
import { DEFAULT_DISK_GIB } from '../stacks/common.js';
import { karpenterGpuPoolLabels, karpenterNames } from '../spec/profile/aws.js';
import type { CloudProfile } from '../spec/profile/types.js';
import type { Spec } from '../spec/schema.js';

export const NODE_POOLS_CHART = '02-node-pools';

export function addNodePoolsChart(app: App, spec: Spec, profile: CloudProfile): Chart | undefined {
  if (spec.target !== 'eks' || spec.cluster.autoscaler !== 'karpenter') return undefined;
  const c = spec.cluster;
  const names = karpenterNames(c.name);
  const chart = new Chart(app, NODE_POOLS_CHART, { disableResourceNameHashes: true });
  for (const [name, pool] of Object.entries(c.gpuPools).sort(([a], [b]) => a.localeCompare(b))) {
    new KarpenterGpuPool(chart, name, {
      name,
      nodeRole: names.nodeRole,
      discoveryTag: names.discoveryTag,
      instanceTypes: [pool.instanceType, ...(pool.instanceTypeAlternatives ?? [])],
      capacity: pool.capacity,
      ...(pool.zones && { zones: pool.zones }),
      labels: karpenterGpuPoolLabels(name, pool),
      taints: profile.gpuPools[name]!.taints,
      gpusPerNode: pool.gpusPerNode,
      maxNodes: pool.maxNodes,
      diskSizeGiB: pool.diskSizeGiB ?? DEFAULT_DISK_GIB.gpu,
      tags: { Name: `${c.name}-${name}` },
    });
  }
  return chart;
}
