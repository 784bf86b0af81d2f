/**
 * The graph part of the spec: examples expand and merge, and every graph rule gives one message naming the field
 * path, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_GRAPHS, EXAMPLE_NAMES } from '../../spec/examples.js';
import { parseSpecFile, resolveSpecs } from '../../spec/load.js';
import { problemsOf } from '../support/synth.js';
import { BACKENDS } from '../../spec/naming.js';

const specs = (text?: string) => resolveSpecs(text === undefined ? undefined : parseSpecFile(text, 'spec.yaml'));

describe('examples', () => {
  it('four per backend: aggregated, KV-routed, disaggregated, multinode disaggregated', () => {
    expect(EXAMPLE_NAMES).toHaveLength(12);
    for (const b of BACKENDS) expect(EXAMPLE_NAMES.filter((n) => n.startsWith(`${b}-`))).toEqual([`${b}-agg`, `${b}-agg-kv`, `${b}-disagg`, `${b}-disagg-mn`]);
    expect(EXAMPLE_GRAPHS['vllm-agg-kv']).toMatchObject({ router: 'kv' });
    expect(EXAMPLE_GRAPHS['sglang-disagg-mn']).toMatchObject({ prefill: { nodeCount: 2 }, decode: { nodeCount: 2 } });
  });

  it('the default spec of every target has an aggregated and a disaggregated vLLM graph', () => {
    for (const s of Object.values(specs())) {
      expect(s.graphs['vllm-agg']).toMatchObject({ backend: 'vllm', aggregated: { gpus: 1 }, enabled: true });
      expect(s.graphs['vllm-disagg']).toMatchObject({ backend: 'vllm', prefill: { gpus: 1 }, decode: { gpus: 1 } });
    }
  });

  it('every example resolves on every target (multinode ones need Grove, which local turns on here)', () => {
    const text = `graphs:\n${EXAMPLE_NAMES.map((n) => `  ${n}: { example: ${n} }`).join('\n')}\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;
    const all = specs(text);
    for (const s of Object.values(all)) expect(Object.keys(s.graphs)).toEqual(expect.arrayContaining([...EXAMPLE_NAMES]));
  });

  it('an entry overrides its example key by key; null removes a default graph', () => {
    const s = specs('graphs: { vllm-agg: { aggregated: { gpus: 2 } }, vllm-disagg: null, mine: { example: sglang-agg, model: org/other } }').eks;
    expect(s.graphs['vllm-agg']).toMatchObject({ backend: 'vllm', aggregated: { gpus: 2, replicas: 1 } });
    expect(s.graphs['vllm-disagg']).toBeUndefined();
    expect(s.graphs['mine']).toMatchObject({ backend: 'sglang', model: 'org/other', aggregated: { gpus: 1 } });
  });

  it('switching a default graph to another example replaces its backend', () => {
    expect(specs('graphs: { vllm-agg: { example: trtllm-agg } }').gke.graphs['vllm-agg']!.backend).toBe('trtllm');
  });
});

describe('graph rules', () => {
  it.each([
    ['GPU count zero', 'graphs: { g: { backend: vllm, model: m, aggregated: { gpus: 0 } } }', 'graphs.g.aggregated.gpus: gpus must be a positive integer, got 0'],
    ['fractional GPUs', 'graphs: { g: { backend: vllm, model: m, aggregated: { gpus: 1.5 } } }', 'graphs.g.aggregated.gpus: must be an integer, got 1.5'],
    ['multinode of one node', 'graphs: { g: { backend: vllm, model: m, aggregated: { nodeCount: 1 } } }', 'graphs.g.aggregated.nodeCount: a multinode worker spans at least 2 nodes (omit nodeCount for one node), got 1'],
    ['no workers', 'graphs: { g: { backend: vllm, model: m } }', 'graphs.g: a graph needs workers: set aggregated, or prefill and decode, got {"backend":"vllm","model":"m"}'],
    ['prefill only', 'graphs: { g: { backend: vllm, model: m, prefill: {} } }', 'graphs.g.decode: a disaggregated graph needs both prefill and decode workers'],
    ['aggregated and disaggregated', 'graphs: { g: { backend: vllm, model: m, aggregated: {}, prefill: {}, decode: {} } }', 'graphs.g.aggregated: either aggregated workers, or prefill and decode workers, not both, got {}'],
    ['planner without disaggregation', 'graphs: { g: { backend: vllm, model: m, aggregated: {}, planner: { enabled: true } } }', 'graphs.g.planner.enabled: the SLA Planner scales prefill and decode workers: the graph has none, got true'],
    ['unknown backend', 'graphs: { g: { backend: tgi, model: m, aggregated: {} } }', 'graphs.g.backend: must be one of vllm, sglang, trtllm, got "tgi"'],
    ['graph name not a DNS label', 'graphs: { My_Graph: { backend: vllm, model: m, aggregated: {} } }', "graphs.My_Graph: graphs key must be a DNS label (lower-case letters, digits and '-', alphanumeric at both ends), got \"My_Graph\""],
    ['engine config on vLLM', 'graphs: { g: { backend: vllm, model: m, aggregated: { engineConfig: { a: 1 } } } }', 'graphs.g.aggregated.engineConfig: only TRT-LLM workers take an engine configuration, the backend is vllm, got {"a":1}'],
    ['compilation cache without a mount point on SGLang', 'graphs: { g: { backend: sglang, model: m, aggregated: {}, compilationCache: { size: 10Gi } } }', 'graphs.g.compilationCache.mountPoint: required for backend sglang (the operator has no default mount point for it)'],
    ['a probe timeout longer than its period', 'graphs: { g: { backend: vllm, model: m, aggregated: {}, health: { liveness: { periodSeconds: 5, timeoutSeconds: 6 } } } }', 'graphs.g.health.liveness.timeoutSeconds: a check must end before the next one starts: at most periodSeconds (5), got 6'],
    ['a readiness threshold of zero', 'graphs: { g: { backend: vllm, model: m, aggregated: {}, health: { readiness: { failureThreshold: 0 } } } }', 'graphs.g.health.readiness.failureThreshold: failureThreshold must be a positive integer, got 0'],
    ['an SLA of zero', 'graphRequests: { r: { backend: vllm, model: m, sla: { isl: 100, osl: 10, ttftMs: 0, itlMs: 5 } } }', 'graphRequests.r.sla.ttftMs: must be a positive number of milliseconds, got 0'],
  ])('%s', (_, text, expected) => {
    expect(problemsOf(text)).toContain(expected);
  });

  it('the name-length rule names the service and the lengths (single node and multinode)', () => {
    const long = 'a'.repeat(30);
    expect(problemsOf(`graphs: { ${long}: { backend: vllm, model: m, prefill: {}, decode: {} } }`)).toEqual([
      `graphs.${long}.decode: graph name + service name is 46 characters ("${long}", "vllmdecodeworker"); the operator allows at most 45: shorten the graph name (30) or the service name (16), got {}`,
      `graphs.${long}.prefill: graph name + service name is 47 characters ("${long}", "vllmprefillworker"); the operator allows at most 45: shorten the graph name (30) or the service name (17), got {}`,
    ]);
    const mn = 'b'.repeat(28);
    expect(problemsOf(`graphs: { ${mn}: { backend: sglang, model: m, prefill: { nodeCount: 2 }, decode: { nodeCount: 2 } } }`)).toContain(
      `graphs.${mn}.prefill: graph name + service name + "prefill-ldr" is 46 characters ("${mn}", "prefill"); the operator allows at most 45: shorten the graph name (28) or the service name (7), got {"nodeCount":2}`,
    );
  });

  it('a GPU request no pool can satisfy names the pool sizes (cloud targets only)', () => {
    const problems = problemsOf('graphs: { big: { backend: vllm, model: m, aggregated: { gpus: 8 } } }');
    expect(problems).toEqual([
      'graphs.big.aggregated: no GPU pool of aks fits 8 GPUs per node, on-demand: gpu has 2 nvidia-h100-nvl (on-demand); gpuspot has 2 nvidia-h100-nvl (spot), got {"gpus":8}',
      'graphs.big.aggregated: no GPU pool of eks fits 8 GPUs per node, on-demand: gpu has 4 nvidia-l40s (on-demand); gpuspot has 4 nvidia-l40s (spot), got {"gpus":8}',
      'graphs.big.aggregated: no GPU pool of gke fits 8 GPUs per node, on-demand: gpu has 4 nvidia-l4 (on-demand); gpuspot has 4 nvidia-l4 (spot), got {"gpus":8}',
    ]);
  });

  it('the wrong accelerator or an unknown pool name is refused the same way', () => {
    expect(problemsOf('targets: { eks: { graphs: { g: { backend: vllm, model: m, aggregated: { accelerator: nvidia-h100-80gb } } } } }')).toEqual([
      'targets.eks.graphs.g.aggregated: no GPU pool of eks fits 1 GPU per node, on-demand, nvidia-h100-80gb: gpu has 4 nvidia-l40s (on-demand); gpuspot has 4 nvidia-l40s (spot), got {"accelerator":"nvidia-h100-80gb"}',
    ]);
    expect(problemsOf('targets: { gke: { graphs: { g: { backend: vllm, model: m, aggregated: { pools: [gpus] } } } } }')).toEqual([
      'targets.gke.graphs.g.aggregated: unknown GPU pool "gpus"; the pools of gke are gpu, gpuspot, got {"pools":["gpus"]}',
    ]);
  });

  it('local knows no pools: any GPU count is left to the cluster', () => {
    expect(specs('targets: { local: { graphs: { big: { backend: vllm, model: m, aggregated: { gpus: 8 } } } } }').local.graphs['big']!.aggregated!.gpus).toBe(8);
  });

  it('the operator creates a compilation cache only with a storage class: local must name one', () => {
    expect(problemsOf('graphs: { vllm-agg: { compilationCache: { size: 20Gi } } }')).toEqual([
      'graphs.vllm-agg.compilationCache: the operator creates the compilation cache claim and needs a storage class; target local has no model storage class: set workloads.modelCache.storageClass, got {"size":"20Gi"}',
    ]);
    expect(problemsOf('graphs: { vllm-agg: { compilationCache: { size: 20Gi } } }\ntargets: { local: { workloads: { modelCache: { storageClass: nfs } } } }')).toEqual([]);
  });

  it('a namespace-scoped operator needs the graphs in its namespace', () => {
    // The rule points at workloads.namespace, which the file did not write: the line says which target it hits.
    expect(problemsOf('targets: { eks: { platform: { operator: { scope: namespace } } } }')).toEqual([
      'workloads.namespace: a namespace-scoped operator reconciles graphs only in its own namespace: set workloads.namespace to dynamo-system, or platform.operator.scope: cluster, got "dynamo-workloads" (target eks)',
    ]);
  });

  it('a graph that mounts a disabled model cache is refused', () => {
    expect(problemsOf('workloads: { modelCache: { enabled: false } }\ngraphs: { vllm-disagg: null }')).toEqual([
      'graphs.vllm-agg.modelCache: the graph mounts the model cache, but workloads.modelCache.enabled is false: set modelCache: false on the graph',
    ]);
  });
});
