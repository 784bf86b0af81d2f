/** Dynamo's naming rules: namespace characters, endpoint references, and the operator's 45-character name rule. */
import { describe, expect, it } from 'vitest';
import { dynamoNamespaceProblem, formatEndpoint, graphServiceNameProblem, MAX_GRAPH_SERVICE_NAME, parseEndpoint, toDynamoNamespace } from '../../spec/naming.js';

describe('Dynamo namespace names', () => {
  it.each(['dynamo', 'dynamo-workloads-vllm-agg', 'team_a-1', '0'])('accepts %s', (name) => {
    expect(dynamoNamespaceProblem(name)).toBeUndefined();
  });
  it.each([
    ['Dynamo', "a Dynamo namespace uses only lower-case letters a-z, digits 0-9, '-' and '_', got \"Dynamo\""],
    ['a.b', "a Dynamo namespace uses only lower-case letters a-z, digits 0-9, '-' and '_', got \"a.b\""],
    ['a b', "a Dynamo namespace uses only lower-case letters a-z, digits 0-9, '-' and '_', got \"a b\""],
    ['', 'a Dynamo namespace must not be empty'],
  ])('refuses %j', (name, message) => {
    expect(dynamoNamespaceProblem(name)).toBe(message);
  });
  it('derives a valid namespace from any name', () => {
    expect(toDynamoNamespace('Prod.Team A')).toBe('prod-team-a');
    expect(dynamoNamespaceProblem(toDynamoNamespace('Prod.Team A'))).toBeUndefined();
  });
});

describe('endpoint references namespace.component.endpoint', () => {
  it('parses the seeds example and formats it back, with or without the dyn:// scheme', () => {
    const ref = parseEndpoint('dynamo.Processor.chat/completions');
    expect(ref).toEqual({ namespace: 'dynamo', component: 'Processor', endpoint: 'chat/completions' });
    expect(formatEndpoint(ref)).toBe('dynamo.Processor.chat/completions');
    expect(formatEndpoint(ref, { scheme: true })).toBe('dyn://dynamo.Processor.chat/completions');
    expect(parseEndpoint('dyn://dynamo.backend.generate')).toEqual({ namespace: 'dynamo', component: 'backend', endpoint: 'generate' });
  });
  it.each([
    ['dynamo.backend', 'endpoint reference "dynamo.backend" must have the form namespace.component.endpoint (three non-empty parts separated by \'.\')'],
    ['dynamo..generate', 'endpoint reference "dynamo..generate" must have the form namespace.component.endpoint (three non-empty parts separated by \'.\')'],
    ['a.b.c.d', 'endpoint reference "a.b.c.d" must have the form namespace.component.endpoint (three non-empty parts separated by \'.\')'],
    ['Prod.backend.generate', 'endpoint reference "Prod.backend.generate": a Dynamo namespace uses only lower-case letters a-z, digits 0-9, \'-\' and \'_\', got "Prod"'],
    ['dynamo.back end.generate', 'endpoint reference "dynamo.back end.generate": the component name uses only letters, digits, \'_\', \'-\' and \'/\', got "back end"'],
  ])('refuses %j', (ref, message) => {
    expect(() => parseEndpoint(ref)).toThrow(message);
  });
  it('formatting checks the parts too', () => {
    expect(() => formatEndpoint({ namespace: 'Bad', component: 'backend', endpoint: 'generate' })).toThrow(/got "Bad"/);
  });
});

describe("the operator's name-length rule", () => {
  it('single node: graph name + lower-cased service name, at most 45 (no separator counted)', () => {
    const graph = 'g'.repeat(MAX_GRAPH_SERVICE_NAME - 'VllmDecodeWorker'.length);
    expect(graphServiceNameProblem(graph, 'VllmDecodeWorker')).toBeUndefined();
    expect(graphServiceNameProblem(`${graph}x`, 'VllmDecodeWorker')).toBe(
      `graph name + service name is 46 characters ("${graph}x", "vllmdecodeworker"); the operator allows at most 45: shorten the graph name (30) or the service name (16)`,
    );
  });
  it('multinode: the leader name <service>-ldr counts as well', () => {
    // "prefill" (7) + "prefill-ldr" (11) = 18: a graph name of 27 fits, 28 does not.
    expect(graphServiceNameProblem('g'.repeat(27), 'prefill', true)).toBeUndefined();
    expect(graphServiceNameProblem('g'.repeat(28), 'prefill', true)).toBe(
      `graph name + service name + "prefill-ldr" is 46 characters ("${'g'.repeat(28)}", "prefill"); the operator allows at most 45: shorten the graph name (28) or the service name (7)`,
    );
    expect(graphServiceNameProblem('g'.repeat(28), 'prefill', false)).toBeUndefined();
  });
});
