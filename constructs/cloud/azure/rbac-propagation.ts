/**
 * RbacPropagation: a `time_sleep` (hashicorp/time) after Azure role assignments, for what uses them right away.
 * ARM returns a role assignment before Key Vault's data plane honours it: a key created at once by the principal just
 * made Key Vault Crypto Officer fails with 403 ForbiddenByRbac ("observe propagation time"), and AKS checks the
 * control-plane identity's access to the KMS key when it creates the cluster. The Azure verified Key Vault module
 * waits the same way (Azure/terraform-azurerm-avm-res-keyvault-vault, PR #79: role assignments, wait, keys).
 *
 * There is no npm binding of the time provider: the resource is cdktf's generic `TerraformResource`, the provider a
 * `BareProvider`; the caller pins the version (VERSIONS.unboundProviders.time).
 */
import { type ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { BareProvider } from '../bare-provider.js';

/** How long the wait lasts: Key Vault RBAC changes usually apply within a minute. */
export const RBAC_PROPAGATION_SECONDS = 90;

export interface RbacPropagationProps {
  /** The role assignments to wait for. */
  readonly after: readonly ITerraformDependable[];
  /** Provider source address and exact version. */
  readonly provider: { readonly source: string; readonly providerVersion: string };
  /** @default RBAC_PROPAGATION_SECONDS */
  readonly seconds?: number;
}

class TimeSleep extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly seconds: number, provider: BareProvider, dependsOn: ITerraformDependable[]) {
    super(scope, id, { terraformResourceType: 'time_sleep', terraformGeneratorMetadata: { providerName: 'time' }, provider, dependsOn });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: `${this.seconds}s` };
  }
}

export class RbacPropagation extends Construct {
  /** What waits: depend on this. */
  public readonly wait: TerraformResource;

  constructor(scope: Construct, id: string, props: RbacPropagationProps) {
    super(scope, id);
    const provider = new BareProvider(this, 'provider', 'time', props.provider.source, props.provider.providerVersion);
    this.wait = new TimeSleep(this, 'wait', props.seconds ?? RBAC_PROPAGATION_SECONDS, provider, [...props.after]);
  }
}
