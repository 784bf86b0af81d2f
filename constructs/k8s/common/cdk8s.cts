/**
 * The cdk8s classes of the Kubernetes layer.
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
export {
  ApiObject,
  App,
  Chart,
  DependencyGraph,
  ImplicitTokenResolver,
  JsonPatch,
  LazyResolver,
  NumberStringUnionResolver,
  Yaml,
} from 'cdk8s';
