/**
 * GkeCluster: a regional, VPC-native GKE cluster on a release channel at the matrix's version, with Workload
 * Identity, shielded nodes, Dataplane V2 (which enforces NetworkPolicies), private nodes as an option, the control
 * plane reachable only from the allowed CIDRs, Secrets in etcd encrypted with a Cloud KMS key, the Filestore and
 * Managed Lustre CSI add-ons, and deletion protection.
 * The default node pool is removed: every pool is our own.
 */
import { ContainerCluster } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GKE_RANGES } from './network.js';

export interface GkeClusterProps {
  readonly name: string;
  readonly region: string;
  readonly project: string;
  readonly version: string;
  readonly networkId: string;
  readonly subnetId: string;
  readonly privateNodes: boolean;
  readonly publicEndpoint: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly lustre: boolean;
  readonly protect: boolean;
  /** Ship workload (container) logs to Cloud Logging besides the system components'. */
  readonly workloadLogs: boolean;
  /** Cloud KMS key that encrypts Secrets in etcd (application-layer secrets encryption), in the cluster's region. */
  readonly secretsKeyName: string;
  /** Labels of the cluster resource (cost attribution; the provider's default labels are not visible to scanners). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** What the cluster waits for (the project APIs it calls and its add-ons use). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class GkeCluster extends Construct {
  public readonly cluster: ContainerCluster;
  /**
   * The Workload Identity pool (`<project>.svc.id.goog`) as a reference to the cluster: the pool exists only once
   * the project's first cluster with Workload Identity does, so bindings naming it must come after the cluster.
   */
  public readonly workloadPool: string;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    this.cluster = new ContainerCluster(this, 'cluster', {
      name: props.name,
      location: props.region,
      network: props.networkId,
      subnetwork: props.subnetId,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: { clusterSecondaryRangeName: GKE_RANGES.pods, servicesSecondaryRangeName: GKE_RANGES.services },
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      releaseChannel: { channel: 'REGULAR' },
      minMasterVersion: props.version,
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      enableShieldedNodes: true,
      loggingConfig: { enableComponents: props.workloadLogs ? ['SYSTEM_COMPONENTS', 'WORKLOADS'] : ['SYSTEM_COMPONENTS'] },
      datapathProvider: 'ADVANCED_DATAPATH',
      privateClusterConfig: {
        enablePrivateNodes: props.privateNodes,
        enablePrivateEndpoint: !props.publicEndpoint,
        ...(props.privateNodes && { masterIpv4CidrBlock: '172.16.0.0/28' }),
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.publicEndpoint ? props.publicAccessCidrs.map((cidrBlock) => ({ cidrBlock, displayName: `allowed ${cidrBlock}` })) : [],
      },
      addonsConfig: {
        gcpFilestoreCsiDriverConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        ...(props.lustre && { lustreCsiDriverConfig: { enabled: true } }),
      },
      databaseEncryption: { state: 'ENCRYPTED', keyName: props.secretsKeyName },
      ...(props.labels && { resourceLabels: { ...props.labels } }),
      deletionProtection: props.protect,
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.workloadPool = this.cluster.workloadIdentityConfig.workloadPool;
  }
}
