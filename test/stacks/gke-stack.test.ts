/**
 * The GKE stack's Terraform JSON: the cluster's security settings, GPU pools with GKE-installed drivers and
 * accelerators, spot from zero with its taint, the model store (Filestore add-on or Managed Lustre with private
 * services access), Artifact Registry, identities, protection, address stability, and agreement with dist/gke.
 * (Reference integrity and provider pins of every stack are checked in eks-stack.test.ts.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../stacks/app.js';
import { VERSIONS } from '../../spec/versions.js';
import { byKind, specsFrom, synthSpec } from '../support/synth.js';

type Block = Record<string, Record<string, Record<string, any>>>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface TfJson { resource: Block; output: Record<string, { value: unknown }> }

function gke(yaml?: string): TfJson {
  const out = mkdtempSync(join(tmpdir(), 'gke-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return JSON.parse(readFileSync(join(out, 'stacks', 'gke', 'cdk.tf.json'), 'utf8')) as TfJson;
}
const base = gke();
const resources = (tf: TfJson, type: string) => Object.values(tf.resource[type] ?? {});
const pools = (tf: TfJson) => Object.fromEntries(resources(tf, 'google_container_node_pool').map((p) => [p['name'] as string, p]));
const addresses = (tf: TfJson) => Object.entries(tf.resource).flatMap(([type, rs]) => Object.keys(rs).map((n) => `${type}.${n}`)).sort();

describe('GKE resources carry the expected values', () => {
  it('a regional VPC-native cluster: release channel and matrix version, Workload Identity, shielded nodes, Dataplane V2, private nodes', () => {
    expect(resources(base, 'google_container_cluster')[0]).toMatchObject({
      location: 'us-central1',
      min_master_version: VERSIONS.kubernetes.gke,
      release_channel: { channel: 'REGULAR' },
      networking_mode: 'VPC_NATIVE',
      remove_default_node_pool: true,
      enable_shielded_nodes: true,
      datapath_provider: 'ADVANCED_DATAPATH',
      // The public endpoint admits the deployer's address only (looked up at plan time; test/stacks/api-access.test.ts).
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false },
      master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '${chomp(data.http.deployer_ip.response_body)}/32' }] },
      addons_config: { gcp_filestore_csi_driver_config: { enabled: true } },
      deletion_protection: true,
    });
    expect(resources(gke('cluster: { network: { publicEndpoint: true, publicAccessCidrs: [203.0.113.0/24] } }'), 'google_container_cluster')[0]).toMatchObject({
      private_cluster_config: { enable_private_endpoint: false },
      master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '203.0.113.0/24' }] },
    });
    expect(String(resources(base, 'google_container_cluster')[0]!['workload_identity_config']['workload_pool'])).toMatch(/\.svc\.id\.goog$/);
    expect(resources(base, 'google_compute_subnetwork')[0]!['secondary_ip_range'].map((r: { range_name: string }) => r.range_name)).toEqual(['pods', 'services']);
  });

  it('GPU pools: guest accelerator with GKE driver installation LATEST, autoscaling from 0 with a location policy, GKE metadata server', () => {
    const p = pools(base);
    for (const name of ['gpu', 'gpuspot']) {
      expect(p[name]!['node_config']['guest_accelerator']).toEqual([{ type: 'nvidia-l4', count: 4, gpu_driver_installation_config: { gpu_driver_version: 'LATEST' } }]);
      expect(p[name]!['autoscaling']).toMatchObject({ total_min_node_count: 0, total_max_node_count: 2 });
      expect(p[name]!['node_config']).toMatchObject({ workload_metadata_config: { mode: 'GKE_METADATA' }, shielded_instance_config: { enable_secure_boot: true } });
    }
    expect(p['gpu']!['autoscaling']['location_policy']).toBe('BALANCED');
    expect(p['system']!['node_config']['guest_accelerator']).toBeUndefined();
  });

  it('spot pools: spot VMs with their own taint; GKE adds the GPU taint itself, so no pool lists it', () => {
    const p = pools(base);
    expect(p['gpuspot']).toMatchObject({ autoscaling: { location_policy: 'ANY' }, node_config: { spot: true } });
    expect(p['gpuspot']!['node_config']['taint']).toEqual([{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(p['gpu']!['node_config']['taint']).toEqual([]);
    expect(p['gpu']!['node_config']['spot']).toBe(false);
  });

  it('identities: a least-privilege node service account (not the Compute default), a workload account bound through Workload Identity', () => {
    expect(resources(base, 'google_project_iam_member').map((m) => m['role']).sort()).toEqual([
      'roles/artifactregistry.reader',
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
    ]);
    for (const p of Object.values(pools(base))) expect(String(p['node_config']['service_account'])).toMatch(/google_service_account\.identities_nodes/);
    // The pool named through the cluster (`<project>.svc.id.goog`), so the binding waits for it (see gke-apply-order).
    expect(String(resources(base, 'google_service_account_iam_member')[0]!['member'])).toMatch(/^serviceAccount:\$\{google_container_cluster\.[^}]+\.workload_identity_config\[0\]\.workload_pool\}\[dynamo-workloads\/dynamo-gcp\]$/);
  });

  it('Artifact Registry: Docker, immutable tags, protected; protection is lifted by protectStatefulResources: false', () => {
    expect(resources(base, 'google_artifact_registry_repository')[0]).toMatchObject({ format: 'DOCKER', docker_config: { immutable_tags: true }, lifecycle: { prevent_destroy: true } });
    const open = gke('cluster: { protectStatefulResources: false }');
    expect(resources(open, 'google_artifact_registry_repository')[0]!['lifecycle']).toEqual({ prevent_destroy: false });
    expect(resources(open, 'google_container_cluster')[0]!['deletion_protection']).toBe(false);
  });

  it('Managed Lustre: the CSI add-on and private services access; the storage class is ours in dist/gke, so no storage release', () => {
    const tf = gke('targets: { gke: { cluster: { modelStorage: { kind: lustre, tier: performance, size: 9000Gi } } } }');
    expect(resources(tf, 'google_container_cluster')[0]!['addons_config']['lustre_csi_driver_config']).toEqual({ enabled: true });
    expect(resources(tf, 'google_compute_global_address')[0]).toMatchObject({ purpose: 'VPC_PEERING', prefix_length: 20 });
    expect(resources(tf, 'google_service_networking_connection')).toHaveLength(1);
    for (const t of [tf, base]) expect(resources(t, 'helm_release').map((r) => r['name'])).not.toContain('dynamo-iac-storage');
  });

  it('Managed Lustre: LNet (tcp 988, and 6988 for gkeSupportEnabled instances) admitted into the VPC from the peering range', () => {
    // Google's GKE Managed Lustre guide: an ingress rule on the VPC from the range's CIDR (address/prefix), tcp:988,tcp:6988.
    const tf = gke('targets: { gke: { cluster: { modelStorage: { kind: lustre, tier: performance, size: 9000Gi } } } }');
    const [rangeAddress] = Object.keys(tf.resource['google_compute_global_address']!);
    const range = tf.resource['google_compute_global_address']![rangeAddress!]!;
    const rules = resources(tf, 'google_compute_firewall').filter((r) => (r['direction'] ?? 'INGRESS') === 'INGRESS');
    const lnet = rules.filter((r) => (r['allow'] as { protocol: string; ports?: string[] }[]).some((a) => a.protocol === 'tcp' && a.ports?.includes('988')));
    expect(lnet).toHaveLength(1);
    const rule = lnet[0]!;
    expect(rule['allow']).toEqual([{ protocol: 'tcp', ports: ['988', '6988'] }]);
    expect(rule['source_ranges']).toEqual([`\${google_compute_global_address.${rangeAddress}.address}/${range['prefix_length']}`]);
    expect(rule['network']).toBe(range['network']);
    expect(rule['target_tags'] ?? rule['target_service_accounts']).toBeUndefined();
    // Filestore needs no such rule (its NFS clients connect out; egress is open), nor does an existing network (its owner's).
    expect(resources(base, 'google_compute_firewall')).toEqual([]);
    const shared = gke('targets: { gke: { cluster: { modelStorage: { kind: lustre, tier: performance, size: 9000Gi }, network: { existing: { networkId: projects/host/global/networks/shared, subnetIds: [projects/host/regions/us-central1/subnetworks/gke] } } } } }');
    expect(resources(shared, 'google_compute_firewall')).toEqual([]);
  });

  it('the deploy path: no GPU Operator (GKE runs drivers and the device plugin), the GKE auth plugin per connection', () => {
    expect(resources(base, 'helm_release').map((r) => r['name']).sort()).toEqual(['dynamo-crds', 'dynamo-iac-platform', 'dynamo-iac-storage-classes', 'grove', 'kai-scheduler', 'kube-prometheus-stack']);
    const provider = (base as unknown as { provider: { helm: { kubernetes: { exec: { command: string } } }[] } }).provider.helm[0]!;
    expect(provider.kubernetes.exec.command).toBe('gke-gcloud-auth-plugin');
  });

  it('address stability: adding or removing a GPU pool touches only that pool; same spec, same JSON', () => {
    const before = addresses(base);
    const added = addresses(gke('cluster: { gpuPools: { h100: { instanceType: a3-highgpu-8g, accelerator: nvidia-h100-80gb, gpusPerNode: 8, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1, labels: {}, taints: [] } } }'));
    const removed = addresses(gke('cluster: { gpuPools: { gpuspot: null } }'));
    expect(added.filter((a) => !before.includes(a)).every((a) => a.includes('gpu-pool-h100'))).toBe(true);
    expect(before.filter((a) => !added.includes(a))).toEqual([]);
    expect(before.filter((a) => !removed.includes(a)).every((a) => a.includes('gpu-pool-gpuspot'))).toBe(true);
    expect(JSON.stringify(gke())).toBe(JSON.stringify(base));
  });
});

describe('cross-layer: the stack and dist/gke agree', () => {
  it('GPU workloads tolerate the GPU taint, the spot taint only on spot pools, and add the driver directory to the image library path', () => {
    const spotPools = new Set(Object.values(pools(base)).filter((p) => p['node_config']['spot']).map((p) => p['name'] as string));
    let checked = 0;
    for (const dgd of byKind(synthSpec(specsFrom().gke).objects, 'DynamoGraphDeployment')) {
      for (const svc of Object.values((dgd as unknown as { spec: { services: Record<string, Record<string, any>> } }).spec.services)) { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (svc['componentType'] !== 'worker') continue;
        const poolsOf: string[] = svc['extraPodSpec']['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms'][0]['matchExpressions'][0]['values'];
        const keys = (svc['extraPodSpec']['tolerations'] as { key: string }[]).map((t) => t.key);
        expect(keys).toContain('nvidia.com/gpu');
        expect(keys.includes('cloud.google.com/gke-spot')).toBe(poolsOf.some((p) => spotPools.has(p)));
        // The driver directory is appended to the image's own LD_LIBRARY_PATH at start, never set as a literal.
        expect((svc['envs'] as { name: string }[]).map((e) => e.name)).not.toContain('LD_LIBRARY_PATH');
        expect(svc['extraPodSpec']['mainContainer']['args'][0]).toContain('LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/nvidia/lib64"');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2);
  });

  it('container logs: system and workload logging, system components only with logs off', () => {
    expect(resources(base, 'google_container_cluster')[0]!['logging_config']).toEqual({ enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS'] });
    expect(resources(gke('cluster: { logs: { enabled: false } }'), 'google_container_cluster')[0]!['logging_config']).toEqual({ enable_components: ['SYSTEM_COMPONENTS'] });
  });
});
