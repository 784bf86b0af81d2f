/** One taint, three cloud spellings: the node pool (cdktf) and the toleration (cdk8s) start from the same value. */
import { describe, expect, it } from 'vitest';
import { toEksTaint } from '../../../constructs/cloud/aws/taints.js';
import { toAksTaint } from '../../../constructs/cloud/azure/taints.js';
import { toGkeTaint } from '../../../constructs/cloud/gcp/taints.js';
import { AKS_POOL_FACTS, GPU_TAINT, TAINT_EFFECTS } from '../../../spec/index.js';

describe('taint spellings', () => {
  it('the GPU taint on each cloud', () => {
    expect(toEksTaint(GPU_TAINT)).toEqual({ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' });
    expect(toAksTaint(GPU_TAINT)).toBe('nvidia.com/gpu=present:NoSchedule');
    expect(toGkeTaint(GPU_TAINT)).toEqual({ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' });
  });

  it("AKS's own spot taint, as AKS writes it", () => {
    expect(toAksTaint(AKS_POOL_FACTS.spotTaint)).toBe('kubernetes.azure.com/scalesetpriority=spot:NoSchedule');
  });

  it.each(TAINT_EFFECTS)('%s maps on every cloud, key-only taints included', (effect) => {
    const t = { key: 'k', effect };
    expect(toEksTaint(t)).toEqual({ key: 'k', effect: effect.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() });
    expect(toAksTaint(t)).toBe(`k:${effect}`);
    expect(toGkeTaint(t).value).toBe('');
  });
});
