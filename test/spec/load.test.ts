/**
 * Bad input never half-succeeds: each class of bad input gives one message per problem, naming the field path,
 * the value and the rule. And good input merges the way the README says.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../spec/errors.js';
import { mergeDocs, parseSpecFile, resolveSpecs } from '../../spec/load.js';
import { problemsOf } from '../support/synth.js';


describe('bad input: one message per problem, naming the field, the value and the rule', () => {
  it.each([
    ['malformed YAML', 'platform: { etcd: [', /^spec\.yaml: malformed YAML at line \d+, column \d+: /],
    ['malformed JSON', '{"platform": ', /^spec\.json: malformed JSON: /],
    ['duplicate key', 'platform: {}\nplatform: {}', /^spec\.yaml: malformed YAML .*[Mm]ap keys must be unique/],
    ['not a mapping', '- a\n- b', /^spec\.yaml: the spec file must be a mapping with platform, cluster or targets, got \["a","b"\]$/],
  ])('%s', (_, text, expected) => {
    const problems = problemsOf(text, expected.source.includes('json') ? 'spec.json' : 'spec.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it.each([
    ['unknown top-level key with a hint', 'platfrom: {}', 'platfrom: unknown key (did you mean "platform"?)'],
    ['unknown nested key with a hint', 'platform: { etcd: { replica: 3 } }', 'platform.etcd.replica: unknown key (did you mean "replicas"?)'],
    ['unknown key, no close match', 'platform: { nats: { zzz: 1 } }', 'platform.nats.zzz: unknown key'],
    ['unknown target', 'targets: { ekss: {} }', 'targets.ekss: unknown target (did you mean "eks"?); targets are local, eks, aks, gke'],
    ['target in the file', 'target: eks', 'target: not set in the file; every target (local, eks, aks, gke) is synthesized, use targets.<name> for per-target settings'],
    ['cluster on local', 'targets: { local: { cluster: {} } }', 'targets.local.cluster: only the cloud targets (eks, aks, gke) have a cluster section'],
  ])('unknown key: %s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it.each([
    ['number expected', 'platform: { etcd: { replicas: "three" } }', 'platform.etcd.replicas: must be a number, got "three"'],
    ['boolean expected', 'platform: { operator: { enabled: "yes" } }', 'platform.operator.enabled: must be true or false, got "yes"'],
    ['mapping expected', 'platform: { nats: 3 }', 'platform.nats: must be a mapping, got 3'],
    ['list expected', 'platform: { networkPolicy: { clientNamespaces: team-a } }', 'platform.networkPolicy.clientNamespaces: must be a list, got "team-a"'],
    ['section not a mapping', 'targets: { eks: 1 }', 'targets.eks: must be a mapping, got 1'],
  ])('wrong type: %s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it.each([
    ['even etcd replicas', 'platform: { etcd: { replicas: 2 } }', 'platform.etcd.replicas: must be odd and at least 1, got 2'],
    ['two NATS servers', 'platform: { nats: { replicas: 2 } }', 'platform.nats.replicas: must be 1 (standalone) or at least 3 (a JetStream cluster needs a quorum), got 2'],
    ['enum', 'platform: { operator: { scope: everywhere } }', 'platform.operator.scope: must be one of cluster, namespace, got "everywhere"'],
    ['quantity', 'platform: { nats: { storageSize: 10GB } }', 'platform.nats.storageSize: must be a Kubernetes quantity such as 10Gi, 512Mi, 500m or 2, got "10GB"'],
    ['DNS label', 'platform: { namespace: Dynamo_System }', "platform.namespace: namespace must be a DNS label (lower-case letters, digits and '-', alphanumeric at both ends), got \"Dynamo_System\""],
    ['URL scheme', 'platform: { nats: { externalAddress: "http://nats:4222", enabled: false } }', 'platform.nats.externalAddress: must be a URL with scheme nats or tls, e.g. nats://nats.example.internal:4222, got "http://nats:4222"'],
    ['payload bound', 'platform: { nats: { maxPayload: 100000000 } }', 'platform.nats.maxPayload: must be at most 67108864 bytes (NATS refuses larger payloads), got 100000000'],
    ['minimum', 'cluster: { gpuPools: { gpu: { minNodes: -1 } } }', 'cluster.gpuPools.gpu.minNodes: must be at least 0, got -1'],
  ])('invalid value: %s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it.each([
    [
      'external etcd while the bundled etcd is enabled',
      'platform: { etcd: { enabled: true, externalAddress: "etcd.shared:2379" } }',
      'platform.etcd.externalAddress: an external etcd address cannot be combined with the bundled etcd (platform.etcd.enabled: true); set enabled: false or remove externalAddress, got "etcd.shared:2379"',
    ],
    [
      'etcd off with the etcd discovery backend',
      'platform: { etcd: { enabled: false } }',
      'platform.etcd.enabled: the etcd discovery backend needs etcd: set platform.operator.discoveryBackend: kubernetes, or platform.etcd.externalAddress, got false',
    ],
    ['no NATS at all', 'platform: { nats: { enabled: false } }', 'platform.nats.enabled: NATS is required: with the bundled NATS off, set platform.nats.externalAddress, got false'],
    [
      'custom leader-election id on a cluster-wide operator',
      'platform: { operator: { leaderElection: { id: mine } } }',
      'platform.operator.leaderElection.id: a cluster-wide operator must use upstream\'s leader-election id "dynamo.nvidia.com", or two cluster-wide operators could both be active, got "mine"',
    ],
    ['pool bounds', 'cluster: { gpuPools: { gpu: { minNodes: 3, maxNodes: 1 } } }', 'cluster.gpuPools.gpu.maxNodes: must be at least minNodes (3), got 1'],
    ['system pool at zero', 'cluster: { systemPool: { minNodes: 0 } }', 'cluster.systemPool.minNodes: the system pool runs the control plane and cannot scale to zero: must be at least 1, got 0'],
  ])('contradictory combination: %s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it('reports every problem at once, sorted, each once even when it hits several targets', () => {
    const problems = problemsOf('platform: { etcd: { replicas: 2 }, nats: { replicas: 2 }, bogus: 1 }');
    expect(problems).toEqual([
      'platform.bogus: unknown key',
      'platform.etcd.replicas: must be odd and at least 1, got 2',
      'platform.nats.replicas: must be 1 (standalone) or at least 3 (a JetStream cluster needs a quorum), got 2',
    ]);
  });

  it('a per-target problem names its section in the file', () => {
    expect(problemsOf('targets: { gke: { platform: { etcd: { replicas: 4 } } } }')).toEqual([
      'targets.gke.platform.etcd.replicas: must be odd and at least 1, got 4',
    ]);
  });

  it('the error message lists every problem', () => {
    const err = new SpecError(['a: x', 'b: y']);
    expect(err.message).toBe('invalid spec (2 problems):\n  - a: x\n  - b: y');
  });
});

describe('merging the file over the defaults', () => {
  it('defaults: one NATS and one etcd on local, three of each on the clouds; etcd discovery', () => {
    const specs = resolveSpecs();
    expect([specs.local.platform.nats.replicas, specs.local.platform.etcd.replicas]).toEqual([1, 1]);
    for (const t of ['eks', 'aks', 'gke'] as const) expect([specs[t].platform.nats.replicas, specs[t].platform.etcd.replicas]).toEqual([3, 3]);
    expect(specs.local.platform.etcd.enabled).toBe(true);
    expect(specs.eks.platform.operator.discoveryBackend).toBe('etcd');
  });

  it('shared sections apply to every target, per-target sections win', () => {
    const specs = resolveSpecs(parseSpecFile('platform: { etcd: { replicas: 5 } }\ntargets: { aks: { platform: { etcd: { replicas: 7 } } } }', 'f.yaml'));
    expect([specs.local, specs.eks, specs.aks, specs.gke].map((s) => s.platform.etcd.replicas)).toEqual([5, 5, 7, 5]);
  });

  it('an external address alone turns the bundled server off', () => {
    const specs = resolveSpecs(parseSpecFile('platform: { etcd: { externalAddress: "etcd.shared:2379" } }', 'f.yaml'));
    expect(specs.eks.platform.etcd.enabled).toBe(false);
    expect(specs.eks.platform.nats.enabled).toBe(true);
  });

  it('null removes a default entry, e.g. the spot GPU pool', () => {
    const specs = resolveSpecs(parseSpecFile('cluster: { gpuPools: { gpuspot: null } }', 'f.yaml'));
    if (specs.eks.target === 'local') throw new Error('unreachable');
    expect(Object.keys(specs.eks.cluster.gpuPools)).toEqual(['gpu']);
  });

  it('mergeDocs: mappings merge, lists replace, null deletes', () => {
    expect(mergeDocs({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] } });
  });

  it('the empty file is the defaults', () => {
    expect(resolveSpecs(parseSpecFile('', 'empty.yaml'))).toEqual(resolveSpecs());
  });
});

describe('a new GPU pool needs only the fields that matter', () => {
  const pool = (instanceType: string, accelerator: string) => `{ instanceType: ${instanceType}, accelerator: ${accelerator}, gpusPerNode: 1, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1 }`;
  const text = [
    'targets:',
    `  eks: { cluster: { gpuPools: { l4: ${pool('g6.xlarge', 'nvidia-l4')} } } }`,
    `  aks: { cluster: { gpuPools: { a10: ${pool('Standard_NV36ads_A10_v5', 'nvidia-a10')} } } }`,
    `  gke: { cluster: { gpuPools: { l4: ${pool('g2-standard-4', 'nvidia-l4')} } } }`,
  ].join('\n');

  it('labels and taints default to empty on every cloud', () => {
    expect(problemsOf(text)).toEqual([]);
    const specs = resolveSpecs(parseSpecFile(text, 'spec.yaml'));
    for (const [target, name] of [['eks', 'l4'], ['aks', 'a10'], ['gke', 'l4']] as const) {
      const spec = specs[target];
      if (spec.target === 'local') throw new Error('a cloud target');
      expect(spec.cluster.gpuPools[name], `${target}.${name}`).toMatchObject({ labels: {}, taints: [] });
    }
  });

  it('the defaults never hide a wrong value: a taint without an effect is still refused', () => {
    expect(problemsOf('targets: { eks: { cluster: { gpuPools: { l4: { instanceType: g6.xlarge, accelerator: nvidia-l4, gpusPerNode: 1, capacity: spot, fastNetwork: false, minNodes: 0, maxNodes: 1, taints: [{ key: a }] } } } } }')).toEqual([
      "targets.eks.cluster.gpuPools.l4.taints[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute, got nothing",
    ]);
  });
});

describe('cluster.kubernetesSupport', () => {
  it('extended support is an EKS setting: the other clouds refuse it, naming the field', () => {
    expect(problemsOf('targets: { eks: { cluster: { kubernetesSupport: extended } } }')).toEqual([]);
    expect(problemsOf('cluster: { kubernetesSupport: extended }')).toEqual([
      'cluster.kubernetesSupport: extended support is an EKS setting; on aks use standard, got "extended"',
      'cluster.kubernetesSupport: extended support is an EKS setting; on gke use standard, got "extended"',
    ]);
  });
});
