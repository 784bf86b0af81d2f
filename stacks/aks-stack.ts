/**
 * The AKS stack (`cdktf deploy aks`): resource group, virtual network, the cluster (system pool, OIDC issuer and
 * workload identity, Entra ID with Azure RBAC, Cilium network policy, Secrets encrypted with a Key Vault key under a
 * user-assigned control-plane identity), GPU node pools without AKS's driver (the GPU
 * Operator owns it), spot pools from zero, the model store tier of the spec (Azure Managed Lustre by default, as the
 * seed recommends), Azure Container Registry with AcrPull for the kubelet identity, and the deploy path.
 */
import { AzurermProvider, ContainerRegistry, DataAzurermClientConfig, ResourceGroup, RoleAssignment } from '../constructs/cloud/azure/provider.cjs';
import { TerraformOutput } from '../constructs/cloud/cdktf.cjs';
import { IndependentStack } from './independent-stack.js';
import type { Construct } from 'constructs';
import { exposedFrontends } from '../charts/frontend-access.js';
import { platformPrerequisites } from '../charts/prerequisites.js';
import { AKS_SYSTEM_ROTATION_POOL, AksCluster } from '../constructs/cloud/azure/cluster.js';
import { AksControlPlaneIdentity } from '../constructs/cloud/azure/identity.js';
import { AksSecretsKey } from '../constructs/cloud/azure/secrets-key.js';
import { AksContainerInsights } from '../constructs/cloud/azure/container-insights.js';
import { AksLustre } from '../constructs/cloud/azure/model-storage.js';
import { AksNetwork } from '../constructs/cloud/azure/network.js';
import { kubeloginExec, kubeloginLoginArgs } from '../constructs/cloud/azure/kubelogin.js';
import { AksGpuNodePool, aksRotationPoolName, assertDistinctPoolNames } from '../constructs/cloud/azure/node-pool.js';
import { KubernetesLayer } from '../constructs/cloud/deploy/kubernetes-layer.js';
import { type CloudStorageClass, modelStorageClassOutput } from '../constructs/cloud/deploy/model-storage-class.js';
import { AKS_SPOT_LABEL, aksOsSku, aksProfile } from '../spec/profile/azure.js';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { poolSize, type TargetManifests } from './common.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';
import { apiAccessCidrs } from './api-access.js';

/** Registry names are global and alphanumeric. */
export const acrName = (cluster: string): string => `${cluster.replace(/[^a-z0-9]/g, '')}dynamo`.slice(0, 50);

export class AksStack extends IndependentStack {
  constructor(scope: Construct, id: string, spec: CloudSpec, manifests: TargetManifests) {
    super(scope, id);
    const c = spec.cluster;
    const profile = aksProfile(spec);
    localState(this, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    pinProvider(this, 'azurerm', VERSIONS.providers.azurerm);

    const rg = new ResourceGroup(this, 'group', { name: c.name, location: c.region });
    const lustre = c.modelStorage.kind === 'lustre';
    const network = new AksNetwork(this, 'network', {
      name: c.name,
      resourceGroupName: rg.name,
      location: rg.location,
      cidr: c.network.cidr,
      lustreSubnet: lustre,
      ...(c.network.existing && { existing: { subnetIds: c.network.existing.subnetIds } }),
      loadBalancerClients: exposedFrontends(spec).map((f) => ({ sourceCidrs: f.clientCidrs, port: f.port })),
    });
    const sys = c.systemPool;
    const logs = c.logs.enabled
      ? new AksContainerInsights(this, 'logs', { clusterName: c.name, resourceGroupName: rg.name, location: rg.location, retentionDays: c.logs.retentionDays })
      : undefined;
    // The control plane's own identity, its grants and the Secrets key, all effective before the cluster exists.
    const client = new DataAzurermClientConfig(this, 'client', {});
    const controlPlane = new AksControlPlaneIdentity(this, 'control-plane', { clusterName: c.name, resourceGroupName: rg.name, location: rg.location, nodeSubnetId: network.nodeSubnetId, protect: c.protectStatefulResources });
    const enc = c.encryption;
    pinProvider(this, 'time', VERSIONS.unboundProviders.time);
    const secretsKey = new AksSecretsKey(this, 'secrets-key', {
      clusterName: c.name,
      resourceGroupName: rg.name,
      location: rg.location,
      tenantId: client.tenantId,
      subscriptionId: client.subscriptionId,
      deployerObjectId: client.objectId,
      principalId: controlPlane.identity.principalId,
      protect: c.protectStatefulResources,
      ...(enc.secretsKey && enc.keyVaultId && { existing: { keyId: enc.secretsKey, keyVaultId: enc.keyVaultId } }),
      grants: [controlPlane.subnetGrant],
      timeProvider: VERSIONS.unboundProviders.time,
    });
    const aks = new AksCluster(this, 'cluster', {
      name: c.name,
      resourceGroupName: rg.name,
      location: rg.location,
      version: c.kubernetesVersion,
      nodeSubnetId: network.nodeSubnetId,
      system: {
        name: sys.name,
        vmSize: sys.instanceType,
        ...poolSize(sys, 'system'),
        labels: sys.labels,
        osSku: aksOsSku(spec, 'system'),
        ...(sys.zones && { zones: sys.zones }),
      },
      publicEndpoint: c.network.publicEndpoint,
      publicAccessCidrs: apiAccessCidrs(this, c.network),
      localAccountsDisabled: !c.localAccounts,
      admins: c.admins,
      blobDriver: c.modelStorage.kind === 'blob',
      ...(logs && { logAnalyticsWorkspaceId: logs.workspace.id }),
      identityId: controlPlane.identity.id,
      secretsKeyId: secretsKey.keyId,
      hostEncryption: enc.atHost,
      dependsOn: [secretsKey.ready],
    });
    logs?.attach(aks.cluster.id);
    const cluster = aks.cluster;

    assertDistinctPoolNames([
      { field: 'cluster.systemPool.name', name: sys.name },
      { field: 'cluster.systemPool (temporary rotation pool)', name: AKS_SYSTEM_ROTATION_POOL },
      ...Object.keys(c.gpuPools).flatMap((name) => [
        { field: `cluster.gpuPools.${name}`, name },
        { field: `cluster.gpuPools.${name} (temporary rotation pool)`, name: aksRotationPoolName(name) },
      ]),
    ]);
    const pools: AksGpuNodePool[] = [];
    for (const [name, pool] of Object.entries(c.gpuPools).sort(([a], [b]) => a.localeCompare(b))) {
      pools.push(
        new AksGpuNodePool(this, `gpu-pool-${name}`, {
          clusterId: cluster.id,
          name,
          vmSize: pool.instanceType,
          subnetId: network.nodeSubnetId,
          spot: pool.capacity === 'spot',
          osSku: aksOsSku(spec, 'gpu'),
          hostEncryption: enc.atHost,
          ...poolSize(pool, 'gpu'),
          labels: { ...pool.labels, 'dynamo-iac.io/accelerator': pool.accelerator, ...(pool.capacity === 'spot' && AKS_SPOT_LABEL) },
          taints: profile.gpuPools[name]!.taints,
          ...(pool.zones && { zones: pool.zones }),
        }),
      );
    }

    const store = lustre
      ? new AksLustre(this, 'model-storage', {
          name: c.name,
          resourceGroupName: rg.name,
          location: rg.location,
          tier: c.modelStorage.tier,
          sizeTiB: Number(/^([0-9]+)Ti$/.exec(c.modelStorage.size)?.[1] ?? Number(/^([0-9]+)Gi$/.exec(c.modelStorage.size)?.[1]) / 1024),
          subnetId: network.lustreSubnetId!,
          protect: c.protectStatefulResources,
        })
      : undefined;

    const registry = c.registry.enabled
      ? new ContainerRegistry(this, 'registry', {
          name: acrName(c.name),
          resourceGroupName: rg.name,
          location: rg.location,
          sku: 'Standard',
          adminEnabled: false,
          lifecycle: { preventDestroy: c.protectStatefulResources },
        })
      : undefined;
    if (registry) {
      new RoleAssignment(this, 'kubelet-acr-pull', {
        scope: registry.id,
        roleDefinitionName: 'AcrPull',
        principalId: cluster.kubeletIdentity.objectId,
        skipServicePrincipalAadCheck: true,
      });
    }

    const modelClass: CloudStorageClass | undefined = store && { profile: profile.storage.modelCache!, parameters: store.storageClassParameters };
    if (c.deploy.platform) {
      pinProvider(this, 'helm', VERSIONS.providers.helm);
      new KubernetesLayer(this, 'kubernetes', {
        access: {
          host: cluster.kubeConfig.get(0).host,
          clusterCaCertificateBase64: cluster.kubeConfig.get(0).clusterCaCertificate,
          // Entra ID token per connection, signed in the way Terraform is (cluster.deploy.aksLogin); works with local accounts off.
          exec: kubeloginExec(c.deploy.aksLogin),
        },
        prerequisites: platformPrerequisites(spec),
        ...(modelClass && { storageClass: modelClass }),
        platformManifests: manifests.platform,
        ...(c.deploy.graphs && { graphManifests: manifests.graphs }),
        dependsOn: [cluster, ...pools.map((p) => p.pool), ...aks.adminAssignments],
      });
    }

    const out = (oid: string, value: unknown, description: string) => new TerraformOutput(this, oid, { value, description });
    clusterOutputs(spec, (oid, value) => new TerraformOutput(this, oid, { value }));
    out('kubeconfig_command', `az aks get-credentials --resource-group ${c.name} --name ${c.name} && kubelogin convert-kubeconfig ${kubeloginLoginArgs(c.deploy.aksLogin).join(' ')}`, 'Writes a kubeconfig entry for the cluster (Entra ID login).');
    out('model_storage_class', profile.storage.modelCache!.name, 'StorageClass of the shared model cache.');
    if (modelClass) modelStorageClassOutput(this, modelClass);
    out('oidc_issuer_url', cluster.oidcIssuerUrl, 'OIDC issuer for workload identity federation.');
    out('gpu_node_pools', Object.fromEntries(pools.map((p) => [p.node.id.replace(/^gpu-pool-/, ''), p.pool.name])), 'GPU node pools by name.');
    if (registry) {
      out('registry_url', registry.loginServer, 'Azure Container Registry login server.');
      out('image_registry', registry.loginServer, 'Mirror registry for platform.images.registry (after `dynamo-iac images` has copied the images).');
    }
  }
}
