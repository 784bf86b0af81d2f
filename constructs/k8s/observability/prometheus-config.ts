/**
 * A plain `prometheus.yml` for clusters without the Prometheus operator: Kubernetes service discovery of the same
 * targets the monitors select (Dynamo frontends, workers and planners by pod labels and named ports, NATS's
 * exporter, etcd, the operator, the DCGM exporter), the alert rule files, and Alertmanager.
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

/** The service-discovery meta label of a pod label (Prometheus replaces every character outside [A-Za-z0-9_] by `_`). */
export const podLabelMeta = (label: string): string => `__meta_kubernetes_pod_label_${label.replace(/[^A-Za-z0-9]/g, '_')}`;
const keepLabel = (label: string, value: string) => ({ source_labels: [podLabelMeta(label)], regex: value, action: 'keep' });
const keepPort = (name: string) => ({ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: name, action: 'keep' });
const commonRelabels = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
  { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_instance'], target_label: 'graph' },
];

export function prometheusConfig(p: PrometheusConfigProps): Record<string, unknown> {
  const pods = (job: string, namespaces: string[], relabel: object[], last: object[] = []) => ({
    job_name: job,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: namespaces } }],
    relabel_configs: [...relabel, ...commonRelabels, ...last],
  });
  const graph = (component: string, port: string, portNumber: number) =>
    pods(`dynamo-${component}`, [p.workloadNamespace], [
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
      graph('worker', 'system', WORKER_SYSTEM_PORT),
      graph('planner', 'metrics', PLANNER_METRICS_PORT),
      pods('nats', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'nats'), keepPort('metrics')]),
      pods('etcd', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'etcd'), keepPort('client')]),
      pods('dynamo-operator', [p.platformNamespace], [keepLabel('app.kubernetes.io/name', 'dynamo-operator'), keepPort('metrics')]),
      pods('dcgm-exporter', [], [keepLabel('app', 'nvidia-dcgm-exporter'), keepPort('metrics')]),
    ],
  };
}
