/**
 * The many-graph spec of `npm run bench`: `count` graphs built round-robin from the shipped examples
 * (spec/examples.ts), every fourth one exposed through its cloud's load balancer on eks, aks and gke, as a spec file
 * (JSON) for DYNAMO_IAC_CONFIG, with Grove on the local target as the multinode examples need. The default graphs stay, so the file adds `count` graphs to each target.
 */
import { EXAMPLE_NAMES } from '../spec/examples.js';

/** The graph names: `g<index>-<example>`, e.g. `g007-sglang-disagg`, short enough for the operator's name rule. */
export function benchGraphNames(count: number): string[] {
  const width = String(Math.max(count - 1, 0)).length;
  return Array.from({ length: count }, (_, i) => `g${String(i).padStart(width, '0')}-${EXAMPLE_NAMES[i % EXAMPLE_NAMES.length]!}`);
}

/** The spec document with `count` extra graphs. */
export function benchSpec(count: number): Record<string, unknown> {
  const names = benchGraphNames(count);
  const graphs = Object.fromEntries(names.map((n) => [n, { example: n.slice(n.indexOf('-') + 1) }]));
  const exposed = Object.fromEntries(names.filter((_, i) => i % 4 === 0).map((n) => [n, { expose: { mode: 'load-balancer' } }]));
  const cloud = { graphs: exposed };
  // The multinode examples need Grove, which the local defaults leave off.
  const local = { platform: { grove: { enabled: true } } };
  return { graphs, targets: { local, eks: cloud, aks: cloud, gke: cloud } };
}
