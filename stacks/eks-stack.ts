/**
 * The EKS stack (`cdktf deploy eks`): network, encrypted control plane with access entries and IRSA, managed node
 * groups (system, GPU on-demand and spot, scaled from zero by the cluster-autoscaler, EFA) or Karpenter for the GPU
 * pools, the controllers' Pod Identity roles and add-ons,
 * the model store (EFS or FSx for Lustre), ECR repositories, and the deploy path that installs the Kubernetes
 * layer. Every fact the Kubernetes layer also uses (taints, labels, storage class) comes from the cloud profile.
 */
import { AwsProvider, DataAwsSubnets, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../constructs/cloud/aws/provider.cjs';
import { TerraformOutput } from '../constructs/cloud/cdktf.cjs';
import { IndependentStack } from './independent-stack.js';
import type { Construct } from 'constructs';
import { NODE_POOLS_CHART } from '../charts/node-pools.js';
import { platformPrerequisites } from '../charts/prerequisites.js';
import type { SynthFile } from '../charts/synth.js';
import { KARPENTER_TERMINATION_GRACE } from '../constructs/k8s/karpenter/gpu-node-pool.js';
import { EksControlPlane } from '../constructs/cloud/aws/cluster.js';
import { CLUSTER_AUTOSCALER_GPU_LABEL } from '../constructs/cloud/aws/cluster-autoscaler.js';
import { EksClusterAutoscalerIdentity } from '../constructs/cloud/aws/cluster-autoscaler-identity.js';
import { EksControllers } from '../constructs/cloud/aws/controllers.js';
import { ServiceRole } from '../constructs/cloud/aws/iam.js';
import { EfaNetworking } from '../constructs/cloud/aws/efa.js';
import { EksFlowLogs } from '../constructs/cloud/aws/flow-logs.js';
import { EksKarpenter } from '../constructs/cloud/aws/karpenter.js';
import { EksModelStorage } from '../constructs/cloud/aws/model-storage.js';
import { EksNetwork } from '../constructs/cloud/aws/network.js';
import { EksNodeGroup } from '../constructs/cloud/aws/node-group.js';
import { EcrRepositories } from '../constructs/cloud/aws/registry.js';
import { KubernetesLayer } from '../constructs/cloud/deploy/kubernetes-layer.js';
import { type CloudStorageClass, modelStorageClassOutput } from '../constructs/cloud/deploy/model-storage-class.js';
import { eksGpuPoolLabels, eksProfile, karpenterNames } from '../spec/profile/aws.js';
import { AWS_NAME_MAX, awsName } from '../spec/profile/aws-names.js';
import type { CloudSpec } from '../spec/schema.js';
import { mirrorRepositories } from '../spec/images.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { poolSize, type TargetManifests } from './common.js';
import { resourcesOf } from './resources-of.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';
import { apiAccessCidrs } from './api-access.js';

/** Repositories that mirror the image paths of the version matrix (registry host dropped, Docker Hub's `library/` kept). */
export const mirroredRepositories = (): string[] => mirrorRepositories('eks');

export class EksStack extends IndependentStack {
  constructor(scope: Construct, id: string, spec: CloudSpec, manifests: TargetManifests) {
    super(scope, id);
    const c = spec.cluster;
    const profile = eksProfile(spec);
    localState(this, id);
    new AwsProvider(this, 'aws', { region: c.region, defaultTags: [{ tags: { 'managed-by': 'dynamo-iac', cluster: c.name } }] });
    pinProvider(this, 'aws', VERSIONS.providers.aws);

    // ------------------------------------------------------------------ network and control plane
    const existing = c.network.existing;
    const discoveryTag = karpenterNames(c.name).discoveryTag;
    const network = new EksNetwork(this, 'network', {
      clusterName: c.name,
      cidr: c.network.cidr,
      zones: c.network.zones,
      singleNatGateway: c.network.singleNatGateway,
      ...(c.autoscaler === 'karpenter' && { privateSubnetTags: { [discoveryTag.key]: discoveryTag.value } }),
      ...(existing && { existing: { vpcId: existing.networkId, privateSubnetIds: existing.subnetIds } }),
    });
    const vpcCidr = network.vpcCidr;
    const plane = new EksControlPlane(this, 'control-plane', {
      name: c.name,
      region: c.region,
      version: c.kubernetesVersion,
      subnetIds: network.privateSubnetIds,
      publicEndpoint: c.network.publicEndpoint,
      publicAccessCidrs: apiAccessCidrs(this, c.network),
      admins: c.admins,
      protect: c.protectStatefulResources,
      supportType: c.kubernetesSupport === 'extended' ? 'EXTENDED' : 'STANDARD',
    });
    const cluster = plane.cluster;
    // A brought VPC keeps its own flow logs.
    if (!existing) new EksFlowLogs(this, 'flow-logs', { clusterName: c.name, vpcId: network.vpcId, kmsKeyArn: plane.key.arn, partition: plane.partition, region: c.region, accountId: plane.accountId });
    const clusterSecurityGroup = cluster.vpcConfig.clusterSecurityGroupId;

    // ------------------------------------------------------------------ nodes
    const nodeRole = new ServiceRole(this, 'node-role', {
      name: awsName(c.name, 'node', AWS_NAME_MAX.iamRole),
      service: 'ec2.amazonaws.com',
      // No CNI policy here: the VPC CNI has its own Pod Identity role.
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'],
    });
    const controllers = new EksControllers(this, 'controllers', {
      clusterName: cluster.name,
      nameBase: c.name,
      efs: c.modelStorage.kind === 'shared-file',
      fsx: c.modelStorage.kind === 'lustre',
      logs: c.logs.enabled,
    });
    // The literal name (not the cluster's attribute): it goes into tag keys and construct ids, which must be stable.
    // The order (cluster, then node groups) comes from depending on the networking add-ons, which reference it.
    const common = { clusterName: c.name, nodeRoleArn: nodeRole.arn, subnetIds: network.privateSubnetIds, dependsOn: [...controllers.networking, nodeRole.role] };
    const sys = c.systemPool;
    const system = new EksNodeGroup(this, 'system-pool', {
      ...common,
      ...(sys.zones && { subnetIds: subnetsInZones(this, 'system-pool-subnets', network.privateSubnetIds, sys.zones) }),
      name: sys.name,
      instanceType: sys.instanceType,
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      ...poolSize(sys, 'system'),
      labels: sys.labels,
      taints: sys.taints,
    });
    const efaPools = Object.entries(c.gpuPools).filter(([, p]) => p.fastNetwork);
    const efaGroup = efaPools.length ? efaSecurityGroup(this, c.name, network.vpcId) : undefined;
    // With Karpenter, Karpenter launches the GPU nodes (NodePools in the eks manifests): no GPU node groups.
    const karpenter = c.autoscaler === 'karpenter'
      ? new EksKarpenter(this, 'karpenter', { clusterName: c.name, region: c.region, ...(existing && { existingSubnetIds: existing.subnetIds }), clusterSecurityGroupId: clusterSecurityGroup, dependsOn: controllers.networking })
      : undefined;
    const gpuGroups: EksNodeGroup[] = [];
    for (const [name, pool] of karpenter ? [] : Object.entries(c.gpuPools).sort(([a], [b]) => a.localeCompare(b))) {
      gpuGroups.push(
        new EksNodeGroup(this, `gpu-pool-${name}`, {
          ...common,
          ...(pool.zones && !pool.fastNetwork && { subnetIds: subnetsInZones(this, `gpu-pool-${name}-subnets`, network.privateSubnetIds, pool.zones) }),
          name,
          instanceType: pool.instanceType,
          amiType: 'AL2023_x86_64_NVIDIA',
          capacityType: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
          ...poolSize(pool, 'gpu'),
          // The autoscaler's GPU label: a new node counts as not ready until the device plugin reports its GPUs.
          labels: { ...eksGpuPoolLabels(pool), [CLUSTER_AUTOSCALER_GPU_LABEL]: pool.accelerator },
          // GPU taint, spot taint, the spec's own: exactly what the profile tells the workloads to tolerate.
          taints: profile.gpuPools[name]!.taints,
          gpusPerNode: pool.gpusPerNode,
          ...(pool.fastNetwork &&
            efaGroup && {
              efa: new EfaNetworking(this, `gpu-pool-${name}-efa`, {
                instanceType: pool.instanceType,
                privateSubnetIds: network.privateSubnetIds,
                ...(pool.zones && { zones: pool.zones }),
                securityGroupIds: [clusterSecurityGroup, efaGroup.id],
              }),
            }),
        }),
      );
    }
    const autoscalerIdentity = karpenter ? undefined : new EksClusterAutoscalerIdentity(this, 'cluster-autoscaler', { clusterName: c.name, dependsOn: controllers.networking });
    // Add-ons that run as Deployments wait for the system pool (the GPU pools may be empty).
    controllers.installOnNodes([system.nodeGroup]);

    // ------------------------------------------------------------------ storage and registry
    const storage = new EksModelStorage(this, 'model-storage', {
      clusterName: c.name,
      // The spec allows only shared-file and lustre on EKS.
      kind: c.modelStorage.kind === 'lustre' ? 'lustre' : 'shared-file',
      tier: c.modelStorage.tier,
      vpcId: network.vpcId,
      vpcCidr,
      privateSubnetIds: network.privateSubnetIds,
      clientSecurityGroupId: clusterSecurityGroup,
      kmsKeyArn: plane.key.arn,
      protect: c.protectStatefulResources,
    });
    const registry = c.registry.enabled ? new EcrRepositories(this, 'registry', { names: mirroredRepositories(), kmsKeyArn: plane.key.arn, protect: c.protectStatefulResources }) : undefined;

    const modelClass: CloudStorageClass = { profile: profile.storage.modelCache!, parameters: storage.storageClassParameters };

    // ------------------------------------------------------------------ deploy path
    if (c.deploy.platform) {
      pinProvider(this, 'helm', VERSIONS.providers.helm);
      new KubernetesLayer(this, 'kubernetes', {
        access: {
          host: cluster.endpoint,
          clusterCaCertificateBase64: cluster.certificateAuthority.get(0).data,
          // The AWS CLI mints a fresh token per connection, with the same credentials Terraform uses.
          exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', c.region, '--output', 'json'] },
        },
        prerequisites: platformPrerequisites(spec).map((p) =>
          p.release === 'aws-load-balancer-controller' ? { ...p, values: { ...p.values, vpcId: network.vpcId } } : p,
        ),
        storageClass: modelClass,
        // Karpenter's NodePools in a release of their own between Karpenter and the platform: destroy deletes them
        // (Karpenter drains and terminates the nodes, Helm waits) while Karpenter still runs.
        platformManifests: manifests.platform.filter((f) => !isNodePoolsFile(f)),
        ...(karpenter && { nodePools: { manifests: manifests.platform.filter(isNodePoolsFile), timeoutSeconds: KARPENTER_TERMINATION_GRACE.seconds + NODE_TERMINATION_MARGIN_SECONDS } }),
        ...(c.deploy.graphs && { graphManifests: manifests.graphs }),
        // The node autoscaler (the first release) also waits for what it scales and for its identity.
        dependsOn: [
          system.nodeGroup,
          ...controllers.all,
          controllers.loadBalancerControllerIdentity,
          ...gpuGroups.map((g) => g.nodeGroup),
          ...(autoscalerIdentity ? [autoscalerIdentity.association] : []),
          ...(karpenter ? karpenter.dependables : []),
          // The whole model store (mount targets and security rules too: the access pod mounts it).
          ...resourcesOf(storage),
        ],
      });
    }

    // ------------------------------------------------------------------ outputs
    const out = (oid: string, value: unknown, description: string) => new TerraformOutput(this, oid, { value, description });
    clusterOutputs(spec, (oid, value) => new TerraformOutput(this, oid, { value }));
    out('kubeconfig_command', `aws eks update-kubeconfig --region ${c.region} --name ${c.name}`, 'Writes a kubeconfig entry for the cluster.');
    out('model_storage_class', profile.storage.modelCache!.name, 'StorageClass of the shared model cache.');
    modelStorageClassOutput(this, modelClass);
    out('vpc_id', network.vpcId, 'VPC of the cluster (the AWS Load Balancer Controller\'s vpcId on the GitOps path).');
    out('oidc_provider_arn', plane.oidcProvider.arn, 'OIDC provider for IRSA.');
    out('gpu_node_groups', Object.fromEntries(gpuGroups.map((g) => [g.node.id.replace(/^gpu-pool-/, ''), g.nodeGroup.nodeGroupName])), 'GPU node groups by pool.');
    if (registry) {
      out('registry_urls', registry.urls, 'ECR repositories by image path.');
      out('image_registry', `${registry.registryId}.dkr.ecr.${c.region}.amazonaws.com`, 'Mirror registry for platform.images.registry (after `dynamo-iac images` has copied the images).');
    }
  }
}

/** The node pools' manifest file (charts/node-pools.ts). */
const isNodePoolsFile = (f: SynthFile): boolean => f.path.split('/').pop()!.startsWith(`${NODE_POOLS_CHART}.`);

/** Time beyond the drain for Karpenter to terminate the instances and delete their instance profiles. */
const NODE_TERMINATION_MARGIN_SECONDS = 900;

/** The private subnets that lie in the given zones (a pool pinned to zones, e.g. where its GPUs are offered). */
function subnetsInZones(scope: Construct, id: string, subnetIds: readonly string[], zones: readonly string[]): string[] {
  return new DataAwsSubnets(scope, id, {
    filter: [
      { name: 'subnet-id', values: [...subnetIds] },
      { name: 'availability-zone', values: [...zones] },
    ],
  }).ids;
}

/** EFA needs all traffic between the members of a group, both ways. */
function efaSecurityGroup(scope: Construct, clusterName: string, vpcId: string): SecurityGroup {
  const sg = new SecurityGroup(scope, 'efa-sg', { name: `${clusterName}-efa`, description: `EFA traffic between the GPU nodes of ${clusterName}`, vpcId });
  new VpcSecurityGroupIngressRule(scope, 'efa-self-ingress', { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: '-1' });
  new VpcSecurityGroupEgressRule(scope, 'efa-self-egress', { securityGroupId: sg.id, referencedSecurityGroupId: sg.id, ipProtocol: '-1' });
  return sg;
}
