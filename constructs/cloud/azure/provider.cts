/**
 * The @cdktf/provider-azurerm classes of the AKS stack.
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
import '../archiver-on-demand.cjs';
export { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry/index.js';
export { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
export { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool/index.js';
export { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster/index.js';
export { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
export { ManagedLustreFileSystem } from '@cdktf/provider-azurerm/lib/managed-lustre-file-system/index.js';
export { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association/index.js';
export { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule/index.js';
export { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
export { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
export { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
export { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
export { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
export { DataAzurermKeyVaultKey } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-key/index.js';
export { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
export { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key/index.js';
export { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
export { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group/index.js';
export { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule/index.js';
export { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association/index.js';
