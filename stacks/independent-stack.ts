/**
 * A cloud stack built from plain data alone (a spec and manifest text): it holds no token of another stack, so
 * cdktf's preparing pass, which resolves every element of every stack once before the real synthesis only to find
 * cross-stack references (tfExpression.js `Reference.resolve` with `preparing`), finds none in it.
 *
 * When every stack of the app is an IndependentStack (the app of `npm run synth`), a stack's preparation is only
 * its backend, and the synthesis resolves each element once instead of twice. With any other stack in the app (an
 * app of your own that adds stacks, which may reference ours), every stack prepares as cdktf's do.
 * test/stacks/independent-stack.test.ts checks that the output is the same either way.
 */
import { TerraformStack } from '../constructs/cloud/cdktf.cjs';
import type { IConstruct } from 'constructs';

export abstract class IndependentStack extends TerraformStack {
  public static isIndependentStack(x: unknown): x is IndependentStack {
    return x instanceof IndependentStack;
  }

  public override prepareStack(): void {
    const stacks = this.node.root.node.findAll().filter((c: IConstruct) => TerraformStack.isStack(c));
    if (stacks.every(IndependentStack.isIndependentStack)) this.ensureBackendExists();
    else super.prepareStack();
  }
}
