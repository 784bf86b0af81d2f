/**
 * The @cdktf/provider-google classes of the GKE stack.
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
import '../archiver-on-demand.cjs';
export { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository/index.js';
export { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall/index.js';
export { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
export { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
export { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat/index.js';
export { ComputeRouter } from '@cdktf/provider-google/lib/compute-router/index.js';
export { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
export { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster/index.js';
export { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool/index.js';
export { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config/index.js';
export { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
export { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
export { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
export { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
export { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
export { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection/index.js';
export { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
export { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
export { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
export { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
