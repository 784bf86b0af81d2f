/**
 * The scheduling rules: who puts a graph's pods on the KAI scheduler (the operator's rule, every row of the truth
 * table), the KAI queue hierarchy rules, and the spec rules that tie graphs to queues and multinode to Grove.
 */
import { describe, expect, it } from 'vitest';
import { queueProblems, type QueueSpec, schedulingDecision, type SchedulingInputs } from '../../spec/scheduling.js';
import { problemsOf, specsFrom } from '../support/synth.js';

describe('who sets the scheduler: Grove on/off x KAI on/off x scheduler unset/other/kai-scheduler', () => {
  const other = 'volcano';
  // [grove installed, kai installed, service's own scheduler] -> [kaiBy, effective scheduler, queue label, what our construct writes]
  const rows: [boolean, boolean, string | undefined, 'operator' | 'construct' | 'none', string | undefined, string | undefined, object][] = [
    [true, true, undefined, 'operator', 'kai-scheduler', 'team-a', {}],
    [true, true, other, 'none', other, undefined, { schedulerName: other }],
    [true, true, 'kai-scheduler', 'operator', 'kai-scheduler', 'team-a', { schedulerName: 'kai-scheduler' }],
    [true, false, undefined, 'none', undefined, undefined, {}],
    [true, false, other, 'none', other, undefined, { schedulerName: other }],
    [false, true, undefined, 'construct', 'kai-scheduler', 'team-a', { schedulerName: 'kai-scheduler', queueLabel: 'team-a' }],
    [false, true, other, 'none', other, undefined, { schedulerName: other }],
    [false, true, 'kai-scheduler', 'construct', 'kai-scheduler', 'team-a', { schedulerName: 'kai-scheduler', queueLabel: 'team-a' }],
    [false, false, undefined, 'none', undefined, undefined, {}],
    [false, false, other, 'none', other, undefined, { schedulerName: other }],
  ];
  it.each(rows)('grove %s, kai %s, scheduler %s -> %s', (grove, kai, own, kaiBy, scheduler, label, set) => {
    const inputs: SchedulingInputs = { groveInstalled: grove, graphGrove: true, kaiInstalled: kai, queue: 'team-a', ...(own !== undefined && { schedulerName: own }) };
    const d = schedulingDecision(inputs);
    expect(d.kaiBy).toBe(kaiBy);
    expect(d.schedulerName).toBe(scheduler);
    expect(d.queueLabel).toBe(label);
    expect(d.set).toEqual(set);
  });

  it('a graph that opts out of Grove is off the Grove path even with Grove installed: the construct sets KAI', () => {
    expect(schedulingDecision({ groveInstalled: true, graphGrove: false, kaiInstalled: true })).toEqual({
      kaiBy: 'construct',
      schedulerName: 'kai-scheduler',
      queueLabel: 'dynamo',
      set: { schedulerName: 'kai-scheduler', queueLabel: 'dynamo' },
    });
  });
});

const q = (parent: string | undefined, gpu: number, cpu = -1): QueueSpec => ({
  ...(parent && { parent }),
  resources: { cpu: { quota: cpu, limit: -1, overQuotaWeight: 1 }, gpu: { quota: gpu, limit: -1, overQuotaWeight: 1 }, memory: { quota: -1, limit: -1, overQuotaWeight: 1 } },
});

describe('KAI queue hierarchy rules', () => {
  it('the default hierarchy and a finite tree are fine', () => {
    expect(queueProblems({ 'dynamo-default': q(undefined, -1), dynamo: q('dynamo-default', -1) })).toEqual([]);
    expect(queueProblems({ root: q(undefined, 16), a: q('root', 8), b: q('root', 8), c: q('root', 0) })).toEqual([]);
    // Unlimited everywhere is upstream's default, and unlimited children under an unlimited parent are fine.
    expect(queueProblems({ root: q(undefined, -1), a: q('root', -1), b: q('root', 100) })).toEqual([]);
  });
  it.each<[string, Record<string, QueueSpec>, string[]]>([
    ['a missing parent', { a: q('nope', 1) }, ['a.parent: parent queue "nope" is not defined (queues: a)']],
    ['a cycle', { a: q('b', -1), b: q('a', -1) }, ['a.parent: the queue hierarchy has a cycle: a -> b -> a', 'b.parent: the queue hierarchy has a cycle: b -> a -> b']],
    ['a child quota over the parent quota', { root: q(undefined, 4), a: q('root', 6) }, [
      'a.resources.gpu.quota: exceeds the gpu quota of parent "root" (4)',
      'root.resources.gpu.quota: the GPU quotas of the children (a: 6; sum 6) exceed this queue\'s quota (4)',
    ]],
    ['an unlimited child under a finite parent', { root: q(undefined, 8, 4000), a: q('root', 2) }, ['a.resources.cpu.quota: exceeds the cpu quota of parent "root" (4000): an unlimited quota under a finite parent']],
    ['children summing over the parent', { root: q(undefined, 8), a: q('root', 4), b: q('root', 5) }, ['root.resources.gpu.quota: the GPU quotas of the children (a: 4, b: 5; sum 9) exceed this queue\'s quota (8)']],
  ])('%s', (_, queues, expected) => {
    expect(queueProblems(queues).map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual(expected);
  });
});

describe('spec rules', () => {
  it('defaults: Grove and KAI on the clouds with upstream\'s queues, off on local', () => {
    const s = specsFrom();
    for (const t of ['eks', 'aks', 'gke'] as const) {
      expect(s[t].platform.grove.enabled).toBe(true);
      expect(s[t].platform.kai.enabled).toBe(true);
      expect(Object.keys(s[t].platform.kai.queues).sort()).toEqual(['dynamo', 'dynamo-default']);
      expect(s[t].platform.kai.queues['dynamo']).toMatchObject({ parent: 'dynamo-default', resources: { gpu: { quota: -1, limit: -1, overQuotaWeight: 1 } } });
    }
    expect([s.local.platform.grove.enabled, s.local.platform.kai.enabled]).toEqual([false, false]);
  });

  it('queue rules report under platform.kai.queues', () => {
    // The default child `dynamo` is unlimited, so it breaks the finite parent too.
    expect(problemsOf('platform: { kai: { queues: { dynamo-default: { resources: { gpu: { quota: 8 } } }, team-a: { parent: dynamo-default, resources: { gpu: { quota: 6 } } }, team-b: { parent: dynamo-default, resources: { gpu: { quota: 4 } } } } } }')).toEqual([
      'platform.kai.queues.dynamo-default.resources.gpu.quota: the GPU quotas of the children (team-a: 6, team-b: 4; sum 10) exceed this queue\'s quota (8), got 8',
      'platform.kai.queues.dynamo.resources.gpu.quota: exceeds the gpu quota of parent "dynamo-default" (8): an unlimited quota under a finite parent (targets eks, aks, gke)',
    ]);
  });

  it('a limit under the quota, and a negative amount other than -1, are refused', () => {
    expect(problemsOf('platform: { kai: { queues: { t: { resources: { gpu: { quota: 4, limit: 2 } } } } } }')).toContain('platform.kai.queues.t.resources.gpu.limit: must be at least the quota (4) or -1, got 2');
    expect(problemsOf('platform: { kai: { queues: { t: { resources: { gpu: { quota: -2 } } } } } }')).toContain('platform.kai.queues.t.resources.gpu.quota: must be -1 (unlimited) or at least 0, got -2');
  });

  it('a queue a graph names must exist (with KAI on); the default queue too', () => {
    expect(problemsOf('graphs: { vllm-agg: { scheduling: { queue: team-x } } }')).toEqual([
      'graphs.vllm-agg.scheduling.queue: KAI queue "team-x" is not defined in platform.kai.queues (dynamo, dynamo-default); the operator refuses the graph, got "team-x"',
    ]);
    expect(problemsOf('platform: { kai: { queues: { dynamo: null } } }\ngraphs: { vllm-disagg: null }')).toEqual([
      'graphs.vllm-agg.scheduling.queue: KAI queue "dynamo" (the operator\'s default) is not defined in platform.kai.queues (dynamo-default); the operator refuses the graph (targets eks, aks, gke)',
    ]);
    // Without KAI, queues are not checked.
    expect(problemsOf('platform: { kai: { enabled: false } }\ngraphs: { vllm-agg: { scheduling: { queue: team-x } } }')).toEqual([]);
  });

  it('multinode workers need Grove', () => {
    expect(problemsOf('graphs: { mn: { example: vllm-disagg-mn } }')).toEqual([
      "graphs.mn.decode.nodeCount: multinode workers need Grove (platform.grove.enabled and the graph's scheduling.grove); without it the operator needs LeaderWorkerSet and Volcano, which this project does not install, got 2 (target local)",
      "graphs.mn.prefill.nodeCount: multinode workers need Grove (platform.grove.enabled and the graph's scheduling.grove); without it the operator needs LeaderWorkerSet and Volcano, which this project does not install, got 2 (target local)",
    ]);
    // A graph that opts out of Grove cannot be multinode on any target.
    const optOut = problemsOf('graphs: { mn: { example: vllm-disagg-mn, scheduling: { grove: false } } }');
    expect(optOut).toHaveLength(2);
    expect(optOut[0]).toMatch(/^graphs\.mn\.decode\.nodeCount: multinode workers need Grove .*, got 2$/);
  });

  it('a Grove termination delay is a Go duration', () => {
    expect(problemsOf('platform: { grove: { terminationDelay: 4 hours } }')).toEqual(['platform.grove.terminationDelay: must be a Go duration such as 4h, 30m, 90s or 0, got "4 hours"']);
    expect(specsFrom('platform: { grove: { terminationDelay: 2h30m } }').eks.platform.grove.terminationDelay).toBe('2h30m');
    // Go's time.ParseDuration takes a bare 0; the operator then sets none (graph.go: only when > 0) and Grove's webhook defaults it.
    expect(specsFrom('platform: { grove: { terminationDelay: "0" } }').eks.platform.grove.terminationDelay).toBe('0');
    expect(problemsOf('platform: { grove: { terminationDelay: "5" } }')).toHaveLength(1);
  });
});
