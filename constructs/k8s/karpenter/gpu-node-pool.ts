/**
 * KarpenterGpuPool: one GPU pool of the spec as a Karpenter `NodePool` (karpenter.sh/v1) and its `EC2NodeClass`
 * (karpenter.k8s.aws/v1), both cluster-scoped. The nodes carry the same labels and taints as the managed node group
 * the pool would otherwise be, the pool label included, so graphs select and tolerate pools exactly as before.
 */
import type { ApiObject } from 'cdk8s';
import { JsonApiObject } from '../common/json-api-object.js';
import { Construct } from 'constructs';
import type { Taint } from '../../../spec/profile/types.js';
import { omitNamespaceOfClusterScoped } from '../common/cluster-scoped.js';
import { MANAGED_BY } from '../common/labels.js';

/** Label domains Karpenter refuses in a NodePool's template (sigs.k8s.io/karpenter and karpenter-provider-aws). */
export const KARPENTER_RESTRICTED_LABEL_DOMAINS = ['karpenter.sh', 'karpenter.k8s.aws', 'kubernetes.io', 'k8s.io'] as const;

/** IMDSv2 only, hop limit 2: the same metadata options as the managed node groups' launch templates. */
const METADATA_OPTIONS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 2, httpTokens: 'required' } as const;

export interface KarpenterGpuPoolProps {
  /** NodePool and EC2NodeClass name (the pool name). */
  readonly name: string;
  /** IAM role of the nodes (Karpenter makes the instance profile). */
  readonly nodeRole: string;
  /** Tag the subnets and security groups of the cluster carry. */
  readonly discoveryTag: { readonly key: string; readonly value: string };
  /** The first is the pool's type; spot pools may add alternatives with the same GPUs. */
  readonly instanceTypes: readonly string[];
  readonly capacity: 'on-demand' | 'spot';
  /** @default - every zone of the subnets */
  readonly zones?: readonly string[];
  /** Node labels (the pool label, the accelerator, the spec's own). */
  readonly labels: Readonly<Record<string, string>>;
  /** Node taints (GPU, spot, the spec's own). */
  readonly taints: readonly Taint[];
  readonly gpusPerNode: number;
  /** The pool's node ceiling: the NodePool's GPU limit is maxNodes * gpusPerNode. */
  readonly maxNodes: number;
  readonly diskSizeGiB: number;
  /** Tags of the instances and volumes. */
  readonly tags?: Readonly<Record<string, string>>;
  /** An empty node goes after this long. @default '10m' */
  readonly consolidateAfter?: string;
  /** Nodes are replaced after this long (new AMIs, security fixes). @default '720h' */
  readonly expireAfter?: string;
  /**
   * How long a draining node may wait for its pods (karpenter.sh/v1 NodePool `spec.template.spec.terminationGracePeriod`):
   * past it Karpenter deletes the pods even when a disruption budget or `do-not-disrupt` blocks eviction, so a
   * drain (expiry, `destroy`) always finishes. Unset, Karpenter waits forever. @default KARPENTER_TERMINATION_GRACE.duration
   */
  readonly terminationGracePeriod?: string;
}

/** The longest a Karpenter GPU node drains (1h: a graph's workers finish their requests and shut down long before). */
export const KARPENTER_TERMINATION_GRACE = { duration: '1h', seconds: 3600 } as const;

export class KarpenterGpuPool extends Construct {
  public readonly nodePool: ApiObject;
  public readonly nodeClass: ApiObject;

  constructor(scope: Construct, id: string, props: KarpenterGpuPoolProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => karpenterPoolProblems(props) });
    const metadata = { name: props.name, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } };
    const selector = [{ tags: { [props.discoveryTag.key]: props.discoveryTag.value } }];
    this.nodeClass = new JsonApiObject(this, 'node-class', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata,
      spec: {
        role: props.nodeRole,
        // AL2023: Karpenter picks the NVIDIA variant for GPU instance types (driver and container toolkit included).
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: selector,
        securityGroupSelectorTerms: selector,
        metadataOptions: { ...METADATA_OPTIONS },
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: `${props.diskSizeGiB}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
        ...(props.tags && { tags: { ...props.tags } }),
      },
    });
    this.nodePool = new JsonApiObject(this, 'node-pool', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata,
      spec: {
        template: {
          metadata: { labels: { ...props.labels } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: props.name },
            taints: props.taints.map((t) => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: t.effect })),
            requirements: [
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...props.instanceTypes] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: [props.capacity] },
              ...(props.zones?.length ? [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [...props.zones] }] : []),
            ],
            expireAfter: props.expireAfter ?? '720h',
            terminationGracePeriod: props.terminationGracePeriod ?? KARPENTER_TERMINATION_GRACE.duration,
          },
        },
        // The pool's ceiling, in GPUs: Karpenter stops launching when the pool's nodes would exceed it.
        limits: { 'nvidia.com/gpu': String(props.maxNodes * props.gpusPerNode) },
        // Only empty nodes go: consolidating a busy GPU node would restart its workers (model load, warm-up).
        disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: props.consolidateAfter ?? '10m' },
      },
    });
    omitNamespaceOfClusterScoped(this);
  }
}

/** A label key's domain (the part before the slash), or '' for an unprefixed key. */
const domainOf = (key: string) => (key.includes('/') ? key.split('/')[0]! : '');

/** What Karpenter would refuse or what cannot work: restricted label domains, empty instance types, no GPUs. */
export function karpenterPoolProblems(p: Pick<KarpenterGpuPoolProps, 'name' | 'labels' | 'instanceTypes' | 'maxNodes' | 'gpusPerNode'>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(p.labels)) {
    const domain = domainOf(key);
    if (KARPENTER_RESTRICTED_LABEL_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`))) {
      out.push(`KarpenterGpuPool ${p.name}: label ${key}: Karpenter restricts the ${domain} domain in NodePool labels`);
    }
  }
  if (p.instanceTypes.length === 0) out.push(`KarpenterGpuPool ${p.name}: instanceTypes: needs at least one instance type`);
  if (!(p.maxNodes >= 1 && p.gpusPerNode >= 1)) out.push(`KarpenterGpuPool ${p.name}: maxNodes and gpusPerNode: must be at least 1 (got ${p.maxNodes}, ${p.gpusPerNode})`);
  return out;
}
