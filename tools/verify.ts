/**
 * `dynamo-iac verify`: is a target's deployment healthy on the current kubectl context? The seeds' quick
 * verification checklist, one row each:
 *   1. the platform pods Running and Ready, as many as the spec asks for: the Dynamo operator, NATS, etcd;
 *   2. every enabled graph of the spec: its frontend, workers (and planner) Running and Ready, counted per service
 *      by the labels the Dynamo operator puts on the pods it creates, with the DynamoGraphDeployment's state;
 *   3. when observability is on, the Prometheus targets of our monitors up (asked through the API server's service
 *      proxy; a Prometheus that cannot be reached is a WARN, not a FAIL);
 *   4. every claim our manifests create (NATS and etcd data, the model cache, the claims the graphs declare): Bound,
 *      and mounted by a Running pod. A Bound claim that no Running pod mounts is a WARN: nothing is broken, but
 *      nothing uses it either (the graphs are down, or none mounts the cache);
 *   5. the Hugging Face token Secret exists. Looked up by name only (`-o name`): its data is never read.
 * PASS, WARN or FAIL each, with a hint; `failed()` from preflight decides the exit code.
 */
import { PLATFORM_CHARTS } from '../charts/platform.js';
import { WORKLOAD_CHARTS } from '../charts/graphs.js';
import { type GraphSpec, workerGroups } from '../spec/graphs.js';
import { FRONTEND_SERVICE_NAME, PLANNER_SERVICE_NAME, workerServiceName } from '../spec/naming.js';
import type { Spec } from '../spec/schema.js';
import { hfTokenCommand } from './benchmark.js';
import { explainFailure, type Kube, ToolError } from './kubectl.js';
import type { Check } from './preflight.js';

/**
 * Labels the Dynamo operator 0.9.0 puts on every pod of a graph. Keys from ai-dynamo/dynamo at tag v0.9.0,
 * `deploy/operator/internal/consts/consts.go` (KubeLabelDynamoGraphDeploymentName, KubeLabelDynamoComponent,
 * KubeLabelDynamoComponentType); set on the pods by `generateLabels` in `deploy/operator/internal/dynamo/graph.go`
 * (Grove) and by `generatePodTemplateSpec` in `deploy/operator/internal/controller/dynamocomponentdeployment_controller.go`.
 */
export const DYNAMO_POD_LABELS = {
  /** The DynamoGraphDeployment's name. */
  graph: 'nvidia.com/dynamo-graph-deployment-name',
  /** The service of the graph, as spelled in `spec.services` (e.g. `VllmDecodeWorker`). */
  component: 'nvidia.com/dynamo-component',
  /** `frontend`, `worker` or `planner`. */
  componentType: 'nvidia.com/dynamo-component-type',
} as const;

/** The pods of one service of a graph (its `nvidia.com/dynamo-component` label; the operator's case may differ from the spec's). */
export const podsOfService = <P extends { readonly metadata: { readonly labels?: Readonly<Record<string, string>> } }>(pods: readonly P[], service: string): P[] =>
  pods.filter((p) => (p.metadata.labels?.[DYNAMO_POD_LABELS.component] ?? '').toLowerCase() === service.toLowerCase());

/** The Prometheus of kube-prometheus-stack (release `kube-prometheus-stack`, see charts/prerequisites.ts). */
export const PROMETHEUS_SERVICE = { name: 'kube-prometheus-stack-prometheus', port: 9090 } as const;

interface ContainerState {
  waiting?: { reason?: string };
  terminated?: { reason?: string; exitCode?: number };
}
interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}
interface PodJson {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { volumes?: { persistentVolumeClaim?: { claimName: string } }[] };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}
interface PvcJson {
  metadata: { name: string };
  spec?: { storageClassName?: string };
  status?: { phase?: string };
}
interface DgdJson {
  metadata: { name: string };
  spec?: { pvcs?: { name: string }[] };
  status?: { state?: string; conditions?: { type: string; status: string; message?: string }[] };
}
interface PromTarget {
  labels?: Record<string, string>;
  scrapePool?: string;
  scrapeUrl?: string;
  health?: string;
  lastError?: string;
}

/** kubectl's answer for a named object that does not exist (`Error from server (NotFound): ...`): missing, not a tool error. */
export const isNotFound = (stderr: string): boolean => /\(NotFound\)/.test(stderr);

export const podReady = (p: PodJson): boolean => {
  const cs = p.status?.containerStatuses ?? [];
  return p.status?.phase === 'Running' && cs.length > 0 && cs.every((c) => c.ready);
};

const restarts = (p: PodJson): number => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0);
const stateReason = (c: ContainerStatus): string | undefined => c.state?.waiting?.reason ?? c.state?.terminated?.reason;

/** Why a pod is not ready, as `kubectl get pods` shows it (`CrashLoopBackOff`, `Init:Error`, `Unschedulable`, ...), with restarts. */
export function podProblem(p: PodJson): string {
  const s = p.status ?? {};
  const init = (s.initContainerStatuses ?? []).find((c) => !c.ready && stateReason(c) && stateReason(c) !== 'Completed');
  const main = (s.containerStatuses ?? []).find((c) => stateReason(c));
  const unscheduled = (s.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const broken = init ?? main;
  const reason = init
    ? `Init:${stateReason(init)}`
    : main
      ? stateReason(main)!
      : unscheduled
        ? (unscheduled.reason ?? 'Unschedulable')
        : s.phase === 'Running'
          ? 'Running, not ready'
          : (s.phase ?? 'Unknown');
  const last = broken?.lastState?.terminated?.reason;
  const n = restarts(p);
  return [reason, ...(last ? [`last exit ${last}`] : []), ...(n ? [`${n} restart${n === 1 ? '' : 's'}`] : [])].join(', ');
}

/** What to run for a pod that is not ready: the previous logs of a container that crashed, else `describe pod`. */
export function podHint(ns: string, p: PodJson): string {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const crashed = all.find((c) => !c.ready && ((c.restartCount ?? 0) > 0 || c.lastState?.terminated));
  return crashed ? `kubectl -n ${ns} logs ${p.metadata.name} -c ${crashed.name} --previous` : `kubectl -n ${ns} describe pod ${p.metadata.name}`;
}

const listPods = (pods: readonly PodJson[]): string =>
  `${pods.slice(0, 3).map((p) => `${p.metadata.name} (${podProblem(p)})`).join('; ')}${pods.length > 3 ? `; and ${pods.length - 3} more` : ''}`;

/** Pods of one platform component against the replicas the spec asks for. */
function replicasRow(name: string, ns: string, pods: readonly PodJson[], expected: number, missingHint: string): Check {
  if (pods.length === 0) return { name, status: 'FAIL', detail: `no pods (expected ${expected})`, hint: missingHint };
  const bad = pods.filter((p) => !podReady(p));
  const ready = pods.length - bad.length;
  if (bad.length) return { name, status: 'FAIL', detail: `${ready} of ${expected} ready: ${listPods(bad)}`, hint: podHint(ns, bad[0]!) };
  if (ready < expected) return { name, status: 'FAIL', detail: `${ready} of ${expected} ready (${expected - ready} missing)`, hint: missingHint };
  return { name, status: 'PASS', detail: `${ready} of ${expected} ready` };
}

/** The services of a graph and the pods each should have; undefined where the SLA Planner sets the count. */
function expectedServices(g: GraphSpec): [string, number | undefined][] {
  const planner = g.planner?.enabled === true;
  return [
    [FRONTEND_SERVICE_NAME, g.frontend.replicas],
    ...workerGroups(g).map(({ role, group }): [string, number | undefined] => [workerServiceName(g.backend, role, group.nodeCount !== undefined), planner ? undefined : group.replicas * (group.nodeCount ?? 1)]),
    ...(planner ? [[PLANNER_SERVICE_NAME, 1] as [string, number]] : []),
  ];
}

function graphRow(spec: Spec, name: string, g: GraphSpec, pods: readonly PodJson[], dgds: readonly DgdJson[] | undefined): Check {
  const ns = spec.workloads.namespace;
  const row = `graph ${name}`;
  const apply = `kubectl apply -f dist/${spec.target}/${WORKLOAD_CHARTS.graph(name)}.k8s.yaml`;
  const describe = `kubectl -n ${ns} describe dynamographdeployment ${name}`;
  if (dgds === undefined) return { name: row, status: 'FAIL', detail: 'the DynamoGraphDeployment CRD is not installed', hint: `install the dynamo-crds chart (install step 1 of the README), then ${apply}` };
  const dgd = dgds.find((d) => d.metadata.name === name);
  if (!dgd) return { name: row, status: 'FAIL', detail: `no DynamoGraphDeployment ${name} in ${ns}`, hint: apply };
  const state = dgd.status?.state ?? 'unknown';
  const failedCondition = (dgd.status?.conditions ?? []).find((c) => c.status === 'False' && c.message);
  const stateText = `state ${state}${state === 'failed' && failedCondition ? ` (${failedCondition.message})` : ''}`;
  const mine = pods.filter((p) => p.metadata.labels?.[DYNAMO_POD_LABELS.graph] === name);
  if (mine.length === 0) {
    return { name: row, status: 'FAIL', detail: `no pods; ${stateText}`, hint: `${describe}; and the operator's logs: kubectl -n ${spec.platform.namespace} logs deployment/${spec.platform.releaseName}-dynamo-operator-controller-manager` };
  }
  const services = expectedServices(g).map(([s, want]) => {
    const all = podsOfService(mine, s);
    const ready = all.filter(podReady).length;
    return { s, want, ready, short: ready < (want ?? 1), text: `${s} ${ready}/${want ?? all.length}` };
  });
  const summary = services.map((x) => x.text).join(', ');
  const bad = mine.filter((p) => !podReady(p));
  if (bad.length) return { name: row, status: 'FAIL', detail: `${listPods(bad)}; ${summary} ready; ${stateText}`, hint: podHint(ns, bad[0]!) };
  if (services.some((x) => x.short) || state === 'failed') return { name: row, status: 'FAIL', detail: `${summary} ready; ${stateText}`, hint: describe };
  return { name: row, status: 'PASS', detail: `${summary} ready; ${stateText}` };
}

/** A Prometheus target of our monitors: in our namespaces, or scraped by one of our monitors or jobs (`dynamo-*`, DCGM). */
const ourTarget = (t: PromTarget, namespaces: readonly string[]): boolean =>
  namespaces.includes(t.labels?.['namespace'] ?? '') || /(^|\/)(dynamo-[a-z0-9-]+|dcgm-exporter)(\/|$)/.test(t.scrapePool ?? '');

function prometheusRow(k: Kube, spec: Spec): Check | undefined {
  const o = spec.observability;
  if (!o.enabled) return undefined;
  const name = 'Prometheus targets';
  const svc = `${PROMETHEUS_SERVICE.name}:${PROMETHEUS_SERVICE.port}`;
  const r = k.run(['get', '--raw', `/api/v1/namespaces/${o.namespace}/services/${svc}/proxy/api/v1/targets?state=active`], 'querying Prometheus targets');
  const unreachableHint = o.installStack
    ? `is kube-prometheus-stack running? kubectl -n ${o.namespace} get pods,svc -l app.kubernetes.io/name=prometheus`
    : `this target installs no Prometheus (observability.installStack: false): verify looks for service ${svc} in ${o.namespace}; check your Prometheus's targets page instead`;
  if (!r.ok) return { name, status: 'WARN', detail: `Prometheus not reachable at ${o.namespace}/${svc} (${explainFailure(r.stderr)})`, hint: unreachableHint };
  let targets: PromTarget[];
  try {
    const body = JSON.parse(r.stdout) as { status?: string; data?: { activeTargets?: PromTarget[] } };
    if (body.status !== 'success' || !Array.isArray(body.data?.activeTargets)) throw new Error('not a targets answer');
    targets = body.data.activeTargets;
  } catch {
    return { name, status: 'WARN', detail: `unexpected answer from ${o.namespace}/${svc} (not the Prometheus targets API)`, hint: unreachableHint };
  }
  const ours = targets.filter((t) => ourTarget(t, [spec.platform.namespace, spec.workloads.namespace]));
  if (ours.length === 0) {
    return {
      name,
      status: 'WARN',
      detail: `none of the ${targets.length} active targets is ours`,
      hint: `kubectl apply -f dist/${spec.target}/70-observability.k8s.yaml; Prometheus must select every PodMonitor and ServiceMonitor (podMonitorSelectorNilUsesHelmValues=false)`,
    };
  }
  const down = ours.filter((t) => t.health === 'down');
  if (down.length) {
    const what = (t: PromTarget) => `${t.labels?.['pod'] ?? t.scrapeUrl ?? '?'} (${t.labels?.['job'] ?? t.scrapePool ?? '?'}): ${t.lastError || 'down'}`;
    return {
      name,
      status: 'FAIL',
      detail: `${down.length} of ${ours.length} down: ${down.slice(0, 3).map(what).join('; ')}${down.length > 3 ? `; and ${down.length - 3} more` : ''}`,
      hint: `kubectl -n ${o.namespace} port-forward svc/${PROMETHEUS_SERVICE.name} ${PROMETHEUS_SERVICE.port}, then open http://localhost:${PROMETHEUS_SERVICE.port}/targets`,
    };
  }
  const up = ours.filter((t) => t.health === 'up').length;
  return { name, status: 'PASS', detail: `${up} of ours up${up < ours.length ? ` (${ours.length - up} not scraped yet)` : ''}` };
}

interface Claim {
  readonly ns: string;
  readonly name: string;
  /** What to do when the claim does not exist. */
  readonly missingHint: string;
}

/** The claims our manifests create: StatefulSet data claims, the model cache, and the claims the graphs declare. */
function expectedClaims(spec: Spec, dgds: readonly DgdJson[] | undefined): Claim[] {
  const p = spec.platform;
  const ns = spec.workloads.namespace;
  const claims: Claim[] = [];
  for (const [on, what, replicas] of [[p.nats.enabled, 'nats', p.nats.replicas], [p.etcd.enabled, 'etcd', p.etcd.replicas]] as const) {
    const sts = `${p.releaseName}-${what}`;
    if (on) for (let i = 0; i < replicas; i++) claims.push({ ns: p.namespace, name: `data-${sts}-${i}`, missingHint: `kubectl -n ${p.namespace} describe statefulset ${sts}` });
  }
  if (spec.workloads.modelCache.enabled) {
    claims.push({ ns, name: spec.workloads.modelCache.claimName, missingHint: `kubectl apply -f dist/${spec.target}/${WORKLOAD_CHARTS.workloads}.k8s.yaml` });
  }
  const graphs = new Set(Object.entries(spec.graphs).filter(([, g]) => g.enabled).map(([n]) => n));
  for (const d of dgds ?? []) {
    if (!graphs.has(d.metadata.name)) continue;
    for (const c of d.spec?.pvcs ?? []) {
      if (!claims.some((x) => x.ns === ns && x.name === c.name)) claims.push({ ns, name: c.name, missingHint: `kubectl -n ${ns} describe dynamographdeployment ${d.metadata.name}` });
    }
  }
  return claims;
}

function claimRow(c: Claim, pvcs: readonly PvcJson[], pods: readonly PodJson[]): Check {
  const name = `claim ${c.ns}/${c.name}`;
  const pvc = pvcs.find((x) => x.metadata.name === c.name);
  if (!pvc) return { name, status: 'FAIL', detail: 'missing', hint: c.missingHint };
  const phase = pvc.status?.phase ?? 'Pending';
  const sc = pvc.spec?.storageClassName;
  if (phase !== 'Bound') {
    return {
      name,
      status: 'FAIL',
      detail: `${phase}${sc ? ` (storage class ${sc})` : ' (the default storage class)'}`,
      hint: `kubectl -n ${c.ns} describe pvc ${c.name} (its events name the problem); check that the provisioner of ${sc ? `storage class ${sc}` : 'the default class'} runs: kubectl get storageclass${sc ? ` ${sc}` : ''}`,
    };
  }
  const users = pods.filter((p) => p.status?.phase === 'Running' && (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === c.name)).map((p) => p.metadata.name);
  if (users.length === 0) return { name, status: 'WARN', detail: 'Bound, mounted by no Running pod', hint: 'nothing uses it now: are the pods that mount it down (see the rows above)?' };
  return { name, status: 'PASS', detail: `Bound, mounted by ${users[0]}${users.length > 1 ? ` and ${users.length - 1} more` : ''}` };
}

/** The token Secret, by name only: `-o name` prints `secret/<name>` and nothing of its data. */
function secretRow(k: Kube, spec: Spec): Check {
  const name = 'Hugging Face token Secret';
  const secret = spec.workloads.hfTokenSecret;
  const ns = spec.workloads.namespace;
  if (!secret) return { name, status: 'PASS', detail: 'not used (workloads.hfTokenSecret is unset: public models only)' };
  const r = k.run(['get', 'secret', secret, '-n', ns, '-o', 'name'], 'looking up the Hugging Face token Secret');
  if (r.ok) return { name, status: 'PASS', detail: `${ns}/${secret} exists` };
  if (isNotFound(r.stderr)) return { name, status: 'FAIL', detail: `${ns}/${secret} is missing: workers cannot download gated models`, hint: hfTokenCommand(spec) };
  return { name, status: 'WARN', detail: `cannot tell whether ${ns}/${secret} exists: ${explainFailure(r.stderr)}`, hint: `your identity needs get on secrets in ${ns}` };
}

export function verify(k: Kube, spec: Spec): Check[] {
  const p = spec.platform;
  const wns = spec.workloads.namespace;
  const podCache = new Map<string, PodJson[]>();
  const podsIn = (ns: string): PodJson[] => {
    if (!podCache.has(ns)) podCache.set(ns, (k.get<PodJson>(['pods', '-n', ns], `listing pods in ${ns}`)?.items ?? []).filter((x) => !x.metadata.deletionTimestamp));
    return podCache.get(ns)!;
  };
  // The first call doubles as the connectivity check: a failure here ends the run.
  try {
    podsIn(p.namespace);
  } catch (e) {
    if (e instanceof ToolError) return [{ name: 'cluster reachable', status: 'FAIL', detail: e.message, hint: 'fix the kubectl context, then run verify again' }];
    throw e;
  }
  const checks: Check[] = [];

  // 1. The platform.
  const labelled = (app: string, instance: string) =>
    podsIn(p.namespace).filter((x) => x.metadata.labels?.['app.kubernetes.io/name'] === app && x.metadata.labels?.['app.kubernetes.io/instance'] === instance);
  const missing = (chart: string, workload: string) => `kubectl apply -f dist/${spec.target}/${chart}.k8s.yaml; kubectl -n ${p.namespace} describe ${workload}`;
  const op = `${p.releaseName}-dynamo-operator`;
  checks.push(
    p.operator.enabled
      ? replicasRow('Dynamo operator', p.namespace, labelled('dynamo-operator', op), p.operator.replicas, missing(PLATFORM_CHARTS.operator, `deployment ${op}-controller-manager`))
      : { name: 'Dynamo operator', status: 'PASS', detail: 'not deployed by these manifests (platform.operator.enabled: false)' },
  );
  for (const [label, what, dep, chart] of [['NATS', 'nats', p.nats, PLATFORM_CHARTS.nats], ['etcd', 'etcd', p.etcd, PLATFORM_CHARTS.etcd]] as const) {
    const sts = `${p.releaseName}-${what}`;
    checks.push(
      dep.enabled
        ? replicasRow(label, p.namespace, labelled(what, sts), dep.replicas, missing(chart, `statefulset ${sts}`))
        : { name: label, status: 'PASS', detail: dep.externalAddress ? `external (${dep.externalAddress}): not checked here` : 'not used (discovery through Kubernetes)' },
    );
  }

  // 2. The graphs.
  const graphs = Object.entries(spec.graphs)
    .filter(([, g]) => g.enabled)
    .sort(([a], [b]) => a.localeCompare(b));
  const dgds = k.get<DgdJson>(['dynamographdeployments.nvidia.com', '-n', wns], 'listing DynamoGraphDeployments')?.items;
  for (const [name, g] of graphs) checks.push(graphRow(spec, name, g, podsIn(wns), dgds));

  // 3. Prometheus targets.
  const prometheus = prometheusRow(k, spec);
  if (prometheus) checks.push(prometheus);

  // 4. Claims.
  const pvcCache = new Map<string, PvcJson[]>();
  const pvcsIn = (ns: string): PvcJson[] => {
    if (!pvcCache.has(ns)) pvcCache.set(ns, k.get<PvcJson>(['persistentvolumeclaims', '-n', ns], `listing claims in ${ns}`)?.items ?? []);
    return pvcCache.get(ns)!;
  };
  for (const c of expectedClaims(spec, dgds)) checks.push(claimRow(c, pvcsIn(c.ns), podsIn(c.ns)));

  // 5. The token Secret.
  checks.push(secretRow(k, spec));
  return checks;
}
