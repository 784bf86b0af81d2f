/**
 * Who may reach the public Kubernetes API endpoint of a cloud stack: nobody with `publicEndpoint: false` (private
 * API), the spec's `publicAccessCidrs` when it lists any, else the address of the machine running Terraform, looked
 * up at plan time (the default: `cdktf deploy` reaches the API from where it runs, nobody else does).
 */
import type { TerraformStack } from 'cdktf';
import { DeployerAddress } from '../constructs/cloud/deployer-address.js';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { pinProvider } from './provider-source.js';

export function apiAccessCidrs(stack: TerraformStack, network: CloudSpec['cluster']['network']): readonly string[] {
  if (!network.publicEndpoint) return [];
  if (network.publicAccessCidrs.length > 0) return network.publicAccessCidrs;
  const ref = VERSIONS.unboundProviders.http;
  pinProvider(stack, 'http', ref);
  return [new DeployerAddress(stack, 'deployer-address', { source: ref.source, providerVersion: ref.providerVersion }).cidr];
}
