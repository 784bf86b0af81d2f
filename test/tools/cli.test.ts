/**
 * The operations tools against recorded `kubectl get ... -o json` answers through an injected kubectl runner:
 * preflight's table, JSON and exit code per cluster state; the GPU inventory and its aggregation, MIG, unlabelled
 * nodes enriched by nvidia-smi in a pod that is deleted afterwards; graph checks; benchmark resources; and the
 * one-line hints when kubectl or the context is missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { COMMANDS, runCli, USAGE } from '../../tools/cli.js';
import { type KubectlResult, type KubectlRunner, systemKubectl } from '../../tools/kubectl.js';
import { hasBinary, ROOT } from '../support/env.js';

const fixture = (name: string): string => readFileSync(join(ROOT, 'test', 'tools', 'fixtures', `${name}.json`), 'utf8');

interface Cluster {
  nodes?: string;
  storageclasses?: string;
  gpuOperatorPods?: string;
  autoscalerPods?: string;
  crds?: string;
  /** undefined: the Queue API does not exist. */
  queues?: string;
  /** Extra answers by joined args. */
  extra?: Record<string, KubectlResult>;
}

/** A fake kubectl answering from fixtures; records every call. */
function cluster(c: Cluster): { runner: KubectlRunner; calls: string[][]; inputs: string[] } {
  const calls: string[][] = [];
  const inputs: string[] = [];
  const ok = (stdout: string): KubectlResult => ({ ok: true, stdout, stderr: '' });
  const runner: KubectlRunner = (args, input) => {
    calls.push([...args]);
    if (input) inputs.push(input);
    const key = args.join(' ');
    if (c.extra?.[key]) return c.extra[key]!;
    if (key === 'get nodes -o json') return ok(fixture(c.nodes ?? 'nodes-healthy'));
    if (key === 'get storageclasses -o json') return ok(fixture(c.storageclasses ?? 'storageclasses-one-default'));
    if (key === 'get pods -n gpu-operator -o json') return ok(fixture(c.gpuOperatorPods ?? 'pods-gpu-operator-ready'));
    if (key === 'get crds -o json') return ok(fixture(c.crds ?? 'crds-pinned'));
    if (key === 'get pods -n kube-system -l app.kubernetes.io/instance=cluster-autoscaler -o json') return ok(fixture(c.autoscalerPods ?? 'pods-cluster-autoscaler-ready'));
    if (key === 'get queues.scheduling.run.ai -o json') {
      return c.queues === undefined ? { ok: false, stdout: '', stderr: 'error: the server doesn\'t have a resource type "queues"' } : ok(fixture(c.queues));
    }
    return ok('');
  };
  return { runner, calls, inputs };
}

function run(argv: string[], c: Cluster, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const k = cluster(c);
  const code = runCli(argv, { runner: k.runner, env, out: (t) => out.push(t), err: (t) => err.push(t), sleep: () => {} });
  return { code, out: out.join('\n'), err: err.join('\n'), calls: k.calls, inputs: k.inputs };
}
const json = <T>(s: string): T => JSON.parse(s) as T;
type Checks = { target: string; checks: { name: string; status: string; detail: string; hint?: string }[] };
const statusOf = (r: ReturnType<typeof run>) => Object.fromEntries(json<Checks>(r.out).checks.map((c) => [c.name, c.status]));

describe('preflight', () => {
  it('a healthy EKS cluster passes every check (table, and exit code 0)', () => {
    const r = run(['preflight', '--target', 'eks'], { queues: 'queues-default' });
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    for (const name of ['cluster reachable', 'default StorageClass', 'GPU nodes labelled', 'node autoscaler running', 'GPU Operator running', 'storage classes of the manifests', 'Dynamo CRDs', 'KAI queues']) {
      expect(r.out).toMatch(new RegExp(`^${name}\\s+PASS\\s`, 'm'));
    }
    expect(r.out).toContain('efs-model-cache');
    expect(r.err).toContain('… listing storage classes');
  });

  it('--json: the same checks as data, and no progress lines', () => {
    const r = run(['preflight', '--target', 'eks', '--json'], { queues: 'queues-default' });
    expect(json<Checks>(r.out).target).toBe('eks');
    expect(Object.values(statusOf(r))).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    expect(r.err).toBe('');
  });

  it.each<[string, Cluster, string, string, string]>([
    ['two default StorageClasses', { storageclasses: 'storageclasses-two-defaults', queues: 'queues-default' }, 'default StorageClass', 'WARN', 'keep exactly one default'],
    ['no GPU nodes on a cloud (scale from zero)', { nodes: 'nodes-no-gpu', queues: 'queues-default' }, 'GPU nodes labelled', 'WARN', 'scale from zero'],
    ['no node autoscaler on EKS (GPU pools would stay at zero)', { autoscalerPods: 'pods-none', queues: 'queues-default' }, 'node autoscaler running', 'FAIL', 'GPU pools stay at zero'],
    ['GPU Operator partly running', { gpuOperatorPods: 'pods-gpu-operator-partial', queues: 'queues-default' }, 'GPU Operator running', 'FAIL', 'describe pod'],
    ['Dynamo CRDs of another version', { crds: 'crds-old', queues: 'queues-default' }, 'Dynamo CRDs', 'FAIL', 'dynamo-crds-0.9.0'],
    ['no Dynamo CRDs', { crds: 'crds-none', queues: 'queues-default' }, 'Dynamo CRDs', 'FAIL', 'install the dynamo-crds chart'],
    ['KAI not installed', {}, 'KAI queues', 'FAIL', 'install KAI'],
  ])('%s', (_, c, check, status, hint) => {
    const r = run(['preflight', '--target', 'eks', '--json'], c);
    const found = json<Checks>(r.out).checks.find((x) => x.name === check)!;
    expect(found.status).toBe(status);
    expect(found.hint).toContain(hint);
    expect(r.code).toBe(status === 'FAIL' ? 1 : 0);
  });

  it('local: no GPU nodes is a failure; a missing storage class the manifests need is named', () => {
    const r = run(['preflight', '--target', 'local', '--json'], { nodes: 'nodes-no-gpu' });
    expect(statusOf(r)['GPU nodes labelled']).toBe('FAIL');
    expect(r.code).toBe(1);
    const withClass = run(['preflight', '--target', 'local', '--json'], {}, { DYNAMO_IAC_CONFIG: join(ROOT, 'test', 'tools', 'fixtures', 'nfs-spec.yaml') });
    const storage = json<Checks>(withClass.out).checks.find((c) => c.name === 'storage classes of the manifests')!;
    expect(storage).toMatchObject({ status: 'FAIL', detail: 'missing: nfs-rwx' });
  });

  it('no default StorageClass fails only where a claim of ours names no class (EKS 1.30+ marks none)', () => {
    const eks = run(['preflight', '--target', 'eks', '--json'], { storageclasses: 'storageclasses-none-default', queues: 'queues-default' });
    expect(json<Checks>(eks.out).checks.find((c) => c.name === 'default StorageClass')).toMatchObject({ status: 'PASS', detail: expect.stringContaining('every claim') });
    const local = run(['preflight', '--target', 'local', '--json'], { storageclasses: 'storageclasses-none-default' });
    const found = json<Checks>(local.out).checks.find((c) => c.name === 'default StorageClass')!;
    expect(found.status).toBe('FAIL');
    expect(found.hint).toContain('is-default-class');
    expect(local.code).toBe(1);
  });

  it('GKE needs no GPU Operator', () => {
    const r = run(['preflight', '--target', 'gke', '--json'], { queues: 'queues-default', storageclasses: 'storageclasses-one-default' });
    expect(statusOf(r)['GPU Operator running']).toBe('PASS');
    expect(r.calls.some((c) => c.includes('gpu-operator'))).toBe(false);
  });

  it('an unreachable cluster is one failed check with a hint, not a stack trace', () => {
    const r = run(['preflight', '--target', 'eks'], { extra: { 'get nodes -o json': { ok: false, stdout: '', stderr: 'error: current-context is not set' } } });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/cluster reachable\s+FAIL\s+no current kubectl context: run `kubectl config use-context <name>`/);
    expect(r.calls).toHaveLength(1);
  });
});

describe('gpu-inventory', () => {
  type Inv = { nodes: { node: string; gpus: number; product?: string; memoryMiB?: number; migCapable: boolean; migDevices: Record<string, number>; source: string }[]; summary?: { node: string; gpusPerNode: number; memoryMiBPerGpu?: number; totalGpus: number } };

  it('labels of GPU feature discovery: count, product, memory; CPU nodes left out; table and JSON', () => {
    const r = run(['gpu-inventory'], { nodes: 'nodes-healthy' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ip-10-0-3-20\s+4\s+NVIDIA-L40S\s+45 GiB\s+-\s+labels$/m);
    expect(r.out).toContain('summary: 4 GPUs; largest node ip-10-0-3-20: 4 x NVIDIA-L40S (45 GiB each)');
    const inv = json<Inv>(run(['gpu-inventory', '--json'], { nodes: 'nodes-healthy' }).out);
    expect(inv.nodes).toEqual([{ node: 'ip-10-0-3-20', gpus: 4, product: 'NVIDIA-L40S', memoryMiB: 46068, migCapable: false, migDevices: {}, source: 'labels' }]);
  });

  it('mixed models: the representative node has the most GPUs, then the most memory per GPU', () => {
    const inv = json<Inv>(run(['gpu-inventory', '--json'], { nodes: 'nodes-mixed' }).out);
    expect(inv.summary).toMatchObject({ node: 'h100-1', gpusPerNode: 8, memoryMiBPerGpu: 81559, totalGpus: 20 });
  });

  it('MIG nodes: capability and the MIG devices they offer', () => {
    const r = run(['gpu-inventory'], { nodes: 'nodes-mig' });
    expect(r.out).toMatch(/^mig-1\s+1\s+NVIDIA-A100-SXM4-80GB-MIG-1g\.10gb\s+10 GiB\s+7x1g\.10gb\s+labels$/m);
  });

  it('nodes without labels: allocatable GPUs; with --enrich, nvidia-smi in a pod on that node, deleted afterwards', () => {
    const plain = json<Inv>(run(['gpu-inventory', '--json'], { nodes: 'nodes-unlabelled' }).out);
    expect(plain.nodes).toEqual([{ node: 'gpu-raw-1', gpus: 2, migCapable: false, migDevices: {}, source: 'allocatable' }]);
    const r = run(['gpu-inventory', '--json', '--enrich'], {
      nodes: 'nodes-unlabelled',
      extra: {
        'get pod gpu-inventory-gpu-raw-1 -n default -o jsonpath={.status.phase}': { ok: true, stdout: 'Succeeded', stderr: '' },
        'logs gpu-inventory-gpu-raw-1 -n default': { ok: true, stdout: 'NVIDIA A10G, 23028\nNVIDIA A10G, 23028\n', stderr: '' },
      },
    });
    expect(json<Inv>(r.out).nodes[0]).toMatchObject({ product: 'NVIDIA-A10G', memoryMiB: 23028, source: 'nvidia-smi' });
    const pod = parseAllDocuments(r.inputs[0]!)[0]!.toJS() as { spec: { nodeName: string; containers: { command: string[]; securityContext: object }[] } };
    expect(pod.spec.nodeName).toBe('gpu-raw-1');
    expect(pod.spec.containers[0]!.command[0]).toBe('nvidia-smi');
    // A literal PATH or LD_LIBRARY_PATH would replace the image's (which carry GKE's /usr/local/nvidia already).
    expect(JSON.stringify(pod.spec.containers[0])).not.toMatch(/"name":"(PATH|LD_LIBRARY_PATH)"/);
    expect(pod.spec.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(r.calls.map((c) => c[0])).toEqual(['get', 'apply', 'get', 'logs', 'delete']);
    expect(pod.spec).not.toHaveProperty('imagePullSecrets');

    // With a mirror registry and a pull Secret in the spec, the nvidia-smi pod uses both.
    const mirrored = run(['gpu-inventory', '--json', '--enrich'], { nodes: 'nodes-unlabelled' }, { DYNAMO_IAC_CONFIG: join(ROOT, 'test', 'tools', 'fixtures', 'mirror-spec.yaml') });
    const mpod = parseAllDocuments(mirrored.inputs[0]!)[0]!.toJS() as { metadata: { namespace: string }; spec: { imagePullSecrets: { name: string }[]; containers: { image: string }[] } };
    expect(mpod.metadata.namespace).toBe('dynamo-workloads');
    expect(mpod.spec.containers[0]!.image).toBe('mirror.example.com/dynamo/nvidia/cuda:12.8.1-base-ubuntu24.04');
    expect(mpod.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  it('--check-graphs: a graph that needs more GPUs per node than the cluster has fails (exit 1)', () => {
    const spec = join(ROOT, 'test', 'tools', 'fixtures', 'big-graph-spec.yaml');
    const r = run(['gpu-inventory', '--check-graphs', '--target', 'local'], { nodes: 'nodes-healthy' }, { DYNAMO_IAC_CONFIG: spec });
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL graphs.big.aggregated: needs 8 GPUs per node; the largest GPU node of the cluster has 4');
    expect(run(['gpu-inventory', '--check-graphs'], { nodes: 'nodes-mixed' }, { DYNAMO_IAC_CONFIG: spec }).code).toBe(0);
  });
});

describe('benchmark-resources and errors', () => {
  it('a 50Gi claim on the target\'s model class and the access pod, as YAML; the token only as a command', () => {
    const token = 'hf_doNotLeakThisValue42';
    const r = run(['benchmark-resources', '--target', 'eks'], {}, { HF_TOKEN: token });
    expect(`${r.out}\n${r.err}`).not.toContain(token);
    const objs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
    expect(objs.map((o) => o.kind)).toEqual(['PersistentVolumeClaim', 'Pod']);
    expect(objs[0]!.spec).toMatchObject({ storageClassName: 'efs-model-cache', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } });
    expect(r.out).not.toMatch(/HF_TOKEN|Secret/);
    expect(r.err).toContain('create secret generic hf-token-secret --from-literal=HF_TOKEN="$HF_TOKEN"');
  });

  it('a missing kubectl is a one-line hint and exit code 2, not a stack trace', () => {
    const err: string[] = [];
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      const code = runCli(['gpu-inventory'], { runner: systemKubectl, env: {}, out: () => {}, err: (t) => err.push(t) });
      expect(code).toBe(2);
    } finally {
      process.env['PATH'] = path;
    }
    expect(err.filter((l) => !l.startsWith('…'))).toEqual(['dynamo-iac gpu-inventory: kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster']);
  });

  it('usage errors and unknown commands exit 2 with the usage on stderr', () => {
    const unknown = run(['nope'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^unknown command "nope"\nusage: dynamo-iac <command>/);
    expect(unknown.out).toBe('');
    expect(run(['preflight', '--target', 'azure'], {}).err).toBe('--target: must be one of local, eks, aks, gke, got "azure"');
  });

  it.each([[[]], [['--help']], [['-h']], [['help']], [['verify', '--help']]])('%j prints every command with a one-line description on stdout and exits 0, touching no cluster', (argv) => {
    const r = run(argv, {});
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.calls).toEqual([]);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('usage: dynamo-iac <command> [options]');
    for (const [name, c] of Object.entries(COMMANDS)) {
      const line = lines.find((l) => l.trimStart().startsWith(`${name} `));
      expect(line, name).toBeDefined();
      expect(c.summary.length, name).toBeGreaterThan(10);
      expect(line).toContain(c.summary);
    }
    expect(lines.filter((l) => /^ {2}\S/.test(l))).toHaveLength(Object.keys(COMMANDS).length);
  });

  it.each(Object.keys(COMMANDS))('%s, as the help lists it, is a command the dispatcher knows', (name) => {
    // Options are checked before the command runs: a known command answers with the --target rule, not "unknown".
    const r = run([name, '--target', 'azure'], {});
    expect(r.err).toBe('--target: must be one of local, eks, aks, gke, got "azure"');
  });

  it('the installed binary prints the help and exits 0', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'build', 'bin', 'dynamo-iac.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${USAGE}\n`);
  });
});

describe('day-2 commands through the command line', () => {
  const diffFixture = (name: string) => join(ROOT, 'test', 'tools', 'fixtures', 'diff', `${name}.yaml`);

  it('diff OLD NEW: exit 2 with the reason on a breaking change, 0 on a safe one, and usage errors are exit 1', () => {
    const breaking = run(['diff', diffFixture('base'), diffFixture('backend')], {});
    expect(breaking.code).toBe(2);
    expect(breaking.out).toMatch(/BREAKING .*backendFramework/);
    expect(run(['diff', diffFixture('base'), diffFixture('safe')], {}).code).toBe(0);
    expect(run(['diff', diffFixture('base')], {}).code).toBe(1);
    // A typo is an input error (1), never mistaken for a breaking change (2).
    expect(run(['diff', diffFixture('base'), diffFixture('safe'), '--jsn'], {}).code).toBe(1);
    expect(run(['diff', diffFixture('base'), diffFixture('safe'), '--target', 'eksx'], {}).code).toBe(1);
    expect(json<{ breaking: unknown[] }>(run(['diff', diffFixture('base'), diffFixture('backend'), '--json'], {}).out).breaking.length).toBeGreaterThan(0);
  });

  it('verify: an unreachable cluster is one FAIL row and exit 1', () => {
    const r = run(['verify', '--target', 'eks', '--json'], { extra: { 'get pods -n dynamo-system -o json': { ok: false, stdout: '', stderr: 'error: current-context is not set' } } });
    expect(r.code).toBe(1);
    expect(json<Checks>(r.out).checks).toEqual([expect.objectContaining({ name: 'cluster reachable', status: 'FAIL' })]);
  });

  it('teardown-plan prints the reverse order (graphs, platform, CRDs, GPU Operator, cloud) and runs nothing', () => {
    const r = run(['teardown-plan', '--target', 'eks'], {});
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    const at = (s: string) => r.out.indexOf(s);
    const order = ['50-graph-vllm-agg.k8s.yaml', '40-workloads.k8s.yaml', '10-etcd.k8s.yaml', '00-namespace.k8s.yaml', 'kubectl delete --ignore-not-found crd dynamographdeployments.nvidia.com', 'helm uninstall aws-load-balancer-controller', 'helm uninstall gpu-operator', 'npx cdktf destroy eks'];
    for (const s of order) expect(at(s), s).toBeGreaterThan(-1);
    for (let i = 1; i < order.length; i++) expect(at(order[i]!), order[i]).toBeGreaterThan(at(order[i - 1]!));
    expect(r.out).toContain('prevent_destroy, and `destroy` refuses the whole plan (nothing is deleted)');
    // The flags live in the state: they must be applied before a destroy can pass.
    expect(r.out).toMatch(/cluster\.protectStatefulResources: false, `npx cdktf deploy` once/);
    expect(run(['teardown-plan', '--target', 'gke'], {}).out).toContain('the cluster (deletion_protection)');
    expect(run(['teardown-plan', '--target', 'local'], {}).out).not.toContain('destroy');
  });

  it('images: the copy list from the version matrix, to the given registry, the stack\'s offered when none is set', () => {
    const r = run(['images', '--target', 'eks', '--registry', 'r.example/m'], {});
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.out.split('\n')).toContain('nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.9.0 r.example/m/nvidia/ai-dynamo/vllm-runtime:0.9.0');
    expect(r.out.split('\n')).toContain('nats:2.10.21-alpine r.example/m/library/nats:2.10.21-alpine');
    const offered = run(['images', '--target', 'aks'], {});
    expect(offered.err).toContain('output -raw image_registry');
    const fromSpec = run(['images', '--json'], {}, { DYNAMO_IAC_CONFIG: join(ROOT, 'test', 'tools', 'fixtures', 'mirror-spec.yaml') });
    expect(json<{ registry: string; images: { destination: string }[] }>(fromSpec.out).images.every((i) => i.destination.startsWith('mirror.example.com/dynamo/'))).toBe(true);
  });
});

describe('upgrade-plan', () => {
  it('backs up resources, CRDs and etcd before upgrading CRDs, prerequisites, the platform (waiting per part), graphs, then verifies', () => {
    const r = run(['upgrade-plan', '--target', 'eks'], {});
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    const order = [
      'npx dynamo-iac diff',
      'kubectl get dynamographdeployments.nvidia.com',
      'kubectl get crd dynamographdeployments.nvidia.com',
      'kubectl apply -f dist/eks/09-etcd-backup.k8s.yaml',
      'wait --for=condition=complete job/dynamo-platform-etcd-snapshot-pre-0-9-0',
      'helm upgrade --install dynamo-crds',
      'helm upgrade --install gpu-operator',
      'kubectl apply -f dist/eks/10-etcd.k8s.yaml',
      'rollout status statefulset/dynamo-platform-etcd',
      'kubectl apply -f dist/eks/20-nats.k8s.yaml',
      'rollout status statefulset/dynamo-platform-nats',
      'kubectl apply -f dist/eks/50-graph-vllm-agg.k8s.yaml',
      'npx dynamo-iac verify --target eks',
    ];
    const at = (s: string) => r.out.indexOf(s);
    for (const s of order) expect(at(s), s).toBeGreaterThan(-1);
    for (let i = 1; i < order.length; i++) expect(at(order[i]!), order[i]).toBeGreaterThan(at(order[i - 1]!));
    // The snapshot file is applied once, before the platform, not again with it.
    expect(r.out.split('09-etcd-backup').length - 1).toBe(1);
    // Without the bundled etcd there is no snapshot step.
    const external = run(['upgrade-plan'], {}, { DYNAMO_IAC_CONFIG: join(ROOT, 'test', 'tools', 'fixtures', 'external-etcd-spec.yaml') });
    expect(external.out).not.toContain('snapshot');
  });
});

describe.skipIf(!hasBinary('jq', 'jq'))('the backup filter of the upgrade runbook, run by the real jq', () => {
  it('strips what the API server refuses on create and keeps the spec, so `kubectl apply` restores the file', () => {
    const plan = run(['upgrade-plan', '--target', 'eks'], {}).out;
    const line = plan.split('\n').find((l) => l.startsWith('kubectl get dynamographdeployments.nvidia.com,dynamographdeploymentrequests.nvidia.com'))!;
    const filter = /\| jq '([^']+)'/.exec(line)![1]!;
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'nvidia.com/v1alpha1',
          kind: 'DynamoGraphDeployment',
          metadata: { name: 'g', namespace: 'w', resourceVersion: '42', uid: 'u-1', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{}], labels: { a: 'b' } },
          spec: { backendFramework: 'vllm', services: {} },
          status: { state: 'successful' },
        },
      ],
    };
    const r = spawnSync('jq', [filter], { input: JSON.stringify(list), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toEqual({ apiVersion: 'nvidia.com/v1alpha1', kind: 'DynamoGraphDeployment', metadata: { name: 'g', namespace: 'w', labels: { a: 'b' } }, spec: { backendFramework: 'vllm', services: {} } });
  });
});
