/**
 * Grafana dashboards, generated: Dynamo overview (requests, TTFT, ITL, tokens per second, errors, queue), GPUs
 * (DCGM), control plane (NATS, etcd) and the operator. Every query uses metrics the monitors scrape (METRICS) or
 * the recording rules; a test checks that.
 */
import { METRICS as M } from './metrics.js';

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly json: Record<string, unknown>;
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly exprs: readonly { readonly expr: string; readonly legend: string }[];
}

function dashboard(uid: string, title: string, panels: readonly Panel[], variables: readonly { name: string; query: string }[] = []): Dashboard {
  return {
    uid,
    title,
    json: {
      uid,
      title,
      tags: ['dynamo', 'dynamo-iac'],
      schemaVersion: 39,
      version: 1,
      editable: false,
      time: { from: 'now-6h', to: 'now' },
      refresh: '30s',
      templating: {
        list: [
          { name: 'datasource', type: 'datasource', query: 'prometheus', current: { text: 'Prometheus', value: 'prometheus' } },
          ...variables.map((v) => ({ name: v.name, type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' }, query: v.query, includeAll: true, multi: true, refresh: 2 })),
        ],
      },
      panels: panels.map((p, i) => ({
        id: i + 1,
        type: 'timeseries',
        title: p.title,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        targets: p.exprs.map((e, j) => ({ refId: String.fromCharCode(65 + j), expr: e.expr, legendFormat: e.legend })),
      })),
    },
  };
}

const G = '{graph=~"$graph"}';

export function dashboards(): Dashboard[] {
  const F = M.frontend;
  const overview = dashboard(
    'dynamo-overview',
    'Dynamo / Overview',
    [
      { title: 'Requests per second', unit: 'reqps', exprs: [{ expr: `sum by (graph, status) (rate(${F.requests}${G}[5m]))`, legend: '{{graph}} {{status}}' }] },
      { title: 'Error ratio', unit: 'percentunit', exprs: [{ expr: `dynamo:frontend_error_ratio:rate5m${G}`, legend: '{{graph}}' }] },
      { title: 'Time to first token (p50, p95)', unit: 's', exprs: [
        { expr: `histogram_quantile(0.5, sum by (graph, le) (rate(${F.ttft}_bucket${G}[5m])))`, legend: '{{graph}} p50' },
        { expr: `dynamo:frontend_ttft_seconds:p95_5m${G}`, legend: '{{graph}} p95' },
      ] },
      { title: 'Inter-token latency (p50, p95)', unit: 's', exprs: [
        { expr: `histogram_quantile(0.5, sum by (graph, le) (rate(${F.itl}_bucket${G}[5m])))`, legend: '{{graph}} p50' },
        { expr: `dynamo:frontend_itl_seconds:p95_5m${G}`, legend: '{{graph}} p95' },
      ] },
      { title: 'Output tokens per second', unit: 'short', exprs: [{ expr: `sum by (graph) (rate(${F.outputTokens}${G}[5m]))`, legend: '{{graph}}' }] },
      { title: 'Queued and in-flight requests', unit: 'short', exprs: [
        { expr: `sum by (graph) (${F.queued}${G})`, legend: '{{graph}} queued' },
        { expr: `sum by (graph) (${F.inflight}${G})`, legend: '{{graph}} in flight' },
      ] },
      { title: 'Worker errors', unit: 'short', exprs: [{ expr: `sum by (graph, error_type) (rate(${M.worker.errors}${G}[5m]))`, legend: '{{graph}} {{error_type}}' }] },
      { title: 'KV cache usage', unit: 'percentunit', exprs: [{ expr: `max by (graph, pod) (${M.worker.kvCacheUsage}${G})`, legend: '{{pod}}' }] },
    ],
    [{ name: 'graph', query: `label_values(${F.requests}, graph)` }],
  );
  const gpu = dashboard('dynamo-gpus', 'Dynamo / GPUs', [
    { title: 'GPU utilization', unit: 'percent', exprs: [{ expr: `${M.gpu.utilization}`, legend: '{{Hostname}} GPU {{gpu}}' }] },
    { title: 'GPU memory used', unit: 'percentunit', exprs: [{ expr: `${M.gpu.memoryUsed} / (${M.gpu.memoryUsed} + ${M.gpu.memoryFree})`, legend: '{{Hostname}} GPU {{gpu}}' }] },
    { title: 'GPU temperature', unit: 'celsius', exprs: [{ expr: `${M.gpu.temperature}`, legend: '{{Hostname}} GPU {{gpu}}' }] },
    { title: 'GPU power', unit: 'watt', exprs: [{ expr: `${M.gpu.power}`, legend: '{{Hostname}} GPU {{gpu}}' }] },
    { title: 'XID errors', unit: 'short', exprs: [{ expr: `${M.gpu.xid} != 0`, legend: '{{Hostname}} GPU {{gpu}}' }] },
  ]);
  const control = dashboard('dynamo-control-plane', 'Dynamo / Control plane', [
    { title: 'NATS and etcd up', unit: 'short', exprs: [{ expr: `sum by (component) (${M.up}{component=~"nats|etcd"})`, legend: '{{component}}' }] },
    { title: 'JetStream storage used', unit: 'percentunit', exprs: [{ expr: `${M.nats.storageUsed} / ${M.nats.storageMax}`, legend: '{{pod}}' }] },
    { title: 'NATS connections and slow consumers', unit: 'short', exprs: [
      { expr: `${M.nats.connections}`, legend: '{{pod}} connections' },
      { expr: `increase(${M.nats.slowConsumers}[5m])`, legend: '{{pod}} slow consumers' },
    ] },
    { title: 'etcd leader and leader changes', unit: 'short', exprs: [
      { expr: `${M.etcd.hasLeader}`, legend: '{{pod}} has leader' },
      { expr: `increase(${M.etcd.leaderChanges}[1h])`, legend: '{{pod}} changes' },
    ] },
    { title: 'etcd WAL fsync p99', unit: 's', exprs: [{ expr: `histogram_quantile(0.99, sum by (pod, le) (rate(${M.etcd.fsync}_bucket[5m])))`, legend: '{{pod}}' }] },
    { title: 'etcd database size', unit: 'percentunit', exprs: [{ expr: `${M.etcd.dbSize} / ${M.etcd.quota}`, legend: '{{pod}}' }] },
  ]);
  const operator = dashboard('dynamo-operator', 'Dynamo / Operator', [
    { title: 'Reconciles per second', unit: 'ops', exprs: [{ expr: `sum by (controller, result) (rate(${M.operator.reconcileTotal}[5m]))`, legend: '{{controller}} {{result}}' }] },
    { title: 'Reconcile errors', unit: 'ops', exprs: [
      { expr: `sum by (controller) (rate(${M.operator.reconcileErrors}[5m]))`, legend: '{{controller}}' },
      { expr: `sum by (resource_type, error_type) (rate(${M.operator.dynamoReconcileErrors}[5m]))`, legend: '{{resource_type}} {{error_type}}' },
    ] },
  ]);
  return [overview, gpu, control, operator];
}
