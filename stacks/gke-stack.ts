/**
 * The GKE stack (`cdktf deploy gke`): the project APIs it calls, a VPC with secondary ranges and Cloud NAT, a regional cluster (Workload
 * Identity, shielded nodes, Dataplane V2, private nodes, Secrets encrypted with a Cloud KMS key), a system pool and GPU pools with GKE-installed drivers,
 * spot from zero, the model store (Filestore through its CSI add-on, or Managed Lustre through its CSI driver),
 * Artifact Registry, a Workload Identity service account for workloads, and the deploy path.
 */
import { ArtifactRegistryRepository, ComputeFirewall, ComputeGlobalAddress, DataGoogleClientConfig, GoogleProvider, ServiceNetworkingConnection } from '../constructs/cloud/gcp/provider.cjs';
import { TerraformOutput } from '../constructs/cloud/cdktf.cjs';
import { IndependentStack } from './independent-stack.js';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { platformPrerequisites } from '../charts/prerequisites.js';
import { type GcpApi, GcpApis } from '../constructs/cloud/gcp/apis.js';
import { GkeCluster } from '../constructs/cloud/gcp/cluster.js';
import { GkeIdentities, WORKLOAD_KSA } from '../constructs/cloud/gcp/identities.js';
import { GkeNetwork } from '../constructs/cloud/gcp/network.js';
import { GkeNodePool } from '../constructs/cloud/gcp/node-pool.js';
import { GkeSecretsKey } from '../constructs/cloud/gcp/secrets-key.js';
import { KubernetesLayer } from '../constructs/cloud/deploy/kubernetes-layer.js';
import { gkeProfile } from '../spec/profile/gcp.js';
import { gkeVpcName } from '../spec/profile/gcp-names.js';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { poolSize, type TargetManifests } from './common.js';
import { resourcesOf } from './resources-of.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';
import { apiAccessCidrs } from './api-access.js';

export class GkeStack extends IndependentStack {
  constructor(scope: Construct, id: string, spec: CloudSpec, manifests: TargetManifests) {
    super(scope, id);
    const c = spec.cluster;
    const profile = gkeProfile(spec);
    localState(this, id);
    // The project comes from the provider's configuration (GOOGLE_PROJECT or gcloud's default), never from a file.
    const labels = { 'managed-by': 'dynamo-iac', cluster: c.name };
    new GoogleProvider(this, 'google', { region: c.region, defaultLabels: labels });
    pinProvider(this, 'google', VERSIONS.providers.google);
    const client = new DataGoogleClientConfig(this, 'client', {});
    const project = client.project;

    const existing = c.network.existing;
    const lustre = c.modelStorage.kind === 'lustre';
    const storageApi: GcpApi = lustre ? 'lustre' : 'file';
    const apis = new GcpApis(this, 'apis', { apis: gkeApis(spec) });
    const network = new GkeNetwork(this, 'network', {
      name: gkeVpcName(c.name),
      region: c.region,
      cidr: c.network.cidr,
      ...(existing && { existing: { networkId: existing.networkId, subnetId: existing.subnetIds[0]! } }),
      dependsOn: apis.of('compute'),
    });
    // Managed Lustre is reached over private services access (a peering range of the VPC), LNet admitted from that range.
    const peering = lustre && !existing ? privateServicesAccess(this, c.name, network.networkId, apis.of('compute', 'serviceNetworking')) : undefined;

    // The key that encrypts Secrets in etcd, and the GKE service agent's grant on it, before the cluster.
    pinProvider(this, 'time', VERSIONS.unboundProviders.time);
    const secretsKey = new GkeSecretsKey(this, 'secrets-key', {
      clusterName: c.name,
      region: c.region,
      protect: c.protectStatefulResources,
      ...(c.encryption.secretsKey && { existingKey: c.encryption.secretsKey }),
      kmsApi: apis.of('kms'),
      containerApi: apis.of('container'),
      projectApi: apis.of('resourceManager'),
      timeProvider: VERSIONS.unboundProviders.time,
    });
    const gke = new GkeCluster(this, 'cluster', {
      name: c.name,
      region: c.region,
      project,
      version: c.kubernetesVersion,
      networkId: network.networkId,
      subnetId: network.subnetId,
      privateNodes: c.network.privateNodes,
      publicEndpoint: c.network.publicEndpoint,
      publicAccessCidrs: apiAccessCidrs(this, c.network),
      lustre,
      protect: c.protectStatefulResources,
      workloadLogs: c.logs.enabled,
      secretsKeyName: secretsKey.keyName,
      labels,
      // The CSI add-ons create file systems through the storage API; Workload Identity mints tokens through IAM.
      dependsOn: [...apis.of('container', 'compute', 'logging', 'monitoring', 'iamCredentials', storageApi), secretsKey.grant],
    });
    const cluster = gke.cluster;
    const ids = new GkeIdentities(this, 'identities', {
      clusterName: c.name,
      project,
      workloadNamespace: spec.workloads.namespace,
      workloadPool: gke.workloadPool,
      iamApi: apis.of('iam'),
      projectIamApi: apis.of('resourceManager'),
    });

    const sys = c.systemPool;
    const common = { clusterId: cluster.id, serviceAccountEmail: ids.nodeServiceAccountEmail };
    const system = new GkeNodePool(this, 'system-pool', {
      ...common,
      name: sys.name,
      machineType: sys.instanceType,
      spot: false,
      ...poolSize(sys, 'system'),
      labels: sys.labels,
      taints: sys.taints,
      ...(sys.zones && { zones: sys.zones }),
    });
    const pools: GkeNodePool[] = [];
    for (const [name, pool] of Object.entries(c.gpuPools).sort(([a], [b]) => a.localeCompare(b))) {
      pools.push(
        new GkeNodePool(this, `gpu-pool-${name}`, {
          ...common,
          name,
          machineType: pool.instanceType,
          spot: pool.capacity === 'spot',
          ...poolSize(pool, 'gpu'),
          labels: { ...pool.labels, 'dynamo-iac.io/accelerator': pool.accelerator },
          // GKE puts the GPU taint on GPU nodes itself; the rest of the profile's taints are ours to add.
          taints: profile.gpuPools[name]!.taints.filter((t) => !(t.key === profile.gpuTaint?.key && t.value === profile.gpuTaint.value)),
          gpu: { type: pool.accelerator, count: pool.gpusPerNode, driverVersion: 'LATEST' },
          ...(pool.zones && { zones: pool.zones }),
        }),
      );
    }

    const registry = c.registry.enabled
      ? new ArtifactRegistryRepository(this, 'registry', {
          repositoryId: `${c.name}-images`,
          location: c.region,
          format: 'DOCKER',
          description: 'Mirror of the Dynamo images of the version matrix',
          dockerConfig: { immutableTags: true },
          lifecycle: { preventDestroy: c.protectStatefulResources },
          dependsOn: apis.of('artifactRegistry'),
        })
      : undefined;

    if (c.deploy.platform) {
      pinProvider(this, 'helm', VERSIONS.providers.helm);
      new KubernetesLayer(this, 'kubernetes', {
        access: {
          host: `https://${cluster.endpoint}`,
          clusterCaCertificateBase64: cluster.masterAuth.clusterCaCertificate,
          // The GKE auth plugin mints a token per connection with gcloud's credentials.
          exec: { command: 'gke-gcloud-auth-plugin', args: [] },
        },
        prerequisites: platformPrerequisites(spec),
        // The model-cache class is ours (dist/gke, on the cluster's VPC); its claim creates the store.
        platformManifests: manifests.platform,
        ...(c.deploy.graphs && { graphManifests: manifests.graphs }),
        // The identities too: pods of the releases use the workload identity binding.
        dependsOn: [system.pool, ...pools.map((p) => p.pool), ...(peering ? [peering.connection, peering.firewall] : []), ...apis.of(storageApi), ...resourcesOf(ids)],
      });
    }

    const out = (oid: string, value: unknown, description: string) => new TerraformOutput(this, oid, { value, description });
    clusterOutputs(spec, (oid, value) => new TerraformOutput(this, oid, { value }));
    out('kubeconfig_command', `gcloud container clusters get-credentials ${c.name} --region ${c.region}`, 'Writes a kubeconfig entry for the cluster.');
    out('model_storage_class', profile.storage.modelCache!.name, 'StorageClass of the shared model cache.');
    out('workload_service_account', ids.workloadServiceAccountEmail, `Google service account for workloads: annotate the Kubernetes service account ${spec.workloads.namespace}/${WORKLOAD_KSA} with iam.gke.io/gcp-service-account.`);
    out('gpu_node_pools', Object.fromEntries(pools.map((p) => [p.node.id.replace(/^gpu-pool-/, ''), p.pool.name])), 'GPU node pools by name.');
    if (registry) {
      out('registry_url', `${c.region}-docker.pkg.dev/${project}/${c.name}-images`, 'Artifact Registry repository.');
      out('image_registry', `${c.region}-docker.pkg.dev/${project}/${c.name}-images`, 'Mirror registry for platform.images.registry (after `dynamo-iac images` has copied the images).');
    }
  }
}

/** The project APIs the stack calls, given the spec. */
export function gkeApis(spec: CloudSpec): GcpApi[] {
  const c = spec.cluster;
  const lustre = c.modelStorage.kind === 'lustre';
  return [
    'compute', 'container', 'iam', 'iamCredentials', 'resourceManager', 'logging', 'monitoring', 'kms',
    lustre ? 'lustre' : 'file',
    ...(lustre && !c.network.existing ? (['serviceNetworking'] as const) : []),
    ...(c.registry.enabled ? (['artifactRegistry'] as const) : []),
  ];
}

/** The prefix length of the private services access range (Google's Managed Lustre VPC guide allocates a /20). */
const PSA_PREFIX_LENGTH = 20;

/**
 * The TCP ports of Lustre's LNet between the Managed Lustre servers and the nodes: 988, and 6988 for instances
 * created with `gkeSupportEnabled` (the driver's `--enable-legacy-lustre-port`). Sources: GoogleCloudPlatform/
 * lustre-csi-driver pkg/kmod_installer/kmod_installer.go (`defaultLNetPort = 988`, `legacyLNetPort = 6988`); Google's
 * GKE Managed Lustre guide, which admits tcp:988 and tcp:6988 from the peering range.
 */
export const LUSTRE_LNET_PORTS = ['988', '6988'] as const;

/**
 * A peering range, the service networking connection Managed Lustre is reached through, and the ingress rule that
 * admits LNet from that range: a new VPC admits nothing, so without it a mount hangs.
 */
function privateServicesAccess(scope: Construct, name: string, networkId: string, apis: ITerraformDependable[]): { connection: ServiceNetworkingConnection; firewall: ComputeFirewall } {
  const range = new ComputeGlobalAddress(scope, 'psa-range', { name: `${name}-psa`, purpose: 'VPC_PEERING', addressType: 'INTERNAL', prefixLength: PSA_PREFIX_LENGTH, network: networkId, dependsOn: apis });
  const connection = new ServiceNetworkingConnection(scope, 'psa', { network: networkId, service: 'servicenetworking.googleapis.com', reservedPeeringRanges: [range.name], dependsOn: apis });
  const firewall = new ComputeFirewall(scope, 'lustre-firewall', {
    name: `${name}-lustre`,
    description: 'LNet from the Managed Lustre servers (private services access range) to the nodes',
    network: networkId,
    direction: 'INGRESS',
    sourceRanges: [`${range.address}/${PSA_PREFIX_LENGTH}`],
    allow: [{ protocol: 'tcp', ports: [...LUSTRE_LNET_PORTS] }],
    dependsOn: apis,
  });
  return { connection, firewall };
}
