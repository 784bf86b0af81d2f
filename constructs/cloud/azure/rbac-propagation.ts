/**
 * RbacPropagation: a wait (TimeSleep) after Azure role assignments, for what uses them right away.
 * ARM returns a role assignment before Key Vault's data plane honours it: a key created at once by the principal just
 * made Key Vault Crypto Officer fails with 403 ForbiddenByRbac ("observe propagation time"), and AKS checks the
 * control-plane identity's access to the KMS key when it creates the cluster. The Azure verified Key Vault module
 * waits the same way (Azure/terraform-azurerm-avm-res-keyvault-vault, PR #79: role assignments, wait, keys).
 *
 * The wait is keyed on the assignments' ids (`triggers`): a replaced assignment (a new principal, a new scope) gets
 * its own wait before what depends on it is updated.
 */
import type { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { TimeSleep } from '../time-sleep.js';

/** How long the wait lasts: Key Vault RBAC changes usually apply within a minute. */
export const RBAC_PROPAGATION_SECONDS = 90;

/** A role assignment (or anything with an id that a wait should be keyed on). */
export type Grant = ITerraformDependable & Construct & { readonly id: string };

export interface RbacPropagationProps {
  /** The role assignments to wait for; their construct ids key the triggers. */
  readonly after: readonly Grant[];
  /** Provider source address and exact version. */
  readonly provider: { readonly source: string; readonly providerVersion: string };
  /** @default RBAC_PROPAGATION_SECONDS */
  readonly seconds?: number;
}

export class RbacPropagation extends Construct {
  /** What waits: depend on this. */
  public readonly wait: TerraformResource;

  constructor(scope: Construct, id: string, props: RbacPropagationProps) {
    super(scope, id);
    const triggers: Record<string, string> = {};
    for (const g of props.after) {
      if (g.node.id in triggers) throw new Error(`RbacPropagation: two grants share the id "${g.node.id}"; triggers are keyed by it`);
      triggers[g.node.id] = g.id;
    }
    this.wait = new TimeSleep(this, 'sleep', { after: props.after, provider: props.provider, seconds: props.seconds ?? RBAC_PROPAGATION_SECONDS, triggers }).wait;
  }
}
