/**
 * One target in the simulated cluster: start the control plane, create the stack's nodes, apply what the README
 * applies, let the scheduler, kwok, the stand-in provisioner and the autoscaler model settle, then judge.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoscalerModel, isUnschedulable, podKey, whyNoPool } from './autoscaler.js';
import type { SimBinaries } from './build.js';
import { startCluster, type SimCluster } from './cluster.js';
import { podRequests } from './fit.js';
import { crdFiles, distFiles, modelStorageClassFromTf, readObjects } from './manifests.js';
import { nodeObject, POOL_ANNOTATION } from './nodes.js';
import { accessChecks } from './operator-rbac.js';
import { runOpsTools } from './ops-tools.js';
import { hasGpuOperator, poolsOf, type SimPool, type SimTarget } from './pools.js';
import { PROBE_LABEL, probesOf } from './probes.js';
import { builtInStorageClasses, volumesFor } from './storage.js';
import { REFUSED_MODULES, SIM_VERSIONS } from './versions.js';
import { setTimeout as sleep } from 'node:timers/promises';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Check {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly details: readonly string[];
}

export interface PodPlacement {
  readonly pod: string;
  readonly owner: string;
  readonly node?: string;
  readonly pool?: string;
  readonly phase: string;
  readonly ready: boolean;
}

export interface TargetReport {
  readonly target: SimTarget;
  readonly versions: typeof SIM_VERSIONS;
  readonly refused: typeof REFUSED_MODULES;
  readonly pools: readonly { name: string; instanceType: string; initial: number; final: number; max: number; autoscaler: string | null }[];
  readonly objectsApplied: number;
  readonly pods: readonly PodPlacement[];
  readonly checks: readonly Check[];
  readonly seconds: number;
  readonly ok: boolean;
}

export interface RunOptions {
  readonly root: string;
  readonly target: SimTarget;
  readonly dist: string;
  /** Terraform JSON of the target's stack (undefined on local). */
  readonly tf: Json | undefined;
  /** The apply-time Secret commands of the README's install step. */
  readonly secretCommands: readonly string[];
  /**
   * Namespaces step 1 of the README's install creates (`helm upgrade --install ... --create-namespace`): the charts
   * themselves come from repositories this machine cannot reach, but our manifests put objects in their namespaces.
   */
  readonly prerequisiteNamespaces: readonly string[];
  readonly bins: SimBinaries;
  readonly log: (line: string) => void;
  /** How long pods may take to settle. @default 240 s */
  readonly settleMs?: number;
  /** Keep the run directory (logs, etcd) for inspection. */
  readonly keep?: boolean;
}

/** A pool of spot (preemptible) capacity, by the label its cloud puts on the nodes. */
const isSpot = (p: SimPool): boolean =>
  p.labels['eks.amazonaws.com/capacityType'] === 'SPOT' || p.labels['cloud.google.com/gke-spot'] === 'true' || p.labels['kubernetes.azure.com/scalesetpriority'] === 'spot';

const items = (c: SimCluster, args: string[]): Json[] => (JSON.parse(c.kubectl(['get', ...args, '-o', 'json']).stdout) as Json)['items'] as Json[];
const isReady = (p: Json) => ((p['status']?.['conditions'] ?? []) as Json[]).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
const ownerOf = (p: Json): string => {
  const probe = p['metadata']['labels']?.[PROBE_LABEL];
  if (probe) return `probe ${probe}`;
  const o = ((p['metadata']['ownerReferences'] ?? []) as Json[])[0];
  return o ? `${o['kind']}/${o['name']}` : 'Pod';
};

export async function runTarget(o: RunOptions): Promise<TargetReport> {
  const started = Date.now();
  const { target, log } = o;
  const pools = poolsOf(target, o.tf);
  const dir = mkdtempSync(join(tmpdir(), `dynamo-iac-sim-${target}-`));
  log(`[${target}] control plane in ${dir}`);
  // GKE's API server runs ExtendedResourceToleration: a pod asking for nvidia.com/gpu tolerates that taint.
  let cluster: SimCluster;
  try {
    cluster = await startCluster({ bins: o.bins, dir, log, admissionPlugins: target === 'gke' ? ['ExtendedResourceToleration'] : [] });
  } catch (e) {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const onSignal = () => {
    cluster.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const checks: Check[] = [];
  try {
    const sizes = new Map<string, number>(pools.map((p) => [p.name, 0]));
    const addNodes = (pool: SimPool, count: number) => {
      const first = sizes.get(pool.name)!;
      const nodes = Array.from({ length: count }, (_, i) => nodeObject(pool, first + i));
      if (nodes.length) cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodes }) });
      sizes.set(pool.name, first + count);
    };
    for (const p of pools) addNodes(p, p.initial);
    log(`[${target}] ${[...sizes.values()].reduce((a, b) => a + b, 0)} nodes: ${pools.map((p) => `${p.name} ${p.initial}/${p.max} ${p.instanceType}${p.autoscaler ? '' : ' (no autoscaler)'}`).join(', ')}`);

    // 1. CRDs (upstream), the cloud's own StorageClasses, the model StorageClass from the stack's output.
    const applyErrors: string[] = [];
    const warnings: string[] = [];
    let applied = 0;
    const apply = (label: string, args: string[], input?: string) => {
      const r = cluster.kubectl(['apply', '--server-side', '--field-manager=dynamo-iac', '--force-conflicts', ...args], { allowFail: true, ...(input ? { input } : {}) });
      applied += r.stdout.split('\n').filter((l) => /serverside-applied|unchanged|configured|created/.test(l)).length;
      warnings.push(...r.stderr.split('\n').filter((l) => l.startsWith('Warning:')).map((l) => `${label}: ${l}`));
      if (!r.ok) applyErrors.push(...r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('Warning:')).map((l) => `${label}: ${l}`));
    };
    for (const f of crdFiles(o.root)) apply(f.split('/').slice(-2).join('/'), ['-f', f]);
    cluster.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    const files = distFiles(o.dist);
    const distObjects = files.flatMap(readObjects);
    const distClasses = new Set(distObjects.filter((x) => x['kind'] === 'StorageClass').map((x) => x['metadata']['name']));
    const builtIn = builtInStorageClasses(target).filter((c) => !distClasses.has(c['metadata']['name']));
    const model = modelStorageClassFromTf(o.tf);
    const namespaces = o.prerequisiteNamespaces.filter((n) => n !== 'default').map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    if (namespaces.length) apply('namespaces of the Helm prerequisites', ['-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces }));
    apply('storage classes of the cloud and the stack output', ['-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...builtIn, ...(model ? [model] : [])] }));

    // 2. The README's install step: namespaces, apply-time Secrets, then dist/<target>/ in file order.
    const early = files.filter((f) => /\/(00-namespace|40-workloads)\.k8s\.yaml$/.test(f));
    apply('namespaces', early.flatMap((f) => ['-f', f]));
    const env = { ...process.env, PATH: `${o.bins.dir}:${process.env['PATH']}`, KUBECONFIG: cluster.kubeconfig, HF_TOKEN: 'sim-token-not-secret' };
    for (const cmd of o.secretCommands) {
      const r = spawnSync('sh', ['-c', cmd], { env, encoding: 'utf8' });
      if (r.status !== 0) applyErrors.push(`secret: ${cmd.slice(0, 80)}...: ${(r.stderr ?? '').trim().split('\n')[0]}`);
    }
    const before = applied;
    for (const f of files) apply(f.split('/').pop()!, ['-f', f]);
    const distApplied = applied - before;
    const accepted = applyErrors.length === 0 && distApplied === distObjects.length;
    checks.push({
      name: 'every object accepted by the API server',
      status: accepted ? 'pass' : 'fail',
      details: [...applyErrors, `${distApplied} of the ${distObjects.length} objects of ${o.dist} applied server-side`],
    });

    // 3. Placement probes for the graphs' pods (the operator that would create them is refused by the proxy).
    const probeErrors: string[] = [];
    const dgds = distObjects.filter((x) => x['kind'] === 'DynamoGraphDeployment');
    for (const probe of dgds.flatMap(probesOf)) {
      const r = cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify(probe), allowFail: true });
      warnings.push(...r.stderr.split('\n').filter((l) => l.startsWith('Warning:')).map((l) => `probe ${probe['metadata']['name']}: ${l}`));
      if (!r.ok) probeErrors.push(`${probe['metadata']['namespace']}/${probe['metadata']['name']}: ${r.stderr.trim().split('\n').filter((l) => !l.startsWith('Warning:')).join(' ')}`);
    }

    if (probeErrors.some((e) => !/PodSecurity|forbidden/i.test(e))) checks.push({ name: 'graph placement probes created', status: 'fail', details: probeErrors });

    // 5. Settle: claims get volumes, the autoscaler model grows pools, kwok runs the pods.
    const autoscaler = new AutoscalerModel(pools);
    const deadline = Date.now() + (o.settleMs ?? 240_000);
    let pods: Json[] = [];
    let stableRounds = 0;
    const minSettle = Date.now() + 8_000;
    // Every class was applied above, and only this loop creates volumes (no provisioner runs): read once, then kept.
    const classes = items(cluster, ['storageclass']);
    const pvs = new Set(items(cluster, ['pv']).map((v) => v['metadata']['name'] as string));
    const ofJob = (p: Json) => ((p['metadata']['ownerReferences'] ?? []) as Json[]).some((r) => r['kind'] === 'Job');
    while (Date.now() < deadline) {
      const claims = items(cluster, ['pvc', '-A']);
      const volumes = volumesFor(claims, classes, pvs);
      if (volumes.length) {
        cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: volumes }) });
        for (const v of volumes) pvs.add(v['metadata']['name'] as string);
      }
      pods = items(cluster, ['pods', '-A']).filter((p) => !p['metadata']['deletionTimestamp']);
      for (const pool of autoscaler.decide(pods, sizes)) {
        log(`[${target}] autoscaler model: +1 node in ${pool.name} (${sizes.get(pool.name)! + 1}/${pool.max}) for pending pods`);
        addNodes(pool, 1);
      }
      const settled = pods.every((p) => p['status']?.['phase'] === 'Succeeded' || (!ofJob(p) && p['spec']['nodeName'] && p['status']?.['phase'] === 'Running' && isReady(p)));
      const claimsBound = claims.every((c) => c['status']?.['phase'] === 'Bound');
      stableRounds = settled && claimsBound && Date.now() > minSettle ? stableRounds + 1 : 0;
      if (stableRounds >= 3) break;
      await sleep(2000);
    }

    // 4. Pod Security admission in the namespaces we label: warnings at apply, rejected probes, and pods a controller
    // could not create (FailedCreate events).
    const labelled = distObjects.filter((x) => x['kind'] === 'Namespace' && x['metadata']['labels']?.['pod-security.kubernetes.io/enforce']).map((x) => x['metadata']['name'] as string);
    const refused = items(cluster, ['events', '-A'])
      .filter((e) => e['reason'] === 'FailedCreate' && /PodSecurity/.test(String(e['message'])))
      .map((e) => `${e['metadata']['namespace']}/${e['involvedObject']?.['name']}: ${String(e['message']).slice(0, 400)}`);
    const psa = [...warnings.filter((w) => /PodSecurity/.test(w)), ...probeErrors.filter((e) => /PodSecurity|forbidden/i.test(e)), ...new Set(refused)];
    checks.push({
      name: `Pod Security admission accepts every pod (${labelled.join(', ') || 'no namespace labelled'})`,
      status: labelled.length === 0 || psa.length ? 'fail' : 'pass',
      details: psa.length ? psa : [`${dgds.length} graph(s) probed, every workload admitted`],
    });

    // 6. Placement: every pod scheduled, on a pool meant for it, Running and Ready.
    const nodes = new Map(items(cluster, ['nodes']).map((n) => [n['metadata']['name'] as string, n]));
    const poolByName = new Map(pools.map((p) => [p.name, p]));
    const placements: PodPlacement[] = pods.map((p) => {
      const node = p['spec']['nodeName'] as string | undefined;
      const pool = node ? (nodes.get(node)?.['metadata']?.['annotations']?.[POOL_ANNOTATION] as string | undefined) : undefined;
      return { pod: podKey(p), owner: ownerOf(p), ...(node ? { node } : {}), ...(pool ? { pool } : {}), phase: p['status']?.['phase'] ?? 'Unknown', ready: isReady(p) };
    });
    const pending = pods.filter((p) => !p['spec']['nodeName']);
    checks.push({
      name: 'every pod scheduled (none Pending)',
      status: pods.length === 0 || pending.length ? 'fail' : 'pass',
      details: pods.length === 0
        ? ['no pod was created']
        : pending.length
          ? pending.map((p) => {
              const cond = ((p['status']?.['conditions'] ?? []) as Json[]).find((c) => c['type'] === 'PodScheduled');
              const why = isUnschedulable(p) ? whyNoPool(p['spec'], pools, sizes) : [];
              return `${podKey(p)} Pending: ${cond?.['message'] ?? 'not scheduled yet'}${why.length ? `; no pool can grow for it: ${why.join('; ')}` : ''}`;
            })
          : [`${pods.length} pods on ${nodes.size} nodes`],
    });
    const misplaced: string[] = [];
    for (const p of pods) {
      const node = p['spec']['nodeName'] as string | undefined;
      if (!node) continue;
      const pool = poolByName.get(nodes.get(node)?.['metadata']?.['annotations']?.[POOL_ANNOTATION]);
      if (!pool) continue;
      const daemon = ((p['metadata']['ownerReferences'] ?? []) as Json[]).some((r) => r['kind'] === 'DaemonSet');
      const gpus = podRequests(p['spec'])['nvidia.com/gpu'] ?? 0;
      const gpuPool = Number(pool.resources.capacity['nvidia.com/gpu'] ?? 0) > 0;
      if (gpus > 0 && !gpuPool) misplaced.push(`${podKey(p)} asks for ${gpus} GPU(s) but is on ${node} of pool ${pool.name}, which has none`);
      if (gpus === 0 && gpuPool && !daemon) misplaced.push(`${podKey(p)} (${ownerOf(p)}) needs no GPU but is on ${node} of GPU pool ${pool.name}`);
      if (isSpot(pool) && !daemon && !p['metadata']['labels']?.[PROBE_LABEL]) misplaced.push(`${podKey(p)} (${ownerOf(p)}) is platform work on ${node} of spot pool ${pool.name}`);
    }
    checks.push({
      name: 'each pod on a pool meant for it (GPU work on GPU pools, the rest on the system pool, only graph workers on spot)',
      status: misplaced.length ? 'fail' : 'pass',
      details: misplaced.length ? misplaced : ['placement matches'],
    });
    const notReady = pods.filter((p) => p['spec']['nodeName'] && !(p['status']?.['phase'] === 'Succeeded' || isReady(p)));
    checks.push({ name: 'every scheduled pod Running and Ready (kwok)', status: notReady.length ? 'fail' : 'pass', details: notReady.length ? notReady.map((p) => `${podKey(p)} ${p['status']?.['phase']}`) : ['all ready'] });

    // 7. NATS and etcd (and every other StatefulSet and Deployment) at their ready replicas.
    const workloads = [...items(cluster, ['statefulsets', '-A']), ...items(cluster, ['deployments', '-A'])];
    const short = workloads.filter((w) => Number(w['status']?.['readyReplicas'] ?? 0) < Number(w['spec']['replicas'] ?? 1));
    const daemonSets = items(cluster, ['daemonsets', '-A']);
    const jobs = items(cluster, ['jobs', '-A']);
    const daemonShort = daemonSets.filter((d) => Number(d['status']?.['numberReady'] ?? 0) < Number(d['status']?.['desiredNumberScheduled'] ?? 0));
    const jobShort = jobs.filter((j) => Number(j['status']?.['succeeded'] ?? 0) < Number(j['spec']['completions'] ?? 1));
    const wanted = ['nats', 'etcd'].filter((n) => !workloads.some((w) => w['kind'] === 'StatefulSet' && w['metadata']['name'].includes(n)));
    const bad = [
      ...wanted.map((n) => `no ${n} StatefulSet was applied`),
      ...short.map((w) => `${w['kind']} ${w['metadata']['namespace']}/${w['metadata']['name']}: ${w['status']?.['readyReplicas'] ?? 0}/${w['spec']['replicas']} ready`),
      ...daemonShort.map((d) => `DaemonSet ${d['metadata']['namespace']}/${d['metadata']['name']}: ${d['status']?.['numberReady'] ?? 0}/${d['status']?.['desiredNumberScheduled']} ready`),
      ...jobShort.map((j) => `Job ${j['metadata']['namespace']}/${j['metadata']['name']}: ${j['status']?.['succeeded'] ?? 0}/${j['spec']['completions'] ?? 1} completed`),
    ];
    checks.push({
      name: 'NATS, etcd, the operator and every StatefulSet, Deployment, DaemonSet and Job ready or complete',
      status: bad.length ? 'fail' : 'pass',
      details: bad.length
        ? bad
        : [...workloads.map((w) => `${w['kind']} ${w['metadata']['namespace']}/${w['metadata']['name']} ${w['status']?.['readyReplicas']}/${w['spec']['replicas']}`),
           ...daemonSets.map((d) => `DaemonSet ${d['metadata']['namespace']}/${d['metadata']['name']} ${d['status']?.['numberReady'] ?? 0}/${d['status']?.['desiredNumberScheduled'] ?? 0}`),
           ...jobs.map((j) => `Job ${j['metadata']['namespace']}/${j['metadata']['name']} complete`)],
    });

    // 8. The operator's RBAC, by the real authorizer.
    checks.push(operatorRbac(cluster, distObjects));

    // 9. The operations tools, through the real kubectl.
    // On local the GPU nodes are modelled with the GPU Operator's labels and device plugin (preflight asks for it there).
    const gpuOperator = target === 'local' || (o.tf !== undefined && hasGpuOperator(o.tf));
    checks.push(...runOpsTools(o.root, target, cluster.kubeconfig, o.bins, gpuOperator));

    // 10. What needs the refused modules.
    checks.push({
      name: 'the Dynamo operator reconciles every graph and each DGD reports Ready; generated pods carry our env, mounts and probes',
      status: 'skip',
      details: [
        `${REFUSED_MODULES[0]!.module}@${REFUSED_MODULES[0]!.version} is refused by the Go module proxy (403): the operator cannot be built here`,
        `${dgds.length} graph(s) were placed through probes of our own pod specs instead; the env, mounts and probes the operator generates are checked by test/charts/graph-runtime.test.ts against the 0.9.0 merge rules`,
      ],
    });

    const final = pools.map((p) => ({ name: p.name, instanceType: p.instanceType, initial: p.initial, final: sizes.get(p.name) ?? 0, max: p.max, autoscaler: p.autoscaler ?? null }));
    const ok = checks.every((c) => c.status !== 'fail');
    return { target, versions: SIM_VERSIONS, refused: REFUSED_MODULES, pools: final, objectsApplied: applied, pods: placements, checks, seconds: Math.round((Date.now() - started) / 1000), ok };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cluster.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The operator's ServiceAccount may do what the 0.9.0 operator does (SubjectAccessReview, one per need). */
function operatorRbac(cluster: SimCluster, objects: readonly Json[]): Check {
  const deploy = objects.find((x) => x['kind'] === 'Deployment' && ((x['spec']?.['template']?.['spec']?.['containers'] ?? []) as Json[]).some((c) => (c['command'] ?? []).includes('/manager')));
  if (!deploy) return { name: 'the operator\'s ServiceAccount has every permission the 0.9.0 operator uses', status: 'skip', details: ['no operator Deployment in this target'] };
  const spec = deploy['spec']['template']['spec'];
  const ns = deploy['metadata']['namespace'] as string;
  const sa = (spec['serviceAccountName'] as string | undefined) ?? 'default';
  const args = ((spec['containers'] as Json[]).find((c) => (c['command'] ?? []).includes('/manager'))?.['args'] ?? []) as string[];
  const flag = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
  const restricted = flag('--restrictedNamespace');
  const groups = new Set(items(cluster, ['crd']).map((c) => c['spec']['group'] as string));
  const checksWanted = accessChecks(args, restricted ? [restricted] : undefined, flag('--leader-election-namespace') ?? ns, groups);
  const user = `system:serviceaccount:${ns}:${sa}`;
  const reviews = checksWanted.map((c) => {
    const [resource, ...group] = c.resource.split('.');
    return {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
        resourceAttributes: { verb: c.verb, group: group.join('.'), resource, ...(c.subresource ? { subresource: c.subresource } : {}), ...(c.namespace ? { namespace: c.namespace } : {}) },
      },
    };
  });
  const denied: string[] = [];
  for (let i = 0; i < reviews.length; i += 100) {
    // kubectl prints one JSON document per created object.
    const text = cluster.kubectl(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: reviews.slice(i, i + 100) }) }).stdout.trim();
    const out = JSON.parse(`[${text.replace(/\}\s*\n\{/g, '},{')}]`) as Json[];
    const list = out.flatMap((x) => (x['kind'] === 'List' ? (x['items'] as Json[]) : [x]));
    for (const r of list) {
      if (r['status']?.['allowed']) continue;
      const a = r['spec']['resourceAttributes'];
      denied.push(`${a['verb']} ${a['resource']}${a['subresource'] ? `/${a['subresource']}` : ''}${a['group'] ? `.${a['group']}` : ''} ${a['namespace'] ? `in ${a['namespace']}` : 'in every namespace'}`);
    }
  }
  return {
    name: `the operator's ServiceAccount ${ns}/${sa} has every permission the 0.9.0 operator uses`,
    status: denied.length ? 'fail' : 'pass',
    details: denied.length ? [`${user} is denied:`, ...denied] : [`${reviews.length} access reviews allowed`],
  };
}

/** The Terraform JSON of a cloud target, if synthesized. */
export function readStack(tfOut: string, target: SimTarget): Json | undefined {
  if (target === 'local') return undefined;
  const f = join(tfOut, 'stacks', target, 'cdk.tf.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Json) : undefined;
}
