/**
 * The Kubernetes API endpoint: private by default on every cloud; public only with the ranges that may reach it;
 * the whole internet (any /0) is allowed but warned about, and CIDRs without a public endpoint are an error.
 */
import { describe, expect, it } from 'vitest';
import { openEndpointWarnings } from '../../spec/endpoint-warnings.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';

describe('the Kubernetes API endpoint', () => {
  it('is private by default on every cloud, with no warning', () => {
    const specs = specsFrom();
    for (const cloud of CLOUD_TARGETS) {
      const spec = specs[cloud];
      expect(spec.target !== 'local' && spec.cluster.network).toMatchObject({ publicEndpoint: false, publicAccessCidrs: [] });
    }
    expect(openEndpointWarnings(specs)).toEqual([]);
  });

  it('public with named ranges: no warning', () => {
    expect(openEndpointWarnings(specsFrom('cluster: { network: { publicEndpoint: true, publicAccessCidrs: [203.0.113.0/24] } }'))).toEqual([]);
  });

  it.each(['0.0.0.0/0', '128.0.0.0/0'])('public to %s: one warning per cloud target naming the field and the range', (world) => {
    const w = openEndpointWarnings(specsFrom(`targets: { aks: { cluster: { network: { publicEndpoint: true, publicAccessCidrs: [10.1.0.0/16, "${world}"] } } } }`));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`cluster.network.publicAccessCidrs of target aks opens the Kubernetes API endpoint to the whole internet (${world})`);
  });

  it('a public endpoint needs ranges; ranges need a public endpoint', () => {
    expect(() => specsFrom('cluster: { network: { publicEndpoint: true } }')).toThrow(/cluster\.network\.publicAccessCidrs: a public endpoint needs at least one allowed CIDR/);
    expect(() => specsFrom('cluster: { network: { publicAccessCidrs: [203.0.113.0/24] } }')).toThrow(/cluster\.network\.publicEndpoint: publicAccessCidrs only apply to a public endpoint/);
    expect(() => specsFrom('targets: { gke: { cluster: { network: { privateNodes: false } } } }')).toThrow(/cluster\.network\.privateNodes: a private GKE control plane needs private nodes/);
    expect(() => specsFrom('targets: { gke: { cluster: { network: { privateNodes: false, publicEndpoint: true, publicAccessCidrs: [203.0.113.0/24] } } } }')).not.toThrow();
  });
});
