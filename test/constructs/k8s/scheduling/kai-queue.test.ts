/** KaiQueue: the Queue object, validation against the KAI CRD, and the hierarchy rules across the app's queues. */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KaiQueue, type KaiQueueProps } from '../../../../constructs/k8s/scheduling/kai-queue.js';
import { hasReference } from '../../../support/env.js';
import { validateCustom } from '../../../support/kube-validate.js';
import { type KubeObject, specsFrom, synthSpec } from '../../../support/synth.js';

function build(queues: Record<string, KaiQueueProps>) {
  const app = Testing.app();
  const chart = new Chart(app, 'queues', { namespace: 'somewhere' });
  const built = Object.entries(queues).map(([id, p]) => new KaiQueue(chart, id, p));
  const problems = built.flatMap((q) => q.node.validate());
  return { problems, objects: problems.length ? [] : (chart.toJson() as KubeObject[]) };
}

describe('KaiQueue', () => {
  it('a cluster-scoped scheduling.run.ai/v2 Queue with parent, priority and per-resource quota, limit and weight (-1 unlimited)', () => {
    const { objects, problems } = build({ root: {}, 'team-a': { parent: 'root', priority: 200, resources: { gpu: { quota: 8, limit: 16, overQuotaWeight: 2 } } } });
    expect(problems).toEqual([]);
    const team = objects.find((o) => o.metadata.name === 'team-a')!;
    expect(team.metadata.namespace).toBeUndefined();
    expect(team).toMatchObject({
      apiVersion: 'scheduling.run.ai/v2',
      kind: 'Queue',
      spec: {
        parentQueue: 'root',
        priority: 200,
        resources: { gpu: { quota: 8, limit: 16, overQuotaWeight: 2 }, cpu: { quota: -1, limit: -1, overQuotaWeight: 1 }, memory: { quota: -1, limit: -1, overQuotaWeight: 1 } },
      },
    });
    expect(objects.find((o) => o.metadata.name === 'root')!['spec']).not.toHaveProperty('parentQueue');
  });

  it.each<[string, Record<string, KaiQueueProps>, string[]]>([
    ['a missing parent', { a: { parent: 'nope' } }, ['KaiQueue a: parent: parent queue "nope" is not defined (queues: a)']],
    ['a child over its parent', { root: { resources: { gpu: { quota: 4 } } }, a: { parent: 'root', resources: { gpu: { quota: 6 } } } }, [
      'KaiQueue root: resources.gpu.quota: the GPU quotas of the children (a: 6; sum 6) exceed this queue\'s quota (4)',
      'KaiQueue a: resources.gpu.quota: exceeds the gpu quota of parent "root" (4)',
    ]],
    ['children summing over their parent', { root: { resources: { gpu: { quota: 8 } } }, a: { parent: 'root', resources: { gpu: { quota: 5 } } }, b: { parent: 'root', resources: { gpu: { quota: 4 } } } }, [
      'KaiQueue root: resources.gpu.quota: the GPU quotas of the children (a: 5, b: 4; sum 9) exceed this queue\'s quota (8)',
    ]],
    ['a limit under the quota', { a: { resources: { cpu: { quota: 4000, limit: 1000 } } } }, ['KaiQueue a: resources.cpu.limit: must be at least the quota (4000) or -1, got 1000']],
    ['a negative quota other than -1', { a: { resources: { memory: { quota: -5 } } } }, ['KaiQueue a: resources.memory.quota: must be -1 (unlimited) or at least 0, got -5']],
    ['the same name twice', { a: { name: 'x' }, b: { name: 'x' } }, ['KaiQueue x: defined twice (queues/a, queues/b)']],
  ])('refuses %s', (_, queues, expected) => {
    expect(build(queues).problems).toEqual(expected);
  });

  it.skipIf(!hasReference())('every Queue validates against the KAI CRD (defaults and a team hierarchy)', () => {
    const fromSpec = synthSpec(
      specsFrom('platform: { kai: { queues: { dynamo-default: { resources: { gpu: { quota: 16 } } }, dynamo: { resources: { gpu: { quota: 8 } } }, team-a: { parent: dynamo-default, priority: 150, displayName: Team A, resources: { gpu: { quota: 8, limit: 12, overQuotaWeight: 0.5 }, cpu: { quota: 64000 }, memory: { quota: 512000 } } } } } }').eks,
    ).objects.filter((o) => o.kind === 'Queue');
    expect(fromSpec.map((o) => o.metadata.name)).toEqual(['dynamo', 'dynamo-default', 'team-a']);
    for (const o of [...fromSpec, ...synthSpec(specsFrom().gke).objects.filter((x) => x.kind === 'Queue')]) expect(validateCustom(o)).toEqual([]);
  });
});
