/**
 * The Kubernetes API endpoint: public by default on every cloud, limited to the deployer's address (empty
 * publicAccessCidrs: looked up at plan time); named ranges replace it; the whole internet (any /0) is allowed but
 * warned about, and CIDRs without a public endpoint are an error.
 */
import { describe, expect, it } from 'vitest';
import { openEndpointWarnings } from '../../spec/endpoint-warnings.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { specsFrom } from '../support/synth.js';

describe('the Kubernetes API endpoint', () => {
  it('is public by default on every cloud, limited to the deployer (no ranges in the spec), with no warning', () => {
    const specs = specsFrom();
    for (const cloud of CLOUD_TARGETS) {
      const spec = specs[cloud];
      expect(spec.target !== 'local' && spec.cluster.network).toMatchObject({ publicEndpoint: true, publicAccessCidrs: [] });
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

  it('ranges need a public endpoint; a private GKE control plane needs private nodes', () => {
    expect(() => specsFrom('cluster: { network: { publicEndpoint: false, publicAccessCidrs: [203.0.113.0/24] } }')).toThrow(/cluster\.network\.publicEndpoint: publicAccessCidrs only apply to a public endpoint/);
    expect(() => specsFrom('targets: { gke: { cluster: { network: { privateNodes: false, publicEndpoint: false } } } }')).toThrow(/cluster\.network\.privateNodes: a private GKE control plane needs private nodes/);
    expect(() => specsFrom('targets: { gke: { cluster: { network: { privateNodes: false } } } }')).not.toThrow();
    expect(() => specsFrom('cluster: { network: { publicEndpoint: false } }')).not.toThrow();
  });
});
