/**
 * A plain `prometheus.yml` for clusters without the Prometheus operator: Kubernetes service discovery of the same
 * targets the monitors select (Dynamo frontends, workers and planners by pod labels and named ports, NATS's
 * exporter, etcd, the operator, the DCGM exporter), kube-state-metrics, the alert rule files, and Alertmanager.
 *
 * kube-state-metrics (any namespace, found by its Service label `app.kubernetes.io/name: kube-state-metrics`) feeds
 * the frontend-down and readiness alerts; it must run with
 * `--metric-labels-allowlist=pods=[dynamo-iac.io/app,dynamo-iac.io/graph,dynamo-iac.io/component]` (KSM_POD_LABELS),
 * or `kube_pod_labels` carries none of our labels and DynamoGraphLabelsMissing fires.
 */
import { FRONTEND_HTTP_PORT, PLANNER_METRICS_PORT, WORKER_SYSTEM_PORT } from '../graph/health.js';
import { APP_LABEL, COMPONENT_LABEL, GRAPH_APP, GRAPH_LABEL } from '../graph/pod-labels.js';

export interface PrometheusConfigProps {
  readonly platformNamespace: string;
  readonly workloadNamespace: string;
  /** @default 'alertmanager-operated:9093' in the monitoring namespace */
  readonly alertmanager?: string;
  /** @default ['/etc/prometheus/rules/*.yaml'] */
  readonly ruleFiles?: readonly string[];
}

import { podLabelMeta } from './pod-label-meta.js';
import { GROVE_PODCLIQUE_LABEL, LWS_WORKER_INDEX_LABEL, NON_LEADER_PODCLIQUE, NON_LEADER_WORKER_INDEX } from './multinode.js';
import { DCGM_EXPORTER } from './dcgm-counters.js';

export { podLabelMeta };
const keepLabel = (label: string, value: string) => ({ source_labels: [podLabelMeta(label)], regex: value, action: 'keep' });
const keepPort = (name: string) => ({ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: name, action: 'keep' });
const commonRelabels = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
  { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_instance'], target_label: 'graph' },
];

/**
 * kube-state-metrics through its Service's endpoints, in any namespace. Its series carry the pod's own `namespace` and
 * `pod` labels: `honor_labels` keeps them (as kube-prometheus-stack's monitor of it does).
 */
export const KUBE_STATE_METRICS_JOB = {
  job_name: 'kube-state-metrics',
  honor_labels: true,
  kubernetes_sd_configs: [{ role: 'endpoints' }],
  relabel_configs: [
    { source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name'], regex: 'kube-state-metrics', action: 'keep' },
    // The chart names the metrics port `http`, the upstream manifests `http-metrics`; not the telemetry port.
    { source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: 'http|http-metrics', action: 'keep' },
  ],
} as const;

export function prometheusConfig(p: PrometheusConfigProps): Record<string, unknown> {
  const pods = (job: string, namespaces: string[], relabel: object[], last: object[] = []) => ({
    job_name: job,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: namespaces } }],
    relabel_configs: [...relabel, ...commonRelabels, ...last],
  });
  const graph = (component: string, port: string, portNumber: number, drop: object[] = []) =>
    pods(`dynamo-${component}`, [p.workloadNamespace], [
      ...drop,
      keepLabel(APP_LABEL, GRAPH_APP),
      keepLabel(COMPONENT_LABEL, component),
      keepPort(port),
      { target_label: 'component', replacement: component },
      { source_labels: ['__meta_kubernetes_pod_ip'], target_label: '__address__', replacement: `$1:${portNumber}` },
    ], [{ source_labels: [podLabelMeta(GRAPH_LABEL)], target_label: 'graph' }]);
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: [...(p.ruleFiles ?? ['/etc/prometheus/rules/*.yaml'])],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [p.alertmanager ?? 'alertmanager-operated:9093'] }] }] },
    scrape_configs: [
      graph('frontend', 'http', FRONTEND_HTTP_PORT),
      // Non-leader pods of multinode workers serve nothing on the system port (multinode.ts).
      graph('worker', 'system', WORKER_SYSTEM_PORT, [
        { source_labels: [podLabelMeta(GROVE_PODCLIQUE_LABEL)], regex: NON_LEADER_PODCLIQUE, action: 'drop' },
        { source_labels: [podLabelMeta(LWS_WORKER_INDEX_LABEL)], regex: NON_LEADER_WORKER_INDEX, action: 'drop' },
      ]),
      graph('planner', 'metrics', PLANNER_METRICS_PORT),
      pods('nats', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'nats'), keepPort('metrics')]),
      pods('etcd', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'etcd'), keepPort('client')]),
      pods('dynamo-operator', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'dynamo-operator'), keepPort('metrics')]),
      pods('dcgm-exporter', [], [keepLabel('app', DCGM_EXPORTER.selector.app), keepPort(DCGM_EXPORTER.containerPort)]),
      KUBE_STATE_METRICS_JOB,
    ],
  };
}
