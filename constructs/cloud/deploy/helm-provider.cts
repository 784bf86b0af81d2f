/**
 * The @cdktf/provider-helm classes of the deploy path of every cloud stack.
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
import '../archiver-on-demand.cjs';
export { HelmProvider } from '@cdktf/provider-helm/lib/provider/index.js';
export { Release } from '@cdktf/provider-helm/lib/release/index.js';
