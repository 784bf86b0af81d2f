/**
 * The shipped example graphs, as code: for each backend an aggregated graph, a KV-routed one, a disaggregated one
 * and a multinode disaggregated one, all serving `Qwen/Qwen3-0.6B` (small enough for any GPU pool of the defaults).
 * A spec enables one with `graphs: { <name>: { example: <example> } }`; the other keys of the entry override it.
 */
import type { GraphInput } from './graphs.js';
import { BACKENDS, type Backend } from './naming.js';

export const EXAMPLE_MODEL = 'Qwen/Qwen3-0.6B';

export const EXAMPLE_KINDS = ['agg', 'agg-kv', 'disagg', 'disagg-mn'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];

const DESCRIPTIONS: Record<ExampleKind, string> = {
  agg: 'aggregated: the frontend (2 replicas on eks, aks, gke), one worker with 1 GPU',
  'agg-kv': 'KV-routed: the KV-aware router in front of 2 aggregated workers (spot or on-demand)',
  disagg: 'disaggregated: prefill and decode workers with 1 GPU each, KV cache over NIXL',
  'disagg-mn': 'multinode disaggregated: prefill and decode each span 2 nodes of 2 GPUs (tensor parallel 4)',
};

function example(backend: Backend, kind: ExampleKind): GraphInput {
  const base = { backend, model: EXAMPLE_MODEL };
  switch (kind) {
    case 'agg':
      return { ...base, aggregated: { gpus: 1 } };
    case 'agg-kv':
      return { ...base, router: 'kv', aggregated: { replicas: 2, gpus: 1, capacity: 'any' } };
    case 'disagg':
      return { ...base, prefill: { gpus: 1 }, decode: { gpus: 1 } };
    case 'disagg-mn':
      return { ...base, prefill: { gpus: 2, nodeCount: 2 }, decode: { gpus: 2, nodeCount: 2 } };
  }
}

/** Every example name, `<backend>-<kind>`, e.g. `vllm-disagg`. */
export const EXAMPLE_NAMES: readonly string[] = BACKENDS.flatMap((b) => EXAMPLE_KINDS.map((k) => `${b}-${k}`));

/** Example name -> graph spec input. */
export const EXAMPLE_GRAPHS: Readonly<Record<string, GraphInput>> = Object.fromEntries(
  BACKENDS.flatMap((b) => EXAMPLE_KINDS.map((k) => [`${b}-${k}`, example(b, k)] as const)),
);

/** Rows of the README's examples table. */
export function exampleRows(): { name: string; description: string }[] {
  return BACKENDS.flatMap((b) => EXAMPLE_KINDS.map((k) => ({ name: `${b}-${k}`, description: `${b}, ${DESCRIPTIONS[k]}` })));
}
