/**
 * One walk of a construct tree, shared by every validation of a synthesis pass.
 *
 * A validation that needs the whole app (every KaiQueue, every DynamoOperator) would otherwise walk the tree once
 * per construct that asks, which is quadratic in the number of objects. `withTreeIndex` walks the tree once and
 * answers `constructsUnder` from that walk while its callback runs; outside it, `constructsUnder` walks afresh, so
 * a tree that is still growing is always seen whole.
 */
import type { IConstruct } from 'constructs';

let active: { readonly root: IConstruct; readonly all: readonly IConstruct[] } | undefined;

/** Every construct under `root`, `root` first, in `findAll` (pre-order) order. */
export function constructsUnder(root: IConstruct): readonly IConstruct[] {
  return active?.root === root ? active.all : root.node.findAll();
}

/** Runs `fn` with one walk of the tree under `root` shared by every `constructsUnder(root)` inside it. */
export function withTreeIndex<T>(root: IConstruct, fn: (all: readonly IConstruct[]) => T): T {
  const outer = active;
  active = { root, all: root.node.findAll() };
  try {
    return fn(active.all);
  } finally {
    active = outer;
  }
}
