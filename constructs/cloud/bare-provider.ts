/**
 * A Terraform provider without an npm binding and without configuration (hashicorp/http, hashicorp/time), as cdktf's
 * generic `TerraformProvider`. The caller pins its version in `required_providers` (stacks/provider-source.ts).
 */
import { TerraformProvider } from './cdktf.cjs';
import type { Construct } from 'constructs';

export class BareProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, name: string, source: string, version: string) {
    super(scope, id, {
      terraformResourceType: name,
      terraformGeneratorMetadata: { providerName: name, providerVersion: version },
      terraformProviderSource: source,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}
