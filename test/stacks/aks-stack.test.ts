/**
 * The AKS stack's Terraform JSON: the cluster's identity, RBAC and network policy settings, GPU pools without AKS's
 * driver, spot pools from zero, the storage tiers with their classes, ACR with AcrPull for the kubelet identity,
 * protection, the deploy path's order, address stability, and agreement with dist/aks. (Reference integrity and
 * provider pins of every stack are checked in eks-stack.test.ts.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../stacks/app.js';
import { VERSIONS } from '../../spec/versions.js';
import { cloudProfile } from '../../spec/profile/index.js';
import { byKind, problemsOf, specsFrom, synthSpec } from '../support/synth.js';

type Block = Record<string, Record<string, Record<string, unknown>>>;
interface TfJson { resource: Block; output: Record<string, { value: unknown }>; terraform: { required_providers: Record<string, unknown> }; provider?: unknown }

function aks(yaml?: string): { tf: TfJson; out: string } {
  const out = mkdtempSync(join(tmpdir(), 'aks-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return { tf: JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as TfJson, out };
}
const base = aks().tf;
const resources = (tf: TfJson, type: string) => Object.values(tf.resource[type] ?? {});
const addresses = (tf: TfJson) => Object.entries(tf.resource).flatMap(([type, rs]) => Object.keys(rs).map((n) => `${type}.${n}`)).sort();

describe('AKS resources carry the expected values', () => {
  it('the cluster: matrix version, OIDC issuer and workload identity, Azure RBAC, local accounts off, Cilium network policy', () => {
    expect(resources(base, 'azurerm_kubernetes_cluster')[0]).toMatchObject({
      kubernetes_version: VERSIONS.kubernetes.aks,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      role_based_access_control_enabled: true,
      local_account_disabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
      network_profile: { network_plugin: 'azure', network_plugin_mode: 'overlay', network_data_plane: 'cilium', network_policy: 'cilium' },
      // The public API server admits the deployer's address only (looked up at plan time; test/stacks/api-access.test.ts).
      private_cluster_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['${chomp(data.http.deployer_ip.response_body)}/32'] },
      default_node_pool: { name: 'system', auto_scaling_enabled: true, min_count: 2 },
    });
    expect(resources(aks('cluster: { network: { publicEndpoint: true, publicAccessCidrs: [203.0.113.0/24] } }').tf, 'azurerm_kubernetes_cluster')[0]).toMatchObject({
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] },
    });
    expect(resources(aks('cluster: { localAccounts: true }').tf, 'azurerm_kubernetes_cluster')[0]!['local_account_disabled']).toBe(false);
    expect(resources(base, 'azurerm_role_assignment').map((r) => r['role_definition_name']).sort()).toEqual(['AcrPull', 'Azure Kubernetes Service RBAC Cluster Admin', 'Key Vault Crypto Officer', 'Key Vault Crypto User', 'Network Contributor']);
  });

  it('every GPU pool skips the AKS driver (gpu_driver None: the GPU Operator owns driver, device plugin and DCGM)', () => {
    const pools = resources(aks('cluster: { gpuPools: { nd: { instanceType: Standard_ND96isr_H100_v5, accelerator: nvidia-h100, gpusPerNode: 8, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 2, labels: {}, taints: [] } } }').tf, 'azurerm_kubernetes_cluster_node_pool');
    expect(pools).toHaveLength(3);
    for (const p of pools) expect(p['gpu_driver']).toBe('None');
  });

  it('spot pools: Spot priority, Delete eviction, no price cap, min 0, the spot taint and label listed; on-demand pools neither', () => {
    const pools = Object.fromEntries(resources(base, 'azurerm_kubernetes_cluster_node_pool').map((p) => [p['name'] as string, p]));
    expect(pools['gpuspot']).toMatchObject({ priority: 'Spot', eviction_policy: 'Delete', spot_max_price: -1, auto_scaling_enabled: true, min_count: 0 });
    expect(pools['gpuspot']!['node_taints']).toEqual(['nvidia.com/gpu=present:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    expect(pools['gpuspot']!['node_labels']).toMatchObject({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
    expect(pools['gpu']!['priority']).toBeUndefined();
    expect(pools['gpu']!['node_taints']).toEqual(['nvidia.com/gpu=present:NoSchedule']);
  });

  it('default tier (the seed\'s): Azure Managed Lustre, protected, in its own subnet; compilation cache on Azure Disk', () => {
    expect(resources(base, 'azurerm_managed_lustre_file_system')[0]).toMatchObject({ sku_name: 'AMLFS-Durable-Premium-500', storage_capacity_in_tb: 4, zones: ['1'], lifecycle: { prevent_destroy: true } });
    expect(resources(base, 'azurerm_subnet').map((s) => s['name']).sort()).toEqual(['lustre', 'nodes']);
    const profile = cloudProfile(specsFrom().aks);
    expect(profile.storage.modelCache!.name).toBe('azurelustre-model-cache');
    expect(profile.storage.compilationCache!.name).toBe('cache-disk-premium');
  });

  it.each([
    ['shared-file', 'azurefile-csi-premium', 'ReadWriteMany', false],
    ['disk', 'cache-disk-premium', 'ReadWriteOnce', false],
    ['blob', 'azureblob-nfs-premium', 'ReadWriteMany', true],
  ] as const)('tier %s: class %s (%s), no Lustre resource', (kind, cls, mode, blob) => {
    const { tf } = aks(`targets: { aks: { cluster: { modelStorage: { kind: ${kind} } } } }`);
    expect(resources(tf, 'azurerm_managed_lustre_file_system')).toEqual([]);
    expect((resources(tf, 'azurerm_kubernetes_cluster')[0]!['storage_profile'] as Record<string, unknown>)['blob_driver_enabled']).toBe(blob);
    const claim = byKind(synthSpec(specsFrom(`targets: { aks: { cluster: { modelStorage: { kind: ${kind} } } } }`).aks).objects, 'PersistentVolumeClaim', 'model-cache')[0] as unknown as { spec: { storageClassName: string; accessModes: string[] } };
    expect(claim.spec).toMatchObject({ storageClassName: cls, accessModes: [mode] });
  });

  it('the local tier: NVMe through the local CSI driver, as a per-pod ephemeral volume (the driver admits no standalone claims)', () => {
    const spec = specsFrom('targets: { aks: { cluster: { modelStorage: { compilationCache: local } }, graphs: { vllm-agg: { compilationCache: { size: 100Gi } } } } }').aks;
    const { objects } = synthSpec(spec);
    const dgd = byKind(objects, 'DynamoGraphDeployment', 'vllm-agg')[0] as unknown as { spec: { pvcs: { name: string }[]; services: Record<string, Record<string, any>> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(dgd.spec.pvcs.map((p) => p.name)).toEqual(['model-cache']);
    const worker = dgd.spec.services['VllmWorker']!;
    expect(worker['extraPodSpec']['volumes']).toContainEqual(expect.objectContaining({ name: 'compilation-cache', ephemeral: expect.objectContaining({ volumeClaimTemplate: expect.objectContaining({ spec: expect.objectContaining({ storageClassName: 'local-ephemeral' }) }) }) }));
    expect(worker['envs']).toContainEqual({ name: 'VLLM_CACHE_ROOT', value: '/home/dynamo/.cache/vllm' });
    expect(byKind(objects, 'StorageClass').map((c) => c.metadata.name)).toContain('local-ephemeral');
    const { tf } = aks('targets: { aks: { cluster: { modelStorage: { compilationCache: local } } } }');
    expect(resources(tf, 'helm_release').map((r) => r['name'])).toContain('local-csi-driver');
  });

  it('ACR with AcrPull for the kubelet identity, protected; registry URL as an output', () => {
    expect(resources(base, 'azurerm_container_registry')[0]).toMatchObject({ name: 'dynamodynamo', admin_enabled: false, lifecycle: { prevent_destroy: true } });
    const pull = resources(base, 'azurerm_role_assignment').find((r) => r['role_definition_name'] === 'AcrPull')!;
    expect(pull['principal_id']).toMatch(/\.kubelet_identity\[0\]\.object_id\}$/);
    expect(pull['skip_service_principal_aad_check']).toBe(true);
    expect(String(base.output['registry_url']!.value)).toMatch(/azurerm_container_registry\..*\.login_server/);
  });

  it('protectStatefulResources: false lifts prevent_destroy from Lustre and the registry', () => {
    const { tf } = aks('cluster: { protectStatefulResources: false }');
    for (const type of ['azurerm_managed_lustre_file_system', 'azurerm_container_registry']) expect(resources(tf, type)[0]!['lifecycle']).toEqual({ prevent_destroy: false });
  });
});

describe('AKS rules', () => {
  it.each([
    ['a pool name AKS refuses', 'targets: { aks: { cluster: { gpuPools: { gpu-big: { instanceType: x, accelerator: y, gpusPerNode: 1, capacity: spot, fastNetwork: false, minNodes: 0, maxNodes: 1, labels: {}, taints: [] } } } } }', 'targets.aks.cluster.gpuPools.gpu-big: an AKS node pool name is 1-12 lower-case letters and digits, starting with a letter ("gpu-big"), got {"instanceType":"x","accelerator":"y","gpusPerNode":1,"capacity":"spot","fast...'],
    ['Lustre in the wrong size', 'targets: { aks: { cluster: { modelStorage: { size: 6Ti } } } }', 'targets.aks.cluster.modelStorage.size: Azure Managed Lustre AMLFS-Durable-Premium-500 comes in multiples of 4 TiB (write e.g. 4Ti), got "6Ti"'],
    ['InfiniBand before the Network Operator', 'targets: { aks: { cluster: { gpuPools: { gpu: { fastNetwork: true } } } } }', 'targets.aks.cluster.gpuPools.gpu.fastNetwork: InfiniBand on AKS needs the NVIDIA Network Operator (RDMA device plugin), which this stack does not install yet: set fastNetwork: false, got true'],
    ['an AKS tier on EKS', 'targets: { eks: { cluster: { modelStorage: { kind: blob } } } }', 'targets.eks.cluster.modelStorage.kind: the blob tier exists on aks only; use shared-file or lustre, got "blob"'],
  ])('%s', (_, text, message) => {
    expect(problemsOf(text)).toContain(message);
  });
});

describe('the deploy path on AKS', () => {
  it('GPU Operator with its driver (the pools skip AKS\'s), the Lustre CSI driver, then Grove, KAI, storage class and platform', () => {
    const releases = Object.entries(base.resource['helm_release']!);
    const byName = Object.fromEntries(releases.map(([id, r]) => [r['name'] as string, { id, r }]));
    const order = ['dynamo-crds', 'kube-prometheus-stack', 'gpu-operator', 'azurelustre-csi-driver', 'grove', 'kai-scheduler', 'dynamo-iac-storage', 'dynamo-iac-platform'];
    for (let i = 1; i < order.length; i++) expect(byName[order[i]!]!.r['depends_on']).toEqual([`helm_release.${byName[order[i - 1]!]!.id}`]);
    expect(byName['gpu-operator']!.r['set']).toEqual([{ name: 'driver.enabled', value: 'true' }, { name: 'toolkit.enabled', value: 'true' }]);
    expect(String((byName['gpu-operator']!.r['values'] as string[])[0])).toContain('kubernetes.azure.com/scalesetpriority');
    expect(String((byName['dynamo-iac-storage']!.r['values'] as string[])[0])).toContain('mgs-ip-address');
    expect(JSON.stringify(base.resource['helm_release'])).not.toContain('token');
  });

  // Azure/kubelogin pkg/internal/token/options.go: `--use-azurerm-env-vars` reads ARM_CLIENT_ID, ARM_CLIENT_SECRET,
  // ARM_CLIENT_CERTIFICATE_PATH(+_PASSWORD) and ARM_TENANT_ID (spn; the client id of msi); workloadidentity reads
  // AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST; msi without a client id uses
  // the system-assigned identity. The server id is the AKS API server's Entra application, the same in every tenant.
  it.each([
    ['azurecli', ['--login', 'azurecli']],
    ['spn', ['--login', 'spn', '--use-azurerm-env-vars']],
    ['workloadidentity', ['--login', 'workloadidentity']],
    ['msi', ['--login', 'msi', '--use-azurerm-env-vars']],
  ])('deploy.aksLogin %s: the Helm provider runs kubelogin in that mode, credentials from the environment only', (mode, login) => {
    const tf = mode === 'azurecli' ? base : aks(`cluster: { deploy: { aksLogin: ${mode} } }`).tf;
    const provider = (tf as unknown as { provider: { helm: { kubernetes: { exec: { api_version: string; command: string; args: string[]; env?: unknown } } }[] } }).provider.helm[0]!;
    expect(provider.kubernetes.exec).toEqual({ api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', ...login, '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'] });
    expect(tf.output['kubeconfig_command']!.value).toBe(`az aks get-credentials --resource-group dynamo --name dynamo && kubelogin convert-kubeconfig ${login.join(' ')}`);
    // No credential flag with a value, no environment block: kubelogin reads the variables when it runs.
    expect(JSON.stringify(tf.provider)).not.toMatch(/client-secret|client-certificate|federated-token-file|ARM_CLIENT_SECRET/);
  });

  it('an unknown kubelogin mode is refused', () => {
    expect(problemsOf('cluster: { deploy: { aksLogin: devicecode } }').join('\n')).toMatch(/^cluster\.deploy\.aksLogin: .*devicecode/m);
  });
});

describe('address stability', () => {
  it('adding or removing a GPU pool touches only that pool', () => {
    const before = addresses(base);
    const added = addresses(aks('cluster: { gpuPools: { extra: { instanceType: Standard_NC24ads_A100_v4, accelerator: nvidia-a100, gpusPerNode: 1, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1, labels: {}, taints: [] } } }').tf);
    const removed = addresses(aks('cluster: { gpuPools: { gpuspot: null } }').tf);
    expect(added.filter((a) => !before.includes(a)).every((a) => a.includes('gpu-pool-extra'))).toBe(true);
    expect(before.filter((a) => !added.includes(a))).toEqual([]);
    expect(before.filter((a) => !removed.includes(a)).every((a) => a.includes('gpu-pool-gpuspot'))).toBe(true);
    expect(JSON.stringify(aks().tf)).toBe(JSON.stringify(base));
  });
});

describe('cross-layer: the stack and dist/aks agree', () => {
  it('GPU workloads tolerate the spot taint exactly when their pool is spot; every class a claim names exists in the tier', () => {
    const { objects } = synthSpec(specsFrom().aks);
    const spotPools = new Set(resources(base, 'azurerm_kubernetes_cluster_node_pool').filter((p) => p['priority'] === 'Spot').map((p) => p['name'] as string));
    let checked = 0;
    for (const dgd of byKind(objects, 'DynamoGraphDeployment')) {
      for (const svc of Object.values((dgd as unknown as { spec: { services: Record<string, Record<string, any>> } }).spec.services)) { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (svc['componentType'] !== 'worker') continue;
        const pools: string[] = svc['extraPodSpec']['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms'][0]['matchExpressions'][0]['values'];
        const spot = (svc['extraPodSpec']['tolerations'] as { key: string }[]).some((t) => t.key === 'kubernetes.azure.com/scalesetpriority');
        expect(spot).toBe(pools.some((p) => spotPools.has(p)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2);
    const profile = cloudProfile(specsFrom().aks);
    const tier = new Set([profile.storage.block!.name, profile.storage.modelCache!.name, profile.storage.compilationCache!.name]);
    for (const c of byKind(objects, 'PersistentVolumeClaim')) expect(tier).toContain((c as unknown as { spec: { storageClassName: string } }).spec.storageClassName);
  });

  it('container logs: Container Insights into a Log Analytics workspace with managed-identity auth, its data collection rule associated with the cluster; none with logs off', () => {
    const ws = Object.entries(base.resource['azurerm_log_analytics_workspace'] ?? {});
    expect(ws).toHaveLength(1);
    expect(ws[0]![1]).toMatchObject({ retention_in_days: 30, sku: 'PerGB2018' });
    const clusters = Object.entries(base.resource['azurerm_kubernetes_cluster']!);
    expect(clusters[0]![1]['oms_agent']).toEqual({ log_analytics_workspace_id: `\${azurerm_log_analytics_workspace.${ws[0]![0]}.id}`, msi_auth_for_monitoring_enabled: true });
    const [ruleId, rule] = Object.entries(base.resource['azurerm_monitor_data_collection_rule']!)[0]!;
    expect(rule['destinations']).toEqual({ log_analytics: [{ name: 'ciworkspace', workspace_resource_id: `\${azurerm_log_analytics_workspace.${ws[0]![0]}.id}` }] });
    expect((rule['data_flow'] as { streams: string[] }[])[0]!.streams).toContain('Microsoft-ContainerLogV2');
    const ext = (rule['data_sources'] as { extension: { extension_name: string; extension_json: string }[] }).extension[0]!;
    expect(ext.extension_name).toBe('ContainerInsights');
    expect(JSON.parse(ext.extension_json).dataCollectionSettings.enableContainerLogV2).toBe(true);
    const assoc = Object.values(base.resource['azurerm_monitor_data_collection_rule_association']!)[0]!;
    expect(assoc).toMatchObject({ target_resource_id: `\${azurerm_kubernetes_cluster.${clusters[0]![0]}.id}`, data_collection_rule_id: `\${azurerm_monitor_data_collection_rule.${ruleId}.id}` });
    const off = aks('cluster: { logs: { enabled: false } }').tf;
    for (const type of ['azurerm_log_analytics_workspace', 'azurerm_monitor_data_collection_rule', 'azurerm_monitor_data_collection_rule_association']) expect(off.resource[type]).toBeUndefined();
    expect(resources(off, 'azurerm_kubernetes_cluster')[0]!['oms_agent']).toBeUndefined();
    expect(problemsOf('cluster: { logs: { retentionDays: 7 } }')).toContain('cluster.logs.retentionDays: must be at least 30 (the Log Analytics minimum), got 7');
  });

  it('the cluster identity may create internal load balancers in the node subnet (Network Contributor there)', () => {
    const cluster = resources(base, 'azurerm_kubernetes_cluster')[0]!;
    const identity = /^\$\{(azurerm_user_assigned_identity\.[^.]+)\.id\}$/.exec(String((cluster['identity'] as { identity_ids: string[] }).identity_ids[0]))![1];
    const grant = resources(base, 'azurerm_role_assignment').find((r) => r['role_definition_name'] === 'Network Contributor')!;
    expect(grant['principal_id']).toBe(`\${${identity}.principal_id}`);
    // The node subnet, through its security group association (the grant waits for the group).
    expect(String(grant['scope'])).toMatch(/^\$\{azurerm_subnet_network_security_group_association\.[^}]+\.subnet_id\}$/);
  });
});
