/**
 * The alert rules against the real `promtool`: the rule file passes `promtool check rules` (expressions and
 * annotation templates), and `promtool test rules` shows every alert firing on synthetic series that should fire it
 * and staying silent on series that should not. The unit tests run on a copy without annotations (their templates
 * are checked by `check rules`), so each case states the labels that matter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRuleGroups, isAlert, ksmLabel, type RuleGroup } from '../../../../constructs/k8s/observability/alert-rules.js';
import { APP_LABEL, COMPONENT_LABEL, GRAPH_LABEL } from '../../../../constructs/k8s/graph/pod-labels.js';
import { hasBinary } from '../../../support/env.js';

const groups = alertRuleGroups({
  graphs: [
    // Startup budgets: 30 minutes for ha (the loading cases), one minute for single (every worker is past loading).
    { name: 'ha', ttftP95Ms: 2000, itlP95Ms: 100, replicated: true, startupBudgetSeconds: 1800 },
    { name: 'single', ttftP95Ms: 2000, itlP95Ms: 100, replicated: false, startupBudgetSeconds: 60 },
  ],
});

interface Case {
  readonly alert: string;
  /** Series (promtool expanding notation) at a 1m interval. */
  readonly series: Record<string, string>;
  readonly at: string;
  /** Labels of each expected alert besides the rule's own; empty list: silent. */
  readonly fires: Record<string, string>[];
  /** The rendered summary of each expected alert (alerts in ANNOTATED only). */
  readonly summaries?: string[];
}

/** Alerts whose tests check the rendered annotations too. */
const ANNOTATED = new Set(['DynamoFrontendDown']);

const W = 'namespace="w"';
const fr = (graph: string, status: string) => `dynamo_frontend_requests_total{${W},graph="${graph}",status="${status}",model="m"}`;
const gpu = 'gpu="0",Hostname="n1",modelName="H100"';
const gpuLabels = { gpu: '0', Hostname: 'n1', modelName: 'H100' };
const bucket = (metric: string, graph: string, le: string) => `${metric}_bucket{${W},graph="${graph}",le="${le}"}`;

/**
 * One graph pod as kube-state-metrics reports it: `kube_pod_labels` with our labels as the allowlist exposes them
 * (`dynamo-iac.io/graph` -> `label_dynamo_iac_io_graph`), its Ready condition and its phase.
 */
function pod(name: string, component: string, graph: string, o: { ready: string; phase?: string }): Record<string, string> {
  const id = `${W},pod="${name}"`;
  const app = `${ksmLabel(APP_LABEL)}="dynamo-graph",${ksmLabel(COMPONENT_LABEL)}="${component}",${ksmLabel(GRAPH_LABEL)}="${graph}"`;
  return {
    [`kube_pod_labels{${id},${app},uid="${name}"}`]: '1x60',
    [`kube_pod_status_ready{${id},condition="true",uid="${name}"}`]: o.ready,
    [`kube_pod_status_phase{${id},phase="${o.phase ?? 'Running'}",uid="${name}"}`]: '1x60',
    [`kube_pod_info{${id},node="n1",uid="${name}"}`]: '1x60',
    // Started at the beginning of the test (unix time 0).
    [`kube_pod_start_time{${id},uid="${name}"}`]: '0x60',
  };
}

/** Latency histograms: all observations below `fast` (silent) or between fast and slow (fires). */
const histogram = (metric: string, graph: string, slow: boolean): Record<string, string> => ({
  [bucket(metric, graph, '0.05')]: slow ? '0+0x30' : '0+10x30',
  [bucket(metric, graph, '5')]: '0+10x30',
  [bucket(metric, graph, '+Inf')]: '0+10x30',
});

const CASES: Case[] = [
  // Frontend down per graph: no Ready frontend pod (none at all, or none Ready); one Ready frontend is enough.
  { alert: 'DynamoFrontendDown', series: { ...pod('ha-frontend-1', 'frontend', 'ha', { ready: '0x10' }), ...pod('single-frontend-1', 'frontend', 'single', { ready: '1x10' }) }, at: '5m', fires: [{ graph: 'ha' }], summaries: ['No frontend of graph ha is Ready'] },
  { alert: 'DynamoFrontendDown', series: { ...pod('other-frontend-1', 'frontend', 'other', { ready: '1x10' }) }, at: '5m', fires: [{ graph: 'ha' }, { graph: 'single' }], summaries: ['No frontend of graph ha is Ready', 'No frontend of graph single is Ready'] },
  { alert: 'DynamoFrontendDown', series: { ...pod('ha-frontend-1', 'frontend', 'ha', { ready: '0x10' }), ...pod('ha-frontend-2', 'frontend', 'ha', { ready: '1x10' }), ...pod('single-frontend-1', 'frontend', 'single', { ready: '1x10' }) }, at: '5m', fires: [] },
  // A frontend outage shorter than 5 minutes (a rolling restart) does not page.
  { alert: 'DynamoFrontendDown', series: { ...pod('ha-frontend-1', 'frontend', 'ha', { ready: '1x3 0x4 1x5' }), ...pod('single-frontend-1', 'frontend', 'single', { ready: '1x12' }) }, at: '7m', fires: [] },
  { alert: 'DynamoFrontendErrorRatio', series: { [fr('g', 'error')]: '0+10x20', [fr('g', 'success')]: '0+10x20' }, at: '15m', fires: [{ namespace: 'w', graph: 'g' }] },
  { alert: 'DynamoFrontendErrorRatio', series: { [fr('g', 'error')]: '0+1x20', [fr('g', 'success')]: '0+100x20' }, at: '15m', fires: [] },
  { alert: 'DynamoFrontendQueueDepth', series: { [`dynamo_frontend_queued_requests{${W},graph="g",model="m"}`]: '80x20' }, at: '15m', fires: [{ namespace: 'w', graph: 'g' }] },
  { alert: 'DynamoFrontendQueueDepth', series: { [`dynamo_frontend_queued_requests{${W},graph="g",model="m"}`]: '10x20' }, at: '15m', fires: [] },
  // Readiness: running and not Ready for 15 minutes (a /health 503 while /metrics answers is the seed's main case).
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'single', { ready: '0x30' }), at: '20m', fires: [{ namespace: 'w', graph: 'single', pod: 'w1', node: 'n1' }] },
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'single', { ready: '0x5 1x25' }), at: '20m', fires: [] },
  // Unready for 11 minutes: still inside kube-prometheus-stack's KubeNodeNotReady `for: 15m` (its inhibition first).
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'single', { ready: '1x8 0x22' }), at: '20m', fires: [] },
  // Recreated under its name on another node (n1 until 8m, n2 from 5m): both kube_pod_info series overlap for the
  // lookback; the join takes the freshest node and the alert fires once, on n2.
  {
    alert: 'DynamoWorkerNotReady',
    series: { ...pod('w1', 'worker', 'single', { ready: '0x30' }), [`kube_pod_info{${W},pod="w1",node="n1",uid="w1"}`]: '1x8', [`kube_pod_info{${W},pod="w1",node="n2",uid="w1b"}`]: '_x4 1x30' },
    at: '25m',
    fires: [{ namespace: 'w', graph: 'single', pod: 'w1', node: 'n2' }],
  },
  // Loading: a worker younger than its graph's startup budget (30 minutes) that has never been Ready is silent...
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'ha', { ready: '0x30' }), at: '25m', fires: [] },
  // ...and fires once it is older than the budget without ever becoming Ready;
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'ha', { ready: '0x60' }), at: '50m', fires: [{ namespace: 'w', graph: 'ha', pod: 'w1', node: 'n1' }] },
  // a young worker that was Ready and turned unready fires at once (after `for`).
  { alert: 'DynamoWorkerNotReady', series: pod('w1', 'worker', 'ha', { ready: '1x5 0x30' }), at: '25m', fires: [{ namespace: 'w', graph: 'ha', pod: 'w1', node: 'n1' }] },
  // Pending (not scheduled) is not "running but not Ready"; a frontend's readiness is its own alert.
  { alert: 'DynamoWorkerNotReady', series: { ...pod('w1', 'worker', 'single', { ready: '0x20', phase: 'Pending' }), ...pod('f1', 'frontend', 'single', { ready: '0x20' }) }, at: '15m', fires: [] },
  // Multinode (Grove): the leader is Ready, the non-leader's readiness probe (TRT-LLM: its SSH port) passes, and it has no up series (not scraped).
  { alert: 'DynamoWorkerNotReady', series: { ...pod('single-0-vllmworker-ldr-abcde', 'worker', 'single', { ready: '1x20' }), ...pod('single-0-vllmworker-wkr-fghij', 'worker', 'single', { ready: '1x20' }) }, at: '15m', fires: [] },
  { alert: 'DynamoFrontendNotReady', series: pod('f1', 'frontend', 'g', { ready: '0x30' }), at: '20m', fires: [{ namespace: 'w', graph: 'g', pod: 'f1', node: 'n1' }] },
  { alert: 'DynamoFrontendNotReady', series: pod('f1', 'frontend', 'g', { ready: '1x20' }), at: '15m', fires: [] },
  // Without kube-state-metrics' label allowlist (no label_dynamo_iac_io_* on kube_pod_labels) nothing joins.
  { alert: 'DynamoFrontendNotReady', series: { [`kube_pod_labels{${W},pod="f1"}`]: '1x20', [`kube_pod_status_ready{${W},pod="f1",condition="true"}`]: '0x20', [`kube_pod_status_phase{${W},pod="f1",phase="Running"}`]: '1x20', [`kube_pod_info{${W},pod="f1",node="n1"}`]: '1x20' }, at: '15m', fires: [] },
  // Graph pods scraped, but kube-state-metrics runs without our allowlist (or not at all): visible, not silent.
  { alert: 'DynamoGraphLabelsMissing', series: { [`up{component="frontend",${W},pod="f1"}`]: '1x30', [`kube_pod_labels{${W},pod="f1"}`]: '1x30' }, at: '20m', fires: [{}] },
  { alert: 'DynamoGraphLabelsMissing', series: { [`up{component="worker",${W},pod="w1"}`]: '1x30' }, at: '20m', fires: [{}] },
  { alert: 'DynamoGraphLabelsMissing', series: { [`up{component="frontend",${W},pod="f1"}`]: '1x30', ...pod('f1', 'frontend', 'g', { ready: '1x30' }) }, at: '20m', fires: [] },
  // No graph deployed: nothing to miss.
  { alert: 'DynamoGraphLabelsMissing', series: { [`up{component="nats",namespace="p",pod="nats-0"}`]: '1x30' }, at: '20m', fires: [] },
  // Per-graph latency SLAs (2000 ms TTFT, 100 ms ITL).
  { alert: 'DynamoTTFTOverSLA', series: histogram('dynamo_frontend_time_to_first_token_seconds', 'ha', true), at: '20m', fires: [{ namespace: 'w', graph: 'ha' }] },
  { alert: 'DynamoTTFTOverSLA', series: histogram('dynamo_frontend_time_to_first_token_seconds', 'ha', false), at: '20m', fires: [] },
  { alert: 'DynamoITLOverSLA', series: histogram('dynamo_frontend_inter_token_latency_seconds', 'single', true), at: '20m', fires: [{ namespace: 'w', graph: 'single' }] },
  { alert: 'DynamoITLOverSLA', series: histogram('dynamo_frontend_inter_token_latency_seconds', 'single', false), at: '20m', fires: [] },
  // Fault-tolerance SLA: 2% errors breaks the replicated graph's 99%, not the single worker's 10%.
  { alert: 'DynamoSuccessRatioBelowSLA', series: { [fr('ha', 'error')]: '0+2x20', [fr('ha', 'success')]: '0+98x20' }, at: '15m', fires: [{ namespace: 'w', graph: 'ha' }] },
  { alert: 'DynamoSuccessRatioBelowSLA', series: { [fr('single', 'error')]: '0+2x20', [fr('single', 'success')]: '0+98x20' }, at: '15m', fires: [] },
  { alert: 'DynamoSuccessRatioBelowSLA', series: { [fr('single', 'error')]: '0+95x20', [fr('single', 'success')]: '0+5x20' }, at: '15m', fires: [{ namespace: 'w', graph: 'single' }] },
  // Recovery: 2 minutes without a success breaks the replicated graph's 60 s, not the single worker's 180 s.
  { alert: 'DynamoRecoveryOverSLA', series: { [fr('ha', 'error')]: '0+10x10', [fr('ha', 'success')]: '0+10x3 30x7' }, at: '6m', fires: [{ namespace: 'w', graph: 'ha' }] },
  { alert: 'DynamoRecoveryOverSLA', series: { [fr('single', 'error')]: '0+10x10', [fr('single', 'success')]: '0+10x3 30x7' }, at: '6m', fires: [] },
  { alert: 'DynamoRecoveryOverSLA', series: { [fr('single', 'error')]: '0+10x10', [fr('single', 'success')]: '0+10x3 30x7' }, at: '9m', fires: [{ namespace: 'w', graph: 'single' }] },
  // NATS.
  { alert: 'DynamoNatsDown', series: { [`up{component="nats",namespace="p",pod="nats-0"}`]: '0x5' }, at: '4m', fires: [{ namespace: 'p', pod: 'nats-0' }] },
  { alert: 'DynamoNatsDown', series: { [`up{component="nats",namespace="p",pod="nats-0"}`]: '1x5' }, at: '4m', fires: [] },
  { alert: 'DynamoNatsJetStreamStorage', series: { 'nats_varz_jetstream_stats_storage{namespace="p",pod="nats-0"}': '90x20', 'nats_varz_jetstream_config_max_storage{namespace="p",pod="nats-0"}': '100x20' }, at: '15m', fires: [{ namespace: 'p', pod: 'nats-0' }] },
  { alert: 'DynamoNatsJetStreamStorage', series: { 'nats_varz_jetstream_stats_storage{namespace="p",pod="nats-0"}': '50x20', 'nats_varz_jetstream_config_max_storage{namespace="p",pod="nats-0"}': '100x20' }, at: '15m', fires: [] },
  { alert: 'DynamoNatsSlowConsumers', series: { 'nats_varz_slow_consumers{namespace="p",pod="nats-0"}': '0 0 0 3 3 3 3 3 3 3 3' }, at: '10m', fires: [{ namespace: 'p', pod: 'nats-0' }] },
  { alert: 'DynamoNatsSlowConsumers', series: { 'nats_varz_slow_consumers{namespace="p",pod="nats-0"}': '3x20' }, at: '15m', fires: [] },
  // etcd.
  { alert: 'DynamoEtcdNoLeader', series: { 'etcd_server_has_leader{namespace="p",pod="etcd-0"}': '0x5' }, at: '3m', fires: [{ namespace: 'p', pod: 'etcd-0' }] },
  { alert: 'DynamoEtcdNoLeader', series: { 'etcd_server_has_leader{namespace="p",pod="etcd-0"}': '1x5' }, at: '3m', fires: [] },
  { alert: 'DynamoEtcdMemberDown', series: { 'up{component="etcd",namespace="p",pod="etcd-1"}': '0x5' }, at: '4m', fires: [{ namespace: 'p', pod: 'etcd-1' }] },
  { alert: 'DynamoEtcdMemberDown', series: { 'up{component="etcd",namespace="p",pod="etcd-1"}': '0 1x5' }, at: '4m', fires: [] },
  {
    alert: 'DynamoEtcdFsyncSlow',
    series: { 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="0.1"}': '0x30', 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="2"}': '0+10x30', 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="+Inf"}': '0+10x30' },
    at: '20m',
    fires: [{ namespace: 'p', pod: 'etcd-0' }],
  },
  {
    alert: 'DynamoEtcdFsyncSlow',
    series: { 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="0.1"}': '0+10x30', 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="2"}': '0+10x30', 'etcd_disk_wal_fsync_duration_seconds_bucket{namespace="p",pod="etcd-0",le="+Inf"}': '0+10x30' },
    at: '20m',
    fires: [],
  },
  { alert: 'DynamoEtcdDatabaseSize', series: { 'etcd_mvcc_db_total_size_in_bytes{namespace="p",pod="etcd-0"}': '900x20', 'etcd_server_quota_backend_bytes{namespace="p",pod="etcd-0"}': '1000x20' }, at: '15m', fires: [{ namespace: 'p', pod: 'etcd-0' }] },
  { alert: 'DynamoEtcdDatabaseSize', series: { 'etcd_mvcc_db_total_size_in_bytes{namespace="p",pod="etcd-0"}': '100x20', 'etcd_server_quota_backend_bytes{namespace="p",pod="etcd-0"}': '1000x20' }, at: '15m', fires: [] },
  // GPUs.
  { alert: 'DynamoGpuXidError', series: { [`DCGM_FI_DEV_XID_ERRORS{${gpu}}`]: '13x5' }, at: '2m', fires: [gpuLabels] },
  { alert: 'DynamoGpuXidError', series: { [`DCGM_FI_DEV_XID_ERRORS{${gpu}}`]: '79x5' }, at: '2m', fires: [] },
  { alert: 'DynamoGpuXidFatal', series: { [`DCGM_FI_DEV_XID_ERRORS{${gpu}}`]: '79x5' }, at: '2m', fires: [gpuLabels] },
  { alert: 'DynamoGpuXidFatal', series: { [`DCGM_FI_DEV_XID_ERRORS{${gpu}}`]: '0x5' }, at: '2m', fires: [] },
  { alert: 'DynamoGpuEccErrors', series: { [`DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{${gpu}}`]: '0 0 0 2 2 2 2' }, at: '5m', fires: [gpuLabels] },
  { alert: 'DynamoGpuEccErrors', series: { [`DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{${gpu}}`]: '2x10', [`DCGM_FI_DEV_ROW_REMAP_FAILURE{${gpu}}`]: '0x10' }, at: '12m', fires: [] },
  { alert: 'DynamoGpuTemperature', series: { [`DCGM_FI_DEV_GPU_TEMP{${gpu}}`]: '90x10' }, at: '8m', fires: [gpuLabels] },
  { alert: 'DynamoGpuTemperature', series: { [`DCGM_FI_DEV_GPU_TEMP{${gpu}}`]: '70x10' }, at: '8m', fires: [] },
  { alert: 'DynamoGpuMemoryFull', series: { [`DCGM_FI_DEV_FB_USED{${gpu}}`]: '79000x30', [`DCGM_FI_DEV_FB_FREE{${gpu}}`]: '1000x30' }, at: '20m', fires: [gpuLabels] },
  { alert: 'DynamoGpuMemoryFull', series: { [`DCGM_FI_DEV_FB_USED{${gpu}}`]: '70000x30', [`DCGM_FI_DEV_FB_FREE{${gpu}}`]: '10000x30' }, at: '20m', fires: [] },
  { alert: 'DynamoGpuIdle', series: { [`DCGM_FI_DEV_GPU_UTIL{${gpu}}`]: '0x200' }, at: '3h10m', fires: [gpuLabels] },
  { alert: 'DynamoGpuIdle', series: { [`DCGM_FI_DEV_GPU_UTIL{${gpu}}`]: '0x150 60x50' }, at: '3h10m', fires: [] },
  // Volumes and the operator.
  { alert: 'DynamoVolumeFilling', series: { 'kubelet_volume_stats_used_bytes{namespace="w",persistentvolumeclaim="model-cache"}': '90x20', 'kubelet_volume_stats_capacity_bytes{namespace="w",persistentvolumeclaim="model-cache"}': '100x20' }, at: '15m', fires: [{ namespace: 'w', persistentvolumeclaim: 'model-cache' }] },
  { alert: 'DynamoVolumeFilling', series: { 'kubelet_volume_stats_used_bytes{namespace="w",persistentvolumeclaim="model-cache"}': '50x20', 'kubelet_volume_stats_capacity_bytes{namespace="w",persistentvolumeclaim="model-cache"}': '100x20' }, at: '15m', fires: [] },
  { alert: 'DynamoOperatorReconcileErrors', series: { 'controller_runtime_reconcile_errors_total{controller="dynamographdeployment"}': '0+60x40' }, at: '30m', fires: [{ controller: 'dynamographdeployment' }] },
  { alert: 'DynamoOperatorReconcileErrors', series: { 'controller_runtime_reconcile_errors_total{controller="dynamographdeployment"}': '5x40' }, at: '30m', fires: [] },
];

/** The rule of an alert (for per-graph rules, the one of the expected alert's graph). */
function ruleOf(alert: string, fires: Record<string, string>) {
  return groups.flatMap((g) => g.rules).filter(isAlert).find((r) => r.alert === alert && (r.labels['graph'] === undefined || r.labels['graph'] === fires['graph']))!;
}

/** The rule labels an alert adds (severity, component, and a graph label on per-graph rules) for one group. */
function ruleLabels(alert: string, fires: Record<string, string>): Record<string, string> {
  return { ...ruleOf(alert, fires).labels };
}

/** The expected alerts of a case: labels, and for ANNOTATED alerts the annotations with the rendered summary. */
function expAlerts(c: Case): Record<string, unknown>[] {
  return c.fires.map((labels, i) => ({
    exp_labels: { ...ruleLabels(c.alert, labels), ...labels },
    ...(ANNOTATED.has(c.alert) && { exp_annotations: { ...ruleOf(c.alert, labels).annotations, summary: c.summaries![i]! } }),
  }));
}

function withoutAnnotations(gs: RuleGroup[]): unknown[] {
  return gs.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlert(r) && !ANNOTATED.has(r.alert) ? { alert: r.alert, expr: r.expr, ...(r.for && { for: r.for }), labels: r.labels } : r)) }));
}

describe.skipIf(!hasBinary('promtool', 'prometheus'))('alert rules under promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
  writeFileSync(join(dir, 'rules-for-tests.yaml'), stringify({ groups: withoutAnnotations(groups) }));

  it('promtool check rules accepts the rule file (expressions and annotation templates)', () => {
    const out = execFileSync('promtool', ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('every alert has a firing case and a silent case below', () => {
    const alerts = new Set(groups.flatMap((g) => g.rules).filter(isAlert).map((r) => r.alert));
    for (const a of alerts) {
      expect(CASES.some((c) => c.alert === a && c.fires.length > 0), `${a} fires somewhere`).toBe(true);
      expect(CASES.some((c) => c.alert === a && c.fires.length === 0), `${a} stays silent somewhere`).toBe(true);
    }
  });

  it('promtool test rules: each alert fires on the series that should fire it and stays silent otherwise', () => {
    const tests = CASES.map((c) => ({
      name: `${c.alert} ${c.fires.length ? 'fires' : 'silent'}`,
      interval: '1m',
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: expAlerts(c) }],
    }));
    writeFileSync(join(dir, 'tests.yaml'), stringify({ rule_files: ['rules-for-tests.yaml'], evaluation_interval: '1m', tests }));
    let out = '';
    try {
      out = execFileSync('promtool', ['test', 'rules', join(dir, 'tests.yaml')], { encoding: 'utf8', cwd: dir, stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`promtool test rules failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
    expect(out).toMatch(/SUCCESS/);
  });
});
