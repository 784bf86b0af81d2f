/** The cloud profile: one place for each cloud fact, derived from the spec. */
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../../spec/schema.js';
import { cloudProfile, GKE_DRIVER_PATHS, GPU_TAINT, tolerationOf } from '../../../spec/profile/index.js';
import { specsFrom } from '../../support/synth.js';

const specs = specsFrom();

describe('cloud profile', () => {
  it.each([
    ['eks', 'eks.amazonaws.com/nodegroup', { key: 'eks.amazonaws.com/capacityType', value: 'SPOT', effect: 'NoSchedule' }],
    ['aks', 'kubernetes.azure.com/agentpool', { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }],
    ['gke', 'cloud.google.com/gke-nodepool', { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' }],
  ] as const)('%s: pools by the cloud\'s pool label; GPU taint everywhere, spot taint on spot pools only', (target, poolLabel, spotTaint) => {
    const p = cloudProfile(specs[target]);
    expect(p.systemPool!.nodeSelector).toEqual({ [poolLabel]: 'system' });
    expect(p.spotTaint).toEqual(spotTaint);
    expect(Object.keys(p.gpuPools)).toEqual(['gpu', 'gpuspot']);
    expect(p.gpuPools['gpu']).toMatchObject({ spot: false, nodeSelector: { [poolLabel]: 'gpu' }, taints: [GPU_TAINT] });
    expect(p.gpuPools['gpuspot']).toMatchObject({ spot: true, taints: [GPU_TAINT, spotTaint] });
    expect(p.gpuPools['gpuspot']!.tolerations).toEqual([tolerationOf(GPU_TAINT), tolerationOf(spotTaint)]);
  });

  it('GKE alone has driver directories, and they are directories to add (never a whole PATH)', () => {
    const p = cloudProfile(specs.gke).driverPaths!;
    expect(p).toEqual(GKE_DRIVER_PATHS);
    for (const d of [...p.binDirs, ...p.libraryDirs]) expect(d, 'one directory, not a path list').not.toContain(':');
    expect(p.libraryDirs).toContain('/usr/local/nvidia/lib64');
    for (const t of ['local', 'eks', 'aks'] as const) expect(cloudProfile(specs[t]).driverPaths).toBeUndefined();
  });

  it('local: no pools, the cluster default storage class, GPU workers tolerate any nvidia.com/gpu NoSchedule taint', () => {
    expect(cloudProfile(specs.local)).toEqual({
      target: 'local',
      storage: {},
      gpuNodeLabel: { key: 'nvidia.com/gpu.present', value: 'true' },
      gpuPools: {},
      gpuTolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  it('model storage kind picks the class per cloud', () => {
    const lustre = specsFrom('cluster: { modelStorage: { kind: lustre, size: 12Ti } }\ntargets: { gke: { cluster: { modelStorage: { size: 36000Gi } } } }');
    expect([lustre.eks, lustre.aks, lustre.gke].map((s) => cloudProfile(s).storage.modelCache!.provisioner)).toEqual([
      'fsx.csi.aws.com',
      'azurelustre.csi.azure.com',
      'lustre.csi.storage.gke.io',
    ]);
    // The defaults: shared files on EKS and GKE; Azure Managed Lustre on AKS, as the seed recommends.
    expect([specs.eks, specs.aks, specs.gke].map((s) => cloudProfile(s).storage.modelCache!.provisioner)).toEqual([
      'efs.csi.aws.com',
      'azurelustre.csi.azure.com',
      'filestore.csi.storage.gke.io',
    ]);
    expect(cloudProfile(specsFrom('targets: { aks: { cluster: { modelStorage: { kind: shared-file } } } }').aks).storage.modelCache!.provisioner).toBe('file.csi.azure.com');
  });

  it('fast network: EFA on AWS and InfiniBand on Azure, only on pools that ask for it', () => {
    const fast = specsFrom('targets: { eks: { cluster: { gpuPools: { gpu: { fastNetwork: true } } } }, gke: { cluster: { gpuPools: { gpu: { fastNetwork: true } } } } }');
    expect(cloudProfile(fast.eks).gpuPools['gpu']!.fastNetworkResource).toBe('vpc.amazonaws.com/efa');
    // The AKS spec refuses fastNetwork until the Network Operator is installed; the profile fact is ready for it.
    const aks = specsFrom().aks as Extract<Spec, { cluster: unknown }>;
    const ib = { ...aks, cluster: { ...aks.cluster, gpuPools: { gpu: { ...aks.cluster.gpuPools['gpu']!, fastNetwork: true } } } };
    expect(cloudProfile(ib).gpuPools['gpu']!.fastNetworkResource).toBe('rdma/ib');
    expect(cloudProfile(fast.gke).gpuPools['gpu']!.fastNetworkResource).toBeUndefined();
    expect(cloudProfile(fast.eks).gpuPools['gpuspot']!.fastNetworkResource).toBeUndefined();
  });

  it('spec taints add to the profile taints of a pool', () => {
    const s = specsFrom('cluster: { gpuPools: { gpu: { taints: [{ key: team, value: a, effect: NoSchedule }] } } }');
    expect(cloudProfile(s.aks).gpuPools['gpu']!.taints).toEqual([GPU_TAINT, { key: 'team', value: 'a', effect: 'NoSchedule' }]);
  });

  it('tolerationOf: Equal with a value, Exists without', () => {
    expect(tolerationOf({ key: 'k', effect: 'NoExecute' })).toEqual({ key: 'k', operator: 'Exists', effect: 'NoExecute' });
    expect(tolerationOf({ key: 'k', value: 'v', effect: 'NoSchedule' })).toEqual({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' });
  });
});
