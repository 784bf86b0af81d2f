/** The GKE constructs refuse inputs the cloud would refuse, naming the input, when used without the spec. */
import { Testing, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { GcpApis } from '../../../constructs/cloud/gcp/apis.js';
import { GkeIdentities } from '../../../constructs/cloud/gcp/identities.js';
import { GkeNodePool } from '../../../constructs/cloud/gcp/node-pool.js';

const stack = () => new TerraformStack(Testing.app(), 's');
const pool = { clusterId: 'c', name: 'gpu', machineType: 'g2-standard-48', serviceAccountEmail: 'sa', spot: false, diskSizeGiB: 200, labels: {}, taints: [] };

describe('GKE constructs', () => {
  it('GkeIdentities: a cluster name that gives an invalid service account id', () => {
    expect(() => new GkeIdentities(stack(), 'ids', { clusterName: '9lives', project: 'p', workloadNamespace: 'ns', workloadPool: 'p.svc.id.goog' })).toThrow(
      /GkeIdentities: clusterName "9lives" gives the nodes service account id "9lives-nodes"/,
    );
  });

  it('GkeNodePool: bounds that no per-zone start fits, and the per-zone start otherwise', () => {
    expect(() => new GkeNodePool(stack(), 'p', { ...pool, minNodes: 1, maxNodes: 2, desiredNodes: 1 })).toThrow(/GkeNodePool gpu: .* must include a multiple of 3/);
    const s = stack();
    new GkeNodePool(s, 'p', { ...pool, minNodes: 0, maxNodes: 8, desiredNodes: 8, zones: ['z-a', 'z-b'] });
    const [created] = Object.values((JSON.parse(Testing.synth(s)) as { resource: Record<string, Record<string, unknown>> }).resource['google_container_node_pool']!);
    expect(created).toMatchObject({ initial_node_count: 4, node_locations: ['z-a', 'z-b'], autoscaling: { total_min_node_count: 0, total_max_node_count: 8 } });
  });

  it('GcpApis: asking for an API the stack did not enable fails', () => {
    const apis = new GcpApis(stack(), 'apis', { apis: ['compute'] });
    expect(apis.of('compute')).toHaveLength(1);
    expect(() => apis.of('lustre')).toThrow('GcpApis: the lustre API (lustre.googleapis.com) is not in this stack\'s list of APIs');
  });
});
