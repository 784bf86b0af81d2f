/**
 * EksNodeGroup: a managed node group with its own launch template: IMDSv2 required (hop limit 2, so pods that
 * still read instance metadata work while tokens stay mandatory), an encrypted gp3 root volume, the Kubernetes
 * labels and taints, and the cluster-autoscaler tags on the Auto Scaling group itself (managed node groups do not
 * propagate their tags there), which is what lets a pool scale up from zero. With EFA: a cluster placement group,
 * one subnet and one EFA interface per network card (see EfaNetworking).
 */
import { AutoscalingGroupTagA as AutoscalingGroupTag, EksNodeGroup as AwsEksNodeGroup, LaunchTemplate, PlacementGroup } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { NodePoolShape } from '../node-pool-shape.js';
import type { EfaInterfacesBlock } from './efa.js';
import { EKS_CAPACITY_TYPE_LABEL, EKS_POOL_FACTS } from '../../../spec/profile/aws.js';
import { CLUSTER_AUTOSCALER_TAG_PREFIX } from './cluster-autoscaler.js';
import { nodeTemplateTagKey } from '../../../spec/profile/aws-names.js';
import { toEksTaint } from './taints.js';

export type EksAmiType = 'AL2023_x86_64_STANDARD' | 'AL2023_x86_64_NVIDIA';

/** IMDSv2 only; hop limit 2 (EKS's own default for AL2023). */
export const IMDS_OPTIONS = { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 } as const;

export interface EksNodeGroupProps extends NodePoolShape {
  readonly clusterName: string;
  readonly name: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  readonly amiType: EksAmiType;
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  /** GPUs per node, advertised to the autoscaler for scale-from-zero. */
  readonly gpusPerNode?: number;
  /** EFA: the one subnet of the group and its network interfaces (EfaNetworking); `subnetIds` is then ignored. */
  readonly efa?: { readonly subnetId: string; readonly networkInterfaces: EfaInterfacesBlock; readonly interfaceCount: string };
  /** Resources the node group waits for (e.g. the VPC CNI add-on). */
  readonly dependsOn?: ITerraformDependable[];
}

export class EksNodeGroup extends Construct {
  public readonly nodeGroup: AwsEksNodeGroup;
  public readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    super(scope, id);
    const placement = props.efa ? new PlacementGroup(this, 'placement', { name: `${props.clusterName}-${props.name}`, strategy: 'cluster' }) : undefined;
    this.launchTemplate = new LaunchTemplate(this, 'template', {
      namePrefix: `${props.clusterName}-${props.name}-`,
      updateDefaultVersion: true,
      metadataOptions: { ...IMDS_OPTIONS },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: props.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
      ...(placement && { placement: { groupName: placement.name } }),
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { Name: `${props.clusterName}-${props.name}` } })),
    });
    if (props.efa) this.launchTemplate.addOverride('dynamic.network_interfaces', props.efa.networkInterfaces);
    // EFA groups stay in one subnet (one zone): the placement group and low-latency fabric are per zone.
    const subnets = props.efa ? [props.efa.subnetId] : [...props.subnetIds];
    this.nodeGroup = new AwsEksNodeGroup(this, 'group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: subnets,
      amiType: props.amiType,
      capacityType: props.capacityType,
      instanceTypes: [props.instanceType],
      scalingConfig: { minSize: props.minNodes, maxSize: props.maxNodes, desiredSize: props.desiredNodes },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      labels: { ...props.labels },
      taint: props.taints.map(toEksTaint),
      // The autoscaler owns the size after creation.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      ...(props.dependsOn && { dependsOn: props.dependsOn }),
    });
    const asg = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    // Every EFA interface, efa-only ones included, is one vpc.amazonaws.com/efa device of the EFA device plugin.
    for (const [key, value] of Object.entries(autoscalerTags({ ...props, ...(props.efa && { efaDevices: props.efa.interfaceCount }) }))) {
      new AutoscalingGroupTag(this, `tag-${key.replace(/[^A-Za-z0-9]/g, '-')}`, { autoscalingGroupName: asg, tag: { key, value, propagateAtLaunch: false } });
    }
  }
}

/**
 * The cluster-autoscaler's discovery and node-template tags (what a node of an empty group would look like). The
 * labels EKS itself puts on the nodes (the node group name, which the profile selects pools by, and the capacity
 * type) are in the template too: the autoscaler asks the EKS API for them only while a group has never had a node
 * (cloudprovider/aws/README.md, `eks:DescribeNodegroup`), and a template without them fits no pending pod.
 */
export function autoscalerTags(p: Pick<EksNodeGroupProps, 'clusterName' | 'name' | 'capacityType' | 'labels' | 'taints' | 'gpusPerNode'> & { readonly efaDevices?: number | string }): Record<string, string> {
  const prefix = CLUSTER_AUTOSCALER_TAG_PREFIX;
  const eksLabels = { [EKS_POOL_FACTS.poolLabel]: p.name, [EKS_CAPACITY_TYPE_LABEL]: p.capacityType };
  return {
    [`${prefix}/enabled`]: 'true',
    [`${prefix}/${p.clusterName}`]: 'owned',
    ...Object.fromEntries(Object.entries({ ...eksLabels, ...p.labels }).map(([k, v]) => [nodeTemplateTagKey('label', k), v])),
    ...Object.fromEntries(p.taints.map((t) => [nodeTemplateTagKey('taint', t.key), `${t.value ?? ''}:${t.effect}`])),
    ...(p.gpusPerNode ? { [`${prefix}/node-template/resources/nvidia.com/gpu`]: String(p.gpusPerNode) } : {}),
    // EFA workers request the EFA devices: a template without them fits no such worker, and the pool stays at zero.
    ...(p.efaDevices ? { [`${prefix}/node-template/resources/${EKS_POOL_FACTS.fastNetworkResource}`]: String(p.efaDevices) } : {}),
  };
}
