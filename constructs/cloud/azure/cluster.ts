/**
 * AksCluster: the AKS cluster with its system pool as the default node pool, the OIDC issuer and workload identity,
 * Microsoft Entra ID with Azure RBAC for Kubernetes authorization (local accounts off unless asked), Azure CNI
 * overlay with the Cilium data plane, which enforces our NetworkPolicies, the API server reachable only from the
 * allowed CIDRs (or private), Secrets in etcd encrypted with a Key Vault key (KMS, public key vault) under a
 * user-assigned control-plane identity, and the deployer granted cluster admin through Azure RBAC.
 */
import { DataAzurermClientConfig, KubernetesCluster, RoleAssignment } from './provider.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AksOsSku } from '../../../spec/profile/azure.js';

export const AKS_RBAC_CLUSTER_ADMIN = 'Azure Kubernetes Service RBAC Cluster Admin';

/** The overlay pod range (Azure CNI overlay): pod addresses outside the virtual network. */
export const AKS_POD_CIDR = '192.168.0.0/16';
/** The temporary pool azurerm cycles the default (system) pool through. */
export const AKS_SYSTEM_ROTATION_POOL = 'systemtmp';

/**
 * The resource group AKS creates for the cluster's nodes (`node_resource_group`). Left unset, AKS names it
 * `MC_<group>_<cluster>_<region>` and refuses the cluster when that passes 80 characters (with Azure CNI overlay the
 * name is also a node label value: 63 at most). `<cluster>_nodes` stays within 46 characters for the 40 the spec
 * accepts, and the underscore (allowed in resource group names, never in a cluster name, which is a DNS label)
 * keeps it apart from every cluster's own resource group, named after the cluster.
 */
export const aksNodeResourceGroup = (clusterName: string): string => `${clusterName}_nodes`;

export interface AksClusterProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly version: string;
  readonly nodeSubnetId: string;
  readonly system: {
    readonly name: string;
    readonly vmSize: string;
    readonly minNodes: number;
    readonly maxNodes: number;
    readonly desiredNodes: number;
    readonly diskSizeGiB: number;
    readonly labels: Readonly<Record<string, string>>;
    readonly zones?: readonly string[];
    /** Node OS image; Ubuntu where pods mount Azure Managed Lustre (its CSI driver runs on Ubuntu only). @default 'AzureLinux' */
    readonly osSku?: AksOsSku;
  };
  readonly publicEndpoint: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly localAccountsDisabled: boolean;
  /** Entra ID object ids granted cluster admin besides the deployer. */
  readonly admins: readonly string[];
  /** Blob CSI driver for the `blob` tier. */
  readonly blobDriver: boolean;
  /** Container Insights into this Log Analytics workspace. @default - none */
  readonly logAnalyticsWorkspaceId?: string;
  /** The user-assigned control-plane identity (resource id); its grants must be effective before the cluster. */
  readonly identityId: string;
  /** Versioned Key Vault key id that encrypts Secrets in etcd (KMS, public key vault). */
  readonly secretsKeyId: string;
  /** Encryption at host on the system pool (the subscription's EncryptionAtHost feature must be registered). @default false */
  readonly hostEncryption?: boolean;
  /** What the cluster waits for: the identity's grants, after their propagation. @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class AksCluster extends Construct {
  public readonly cluster: KubernetesCluster;
  /** The cluster-admin role assignments; the deploy path waits for them. */
  public readonly adminAssignments: RoleAssignment[] = [];

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const client = new DataAzurermClientConfig(this, 'client', {});
    const sys = props.system;
    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.name,
      nodeResourceGroup: aksNodeResourceGroup(props.name),
      kubernetesVersion: props.version,
      skuTier: 'Standard',
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      roleBasedAccessControlEnabled: true,
      localAccountDisabled: props.localAccountsDisabled,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: client.tenantId },
      identity: { type: 'UserAssigned', identityIds: [props.identityId] },
      keyManagementService: { keyVaultKeyId: props.secretsKeyId, keyVaultNetworkAccess: 'Public' },
      // Container Insights with managed-identity authentication (no workspace key on the nodes).
      ...(props.logAnalyticsWorkspaceId && { omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true } }),
      ...(props.publicEndpoint ? { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: [...props.publicAccessCidrs] } } : { privateClusterEnabled: true }),
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: 'cilium',
        networkPolicy: 'cilium',
        loadBalancerSku: 'standard',
        podCidr: AKS_POD_CIDR,
        serviceCidr: '172.16.0.0/16',
        dnsServiceIp: '172.16.0.10',
      },
      storageProfile: { diskDriverEnabled: true, fileDriverEnabled: true, blobDriverEnabled: props.blobDriver, snapshotControllerEnabled: true },
      defaultNodePool: {
        name: sys.name,
        vmSize: sys.vmSize,
        vnetSubnetId: props.nodeSubnetId,
        autoScalingEnabled: true,
        minCount: sys.minNodes,
        maxCount: sys.maxNodes,
        nodeCount: sys.desiredNodes,
        osDiskSizeGb: sys.diskSizeGiB,
        osSku: sys.osSku ?? 'AzureLinux',
        ...(props.hostEncryption && { hostEncryptionEnabled: true }),
        nodeLabels: { ...sys.labels },
        temporaryNameForRotation: AKS_SYSTEM_ROTATION_POOL,
        ...(sys.zones && { zones: [...sys.zones] }),
        upgradeSettings: { maxSurge: '10%' },
      },
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    for (const [i, principal] of [client.objectId, ...props.admins].entries()) {
      this.adminAssignments.push(new RoleAssignment(this, i === 0 ? 'deployer-admin' : `admin-${principal.replace(/[^A-Za-z0-9]/g, '-')}`, {
        scope: this.cluster.id,
        roleDefinitionName: AKS_RBAC_CLUSTER_ADMIN,
        principalId: principal,
      }));
    }
  }
}
