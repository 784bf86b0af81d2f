/**
 * cdktf writes `required_providers.<name>.source` in the short form ("aws"); OpenTofu resolves a short source to
 * its own registry namespace, not HashiCorp's. We write the full address and the exact version of the binding.
 */
import type { TerraformStack } from 'cdktf';
import type { ProviderPin } from '../spec/versions.js';

export function pinProvider(stack: TerraformStack, name: string, ref: ProviderPin): void {
  stack.addOverride(`terraform.required_providers.${name}`, { source: ref.source, version: ref.providerVersion });
}
