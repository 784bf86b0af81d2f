/**
 * Alert and recording rules for Dynamo on Kubernetes, as Prometheus rule groups: the graphs (frontend down, error
 * ratio, TTFT and ITL p95 over each graph's SLA, queue depth, frontends and workers running but not Ready by
 * kube-state-metrics, joined to our pod labels), the fault-tolerance SLA of the
 * seeds (with several workers: at least 99% success and recovery within 60 s; with one: at least 10% and 180 s),
 * NATS, etcd, GPUs (DCGM), volumes and the operator. Each alert has a severity, a summary, a description and a
 * runbook anchor. Targets carry `component`, `namespace`, `pod` and `graph` labels (see the monitors).
 */
import { APP_LABEL, COMPONENT_LABEL, GRAPH_APP, GRAPH_LABEL, type GraphComponent } from '../graph/pod-labels.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../../spec/alerting.js';
import { DEFAULT_STARTUP_BUDGET_SECONDS } from '../graph/health.js';
import { METRICS as M } from './metrics.js';

export type Severity = 'critical' | 'warning' | 'info';

/**
 * The label every alert we emit carries. Our AlertmanagerConfig runs under matcher strategy None (the operator adds
 * no namespace matcher), so its top route matches on this label: without it every alert of the cluster, e.g.
 * kube-prometheus-stack's KubeControllerManagerDown that fires forever on a managed control plane, would reach the
 * spec's receivers.
 */
export const DYNAMO_ALERT_LABEL = { name: 'dynamo_iac', value: 'true' } as const;

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: Severity; readonly component: string } & Readonly<Record<string, string>>;
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/** A graph's service levels, from the spec. */
export interface GraphSlo {
  readonly name: string;
  /** p95 time to first token, milliseconds. */
  readonly ttftP95Ms: number;
  /** p95 inter-token latency, milliseconds. */
  readonly itlP95Ms: number;
  /** More than one worker replica (data parallel): the strict fault-tolerance SLA applies. */
  readonly replicated: boolean;
  /**
   * Seconds a worker may take to load its model (`health.startupBudgetSeconds`): a worker younger than that which has
   * never been Ready is loading, not failing. @default 7200
   */
  readonly startupBudgetSeconds?: number;
}

export interface AlertRulesOptions {
  readonly graphs: readonly GraphSlo[];
  /** Where the runbooks live; each alert links `<base>#<alert-name-lower-case>`. */
  readonly runbookBase?: string;
  /** How long a running pod may stay not Ready before the readiness alerts fire. @default NOT_READY_FOR ('15m') */
  readonly notReadyFor?: string;
  /** Queued requests per frontend that mean "add capacity". @default 50 */
  readonly queueDepthWarning?: number;
}

/**
 * The default `for` of the readiness alerts: as long as kube-prometheus-stack's KubeNodeNotReady (`for: 15m`), so that
 * a node that goes down fires first and its inhibition (alertmanager-config.ts) silences the pods on it.
 */
export const NOT_READY_FOR = '15m';
/** The `for` of DynamoFrontendDown: longer than a frontend's rolling restart, short enough to page for an outage. */
const FRONTEND_DOWN_FOR = '5m';

/** The fault-tolerance SLA of the seeds: success ratio and recovery time, by whether the graph is replicated. */
export const FAULT_TOLERANCE_SLA = {
  replicated: { successRatio: 0.99, recoverySeconds: 60 },
  single: { successRatio: 0.1, recoverySeconds: 180 },
} as const;

const ms = (n: number) => String(n / 1000);

/**
 * kube-state-metrics names a pod label `label_<key with every character outside [a-zA-Z0-9_] as _>` in
 * `kube_pod_labels`, and exposes it only when its `--metric-labels-allowlist` names it (KSM_POD_LABELS).
 */
export const ksmLabel = (key: string): string => `label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
/** The pod labels kube-state-metrics must expose for the readiness alerts. */
export const KSM_POD_LABELS = [APP_LABEL, GRAPH_LABEL, COMPONENT_LABEL] as const;
const KSM_GRAPH = ksmLabel(GRAPH_LABEL);

/** `kube_pod_labels` of the graph pods of one component (and graph), one series per pod, carrying the graph label. */
function graphPods(component: GraphComponent, graph?: string): string {
  const sel = [`${ksmLabel(APP_LABEL)}="${GRAPH_APP}"`, `${ksmLabel(COMPONENT_LABEL)}="${component}"`, ...(graph ? [`${KSM_GRAPH}="${graph}"`] : [])];
  return `max by (namespace, pod, ${KSM_GRAPH}) (kube_pod_labels{${sel.join(',')}})`;
}

/** Ready pods of a component of one graph (1 per Ready pod). */
function readyPods(component: GraphComponent, graph: string): string {
  return `kube_pod_status_ready{condition="true"} * on (namespace, pod) group_left() ${graphPods(component, graph)}`;
}

/**
 * Pods of a component that are Running but not Ready, labelled namespace, pod, graph and node (from `kube_pod_info`,
 * so that the Alertmanager inhibition of a node that is down, `equal: [node]`, silences them).
 */
function notReady(component: GraphComponent, graph?: string): string {
  const running = 'max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1';
  const unready = 'max by (namespace, pod) (kube_pod_status_ready{condition="true"}) == 0';
  // One node per pod, the freshest: a pod recreated under its name on another node (a StatefulSet's, a Grove clique's)
  // has two kube_pod_info series for the 5-minute lookback, which would break the many-to-one join. Value 1.
  const node = '(topk by (namespace, pod) (1, max by (namespace, pod, node) (timestamp(kube_pod_info))) * 0 + 1)';
  const joined = `(${unready} and on (namespace, pod) (${running})) * on (namespace, pod) group_left(${KSM_GRAPH}) ${graphPods(component, graph)} * on (namespace, pod) group_left(node) ${node}`;
  return `max by (namespace, pod, graph, node) (label_replace(${joined}, "graph", "$1", "${KSM_GRAPH}", "(.*)"))`;
}

/**
 * Pods past their loading phase: Ready at some time within the startup budget (so a Ready pod that turns unready
 * counts at once), or started longer ago than the budget (a pod that never became Ready in it). A 0.9.0 worker's
 * `/health` answers 503 until its endpoint serves, i.e. while it loads the model, for up to the budget its startup
 * probe allows (graph/health.ts).
 */
function pastStartup(budgetSeconds: number): string {
  const wasReady = `max by (namespace, pod) (max_over_time(kube_pod_status_ready{condition="true"}[${budgetSeconds}s])) == 1`;
  const old = `max by (namespace, pod) (time() - kube_pod_start_time) > ${budgetSeconds}`;
  return `(${wasReady} or ${old})`;
}

/**
 * Graph pods are scraped but kube-state-metrics exposes none of our pod labels (no `--metric-labels-allowlist`, or
 * no kube-state-metrics at all): the frontend-down alerts would fire forever and the readiness alerts never.
 */
function graphLabelsMissing(): string {
  return `count(up{component=~"frontend|worker"}) > 0 unless on () count(kube_pod_labels{${ksmLabel(APP_LABEL)}="${GRAPH_APP}"})`;
}

export function alertRuleGroups(o: AlertRulesOptions): RuleGroup[] {
  const base = o.runbookBase ?? DEFAULT_RUNBOOK_BASE_URL;
  const alert = (name: string, severity: Severity, component: string, expr: string, forDuration: string | undefined, summary: string, description: string, extra: Record<string, string> = {}): AlertRule => ({
    alert: name,
    expr,
    ...(forDuration && { for: forDuration }),
    labels: { severity, component, ...extra, [DYNAMO_ALERT_LABEL.name]: DYNAMO_ALERT_LABEL.value },
    annotations: { summary, description, runbook_url: `${base}#${name.toLowerCase()}` },
  });
  const F = M.frontend;
  const byGraph = 'namespace, graph';

  const graphs: RuleGroup = {
    name: 'dynamo-graphs',
    rules: [
      { record: 'dynamo:frontend_requests:rate5m', expr: `sum by (${byGraph}) (rate(${F.requests}[5m]))` },
      { record: 'dynamo:frontend_errors:rate5m', expr: `sum by (${byGraph}) (rate(${F.requests}{status="error"}[5m]))` },
      { record: 'dynamo:frontend_error_ratio:rate5m', expr: 'dynamo:frontend_errors:rate5m / dynamo:frontend_requests:rate5m' },
      { record: 'dynamo:frontend_ttft_seconds:p95_5m', expr: `histogram_quantile(0.95, sum by (${byGraph}, le) (rate(${F.ttft}_bucket[5m])))` },
      { record: 'dynamo:frontend_itl_seconds:p95_5m', expr: `histogram_quantile(0.95, sum by (${byGraph}, le) (rate(${F.itl}_bucket[5m])))` },
      alert('DynamoFrontendErrorRatio', 'critical', 'frontend', 'dynamo:frontend_error_ratio:rate5m > 0.05 and dynamo:frontend_requests:rate5m > 0', '5m', 'More than 5% of requests to {{ $labels.graph }} fail', '{{ $value | humanizePercentage }} of the requests of {{ $labels.namespace }}/{{ $labels.graph }} ended with status="error" over 5 minutes.'),
      alert('DynamoFrontendQueueDepth', 'warning', 'frontend', `max by (${byGraph}) (${F.queued}) > ${o.queueDepthWarning ?? 50}`, '10m', 'Requests queue in front of {{ $labels.graph }}: add capacity', '{{ $value }} requests wait for a first token at one frontend of {{ $labels.namespace }}/{{ $labels.graph }} for 10 minutes: add workers or replicas.'),
      alert('DynamoFrontendNotReady', 'warning', 'frontend', notReady('frontend'), o.notReadyFor ?? NOT_READY_FOR, 'Frontend {{ $labels.pod }} of {{ $labels.graph }} is running but not Ready', `{{ $labels.namespace }}/{{ $labels.pod }} has been running and failing its readiness probe for ${o.notReadyFor ?? NOT_READY_FOR}: its Service sends it no traffic.`),
      alert('DynamoGraphLabelsMissing', 'warning', 'kube-state-metrics', graphLabelsMissing(), '15m', 'kube-state-metrics exposes no label of the Dynamo graph pods', `Graph pods are scraped, but no kube_pod_labels series carries ${ksmLabel(APP_LABEL)}="${GRAPH_APP}": kube-state-metrics is missing or runs without --metric-labels-allowlist=pods=[${KSM_POD_LABELS.join(',')}]. DynamoFrontendDown fires and the readiness alerts cannot fire until it is fixed.`),
    ],
  };

  // Per graph: the latency SLA and the fault-tolerance SLA with that graph's thresholds.
  const perGraph: RuleGroup[] = o.graphs.map((g) => {
    const sla = g.replicated ? FAULT_TOLERANCE_SLA.replicated : FAULT_TOLERANCE_SLA.single;
    const sel = `graph="${g.name}"`;
    const budget = g.startupBudgetSeconds ?? DEFAULT_STARTUP_BUDGET_SECONDS;
    return {
      name: `dynamo-graph-${g.name}`,
      rules: [
        // Per graph: a worker still loading its model (younger than the graph's startup budget, never Ready) is silent.
        alert('DynamoWorkerNotReady', 'warning', 'worker', `${notReady('worker', g.name)} and on (namespace, pod) ${pastStartup(budget)}`, o.notReadyFor ?? NOT_READY_FOR, 'Worker {{ $labels.pod }} of {{ $labels.graph }} is running but not Ready', `{{ $labels.namespace }}/{{ $labels.pod }} has been running and failing its readiness probe for ${o.notReadyFor ?? NOT_READY_FOR} after it had been Ready, or after the graph's startup budget of ${budget} s (health check failing, endpoint not registered, loading too slowly, or wedged): it takes no requests.`, { graph: g.name }),
        alert('DynamoFrontendDown', 'critical', 'frontend', `(sum(${readyPods('frontend', g.name)}) or vector(0)) == 0`, FRONTEND_DOWN_FOR, `No frontend of graph ${g.name} is Ready`, `No frontend pod of graph ${g.name} has been Ready for ${FRONTEND_DOWN_FOR} (none running, or none passing its readiness probe): the graph serves nothing.`, { graph: g.name }),
        alert(`DynamoTTFTOverSLA`, 'warning', 'frontend', `dynamo:frontend_ttft_seconds:p95_5m{${sel}} > ${ms(g.ttftP95Ms)}`, '10m', 'p95 time to first token of {{ $labels.graph }} is over its SLA', `p95 TTFT of {{ $labels.namespace }}/{{ $labels.graph }} is {{ $value | humanizeDuration }}, over the ${g.ttftP95Ms} ms the graph promises.`, { graph: g.name }),
        alert(`DynamoITLOverSLA`, 'warning', 'frontend', `dynamo:frontend_itl_seconds:p95_5m{${sel}} > ${ms(g.itlP95Ms)}`, '10m', 'p95 inter-token latency of {{ $labels.graph }} is over its SLA', `p95 ITL of {{ $labels.namespace }}/{{ $labels.graph }} is {{ $value | humanizeDuration }}, over the ${g.itlP95Ms} ms the graph promises.`, { graph: g.name }),
        alert('DynamoSuccessRatioBelowSLA', 'critical', 'frontend', `(1 - dynamo:frontend_error_ratio:rate5m{${sel}}) < ${sla.successRatio} and dynamo:frontend_requests:rate5m{${sel}} > 0`, '5m', 'Success ratio of {{ $labels.graph }} is below its fault-tolerance SLA', `{{ $value | humanizePercentage }} of the requests of {{ $labels.namespace }}/{{ $labels.graph }} succeed; the SLA for a ${g.replicated ? 'replicated' : 'single-worker'} graph is ${sla.successRatio * 100}%.`, { graph: g.name }),
        // Recovery: requests arrive but none has succeeded for longer than the recovery budget.
        alert('DynamoRecoveryOverSLA', 'critical', 'frontend', `sum by (${byGraph}) (rate(${F.requests}{${sel},status="success"}[1m])) == 0 and sum by (${byGraph}) (rate(${F.requests}{${sel}}[1m])) > 0`, `${sla.recoverySeconds}s`, '{{ $labels.graph }} has not recovered within its SLA', `{{ $labels.namespace }}/{{ $labels.graph }} has served no successful request for ${sla.recoverySeconds} s while receiving requests; the recovery SLA of a ${g.replicated ? 'replicated' : 'single-worker'} graph is ${sla.recoverySeconds} s.`, { graph: g.name }),
      ],
    };
  });

  const N = M.nats;
  const nats: RuleGroup = {
    name: 'dynamo-nats',
    rules: [
      alert('DynamoNatsDown', 'critical', 'nats', 'up{component="nats"} == 0', '2m', 'NATS server {{ $labels.pod }} is down', 'The NATS exporter of {{ $labels.namespace }}/{{ $labels.pod }} has not answered for 2 minutes: the event plane is degraded.'),
      alert('DynamoNatsJetStreamStorage', 'warning', 'nats', `${N.storageUsed} / ${N.storageMax} > 0.8`, '10m', 'JetStream storage of {{ $labels.pod }} is over 80%', 'JetStream uses {{ $value | humanizePercentage }} of its file store on {{ $labels.namespace }}/{{ $labels.pod }}; at 100% publishes fail.'),
      alert('DynamoNatsSlowConsumers', 'warning', 'nats', `increase(${N.slowConsumers}[10m]) > 0`, undefined, 'NATS on {{ $labels.pod }} dropped slow consumers', '{{ $value }} slow consumers on {{ $labels.namespace }}/{{ $labels.pod }} in 10 minutes: subscribers cannot keep up.'),
    ],
  };
  const E = M.etcd;
  const etcd: RuleGroup = {
    name: 'dynamo-etcd',
    rules: [
      alert('DynamoEtcdNoLeader', 'critical', 'etcd', `${E.hasLeader} == 0`, '1m', 'etcd member {{ $labels.pod }} has no leader', 'etcd on {{ $labels.namespace }}/{{ $labels.pod }} sees no leader for a minute: discovery and registration stall.'),
      alert('DynamoEtcdMemberDown', 'warning', 'etcd', 'up{component="etcd"} == 0', '2m', 'etcd member {{ $labels.pod }} is down', 'etcd member {{ $labels.namespace }}/{{ $labels.pod }} has not answered for 2 minutes; the cluster runs without its redundancy.'),
      alert('DynamoEtcdFsyncSlow', 'warning', 'etcd', `histogram_quantile(0.99, sum by (namespace, pod, le) (rate(${E.fsync}_bucket[5m]))) > 0.5`, '10m', 'etcd WAL fsync on {{ $labels.pod }} is slow', 'p99 WAL fsync of {{ $labels.namespace }}/{{ $labels.pod }} is {{ $value | humanizeDuration }}: the disk is too slow for etcd.'),
      alert('DynamoEtcdDatabaseSize', 'warning', 'etcd', `${E.dbSize} / ${E.quota} > 0.8`, '10m', 'etcd database of {{ $labels.pod }} is over 80% of its quota', 'The etcd database on {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its quota; at 100% etcd refuses writes.'),
    ],
  };
  const G = M.gpu;
  const gpu: RuleGroup = {
    name: 'dynamo-gpus',
    rules: [
      alert('DynamoGpuXidError', 'warning', 'gpu', `${G.xid} != 0 unless (${G.xid} == 48 or ${G.xid} == 79 or ${G.xid} == 94 or ${G.xid} == 95)`, undefined, 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID {{ $value }}', 'The driver reported XID {{ $value }} on GPU {{ $labels.gpu }} ({{ $labels.modelName }}) of node {{ $labels.Hostname }}.'),
      alert('DynamoGpuXidFatal', 'critical', 'gpu', `${G.xid} == 48 or ${G.xid} == 79 or ${G.xid} == 94 or ${G.xid} == 95`, undefined, 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has a fatal XID {{ $value }}', 'XID {{ $value }} (double-bit ECC, fallen off the bus, or contained/uncontained memory error) on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}: drain the node.'),
      alert('DynamoGpuEccErrors', 'critical', 'gpu', `increase(${G.eccDbe}[10m]) > 0 or ${G.rowRemapFailure} > 0`, undefined, 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has uncorrectable memory errors', 'Double-bit ECC errors or a failed row remap on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}: its results cannot be trusted.'),
      alert('DynamoGpuTemperature', 'warning', 'gpu', `${G.temperature} > 85`, '5m', 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} runs at {{ $value }} °C', 'GPU {{ $labels.gpu }} of {{ $labels.Hostname }} has been above 85 °C for 5 minutes and will throttle.'),
      alert('DynamoGpuMemoryFull', 'warning', 'gpu', `${G.memoryUsed} / (${G.memoryUsed} + ${G.memoryFree}) > 0.95`, '15m', 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} memory is over 95%', 'Framebuffer use is {{ $value | humanizePercentage }} on GPU {{ $labels.gpu }} of {{ $labels.Hostname }} for 15 minutes: out-of-memory errors are near.'),
      alert('DynamoGpuIdle', 'info', 'gpu', `max_over_time(${G.utilization}[2h]) < 1`, '1h', 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has been idle for hours', 'GPU {{ $labels.gpu }} of {{ $labels.Hostname }} has not been used for 3 hours: scale the pool down or give it work (cost).'),
    ],
  };
  const platform: RuleGroup = {
    name: 'dynamo-platform',
    rules: [
      alert('DynamoVolumeFilling', 'warning', 'storage', `${M.volumes.used} / ${M.volumes.capacity} > 0.85`, '10m', 'Volume {{ $labels.persistentvolumeclaim }} is over 85% full', 'The claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full.'),
      alert('DynamoOperatorReconcileErrors', 'warning', 'operator', `sum by (controller) (rate(${M.operator.reconcileErrors}[10m])) > 0.1`, '15m', 'The Dynamo operator fails to reconcile {{ $labels.controller }}', 'The {{ $labels.controller }} controller has failed {{ $value | humanize }} reconciles per second for 15 minutes; graphs may not converge.'),
    ],
  };
  return [graphs, ...perGraph, nats, etcd, gpu, platform];
}

export const isAlert = (r: AlertRule | RecordingRule): r is AlertRule => 'alert' in r;
