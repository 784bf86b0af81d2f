import { LocalBackend } from '../constructs/cloud/cdktf.cjs';
import type { TerraformStack } from 'cdktf';

/**
 * State of a stack, by default in a local file at the project root: outside cdktf.out (which every synth replaces)
 * and as a relative path (cdktf's default is absolute, so the same spec would give different bytes per checkout).
 * Terraform runs in cdktf.out/stacks/<stack>, three levels below the root.
 */
export function localState(stack: TerraformStack, name: string): void {
  new LocalBackend(stack, { path: `../../../terraform.${name}.tfstate` });
}
