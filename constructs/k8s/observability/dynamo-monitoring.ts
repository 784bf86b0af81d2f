/**
 * DynamoMonitoring: what a Prometheus, an Alertmanager and a Grafana need to watch Dynamo.
 *
 * - With the Prometheus operator: PodMonitors for the graphs' frontends (`http`), workers (`system`) and planners
 *   (`metrics`), for the NATS exporter and etcd, ServiceMonitors for the Dynamo operator's metrics Service and the
 *   DCGM exporter (the GPU Operator's, or DcgmExporter on GKE), and the alert rules as a PrometheusRule. Every target gets `component`, `graph` and `node` labels.
 * - Without it: a `prometheus.yml` with Kubernetes service discovery of the same targets, and the rule file.
 * - With the operator, the alert routing as an AlertmanagerConfig (alertmanager-config.ts). Always: Grafana datasources (Prometheus as default, Tempo when tracing
 *   is on) and the dashboards, as ConfigMaps the Grafana sidecar loads (`grafana_dashboard: "1"`).
 */
import { JsonApiObject } from '../common/json-api-object.js';
import { KubeConfigMap } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { yamlText } from '../common/yaml-text.js';
import { MANAGED_BY } from '../common/labels.js';
import { ALERTMANAGER_CONFIG_SELECTOR, alertmanagerConfigSpec } from './alertmanager-config.js';
import type { AlertingSpec } from '../../../spec/alerting.js';
import { NON_LEADER_DROP } from './multinode.js';
import { alertRuleGroups, type GraphSlo } from './alert-rules.js';
import { dashboards } from './dashboards.js';
import { DCGM_EXPORTER } from './dcgm-counters.js';
import { prometheusConfig } from './prometheus-config.js';
import { GRAPH_LABEL, graphPodSelector } from '../graph/pod-labels.js';
import { podLabelMeta } from './prometheus-config.js';

export interface MonitoredSelectors {
  /** Pod labels of NATS, etcd and the operator. */
  readonly nats?: Readonly<Record<string, string>>;
  readonly etcd?: Readonly<Record<string, string>>;
  readonly operator?: Readonly<Record<string, string>>;
}

export interface DynamoMonitoringProps {
  /** Namespace of the rules, dashboards and configuration. @default 'monitoring' */
  readonly namespace?: string;
  readonly platformNamespace: string;
  readonly workloadNamespace: string;
  readonly selectors: MonitoredSelectors;
  readonly graphs: readonly GraphSlo[];
  /** Emit the Prometheus operator's resources (its CRDs must be installed). @default true */
  readonly prometheusOperator?: boolean;
  /** Namespace of the DCGM exporter (the GPU Operator's, or DcgmExporter's: both labelled DCGM_EXPORTER). @default - no DCGM monitor */
  readonly dcgmNamespace?: string;
  /** Tempo's query URL for the Grafana datasource, when tracing is on. */
  readonly tempoUrl?: string;
  /** Prometheus's URL for the Grafana datasource. @default the kube-prometheus-stack service in the namespace */
  readonly prometheusUrl?: string;
  /** Receivers and repeat interval of the AlertmanagerConfig (Prometheus operator only). @default no receivers, 4h */
  readonly alerting?: AlertingSpec;
  /** The runbooks file each alert links to. @default the repository's docs/runbooks.md */
  readonly runbookBaseUrl?: string;
}

const M_LABEL = { 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': 'dynamo-observability' };

export class DynamoMonitoring extends Construct {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DynamoMonitoringProps) {
    super(scope, id);
    const ns = (this.namespace = props.namespace ?? 'monitoring');
    const meta = (name: string, namespace = ns, labels: Record<string, string> = {}) => ({ name, namespace, labels: { ...M_LABEL, ...labels } });
    const groups = alertRuleGroups({ graphs: props.graphs, ...(props.runbookBaseUrl && { runbookBase: props.runbookBaseUrl }) });

    if (props.prometheusOperator !== false) {
      const relabel = (component: string, graphLabel: string) => [
        { targetLabel: 'component', replacement: component },
        { sourceLabels: [podLabelMeta(graphLabel)], targetLabel: 'graph' },
        { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      ];
      const podMonitor = (name: string, namespace: string, selector: Readonly<Record<string, string>>, port: string, component: string, graphLabel = 'app.kubernetes.io/instance', drop: readonly Record<string, unknown>[] = []) =>
        new JsonApiObject(this, name, {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PodMonitor',
          metadata: meta(name, namespace),
          spec: {
            selector: { matchLabels: { ...selector } },
            namespaceSelector: { matchNames: [namespace] },
            podMetricsEndpoints: [{ port, path: '/metrics', interval: '15s', relabelings: [...drop, ...relabel(component, graphLabel)] }],
          },
        });
      podMonitor('dynamo-frontend', props.workloadNamespace, graphPodSelector({ component: 'frontend' }), 'http', 'frontend', GRAPH_LABEL);
      // Non-leader pods of multinode workers serve nothing on the system port: not scraped.
      podMonitor('dynamo-worker', props.workloadNamespace, graphPodSelector({ component: 'worker' }), 'system', 'worker', GRAPH_LABEL, NON_LEADER_DROP);
      podMonitor('dynamo-planner', props.workloadNamespace, graphPodSelector({ component: 'planner' }), 'metrics', 'planner', GRAPH_LABEL);
      if (props.selectors.nats) podMonitor('dynamo-nats', props.platformNamespace, props.selectors.nats, 'metrics', 'nats');
      if (props.selectors.etcd) podMonitor('dynamo-etcd', props.platformNamespace, props.selectors.etcd, 'client', 'etcd');
      if (props.selectors.operator) {
        // The operator's metrics Service (its labels carry the same selector).
        new JsonApiObject(this, 'dynamo-operator', {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: meta('dynamo-operator', props.platformNamespace),
          spec: {
            selector: { matchLabels: { ...props.selectors.operator } },
            namespaceSelector: { matchNames: [props.platformNamespace] },
            endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', relabelings: [{ targetLabel: 'component', replacement: 'operator' }] }],
          },
        });
      }
      const dcgm = props.dcgmNamespace;
      if (dcgm) new JsonApiObject(this, 'dcgm', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: meta('dynamo-dcgm-exporter', dcgm),
        spec: {
          selector: { matchLabels: { ...DCGM_EXPORTER.selector } },
          namespaceSelector: { matchNames: [dcgm] },
          endpoints: [{ port: DCGM_EXPORTER.servicePort, interval: '15s', relabelings: [{ targetLabel: 'component', replacement: 'gpu' }] }],
        },
      });
      new JsonApiObject(this, 'rules', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: meta('dynamo-alerts'),
        spec: { groups },
      });
    } else {
      new KubeConfigMap(this, 'prometheus-config', {
        metadata: meta('dynamo-prometheus-config'),
        data: {
          'prometheus.yml': yamlText(prometheusConfig({ platformNamespace: props.platformNamespace, workloadNamespace: props.workloadNamespace })),
          'dynamo-alerts.yaml': yamlText({ groups }),
        },
      });
    }

    if (props.prometheusOperator !== false) {
      // Loaded by an Alertmanager that selects this label with alertmanagerConfigMatcherStrategy None.
      new JsonApiObject(this, 'alertmanager-config', {
        apiVersion: 'monitoring.coreos.com/v1alpha1',
        kind: 'AlertmanagerConfig',
        metadata: meta('dynamo-alerts', ns, { ...ALERTMANAGER_CONFIG_SELECTOR }),
        spec: alertmanagerConfigSpec(props.alerting ?? { receivers: [], repeatInterval: '4h' }),
      });
    }

    const prometheusUrl = props.prometheusUrl ?? `http://kube-prometheus-stack-prometheus.${ns}.svc.cluster.local:9090`;
    new KubeConfigMap(this, 'datasources', {
      metadata: meta('dynamo-grafana-datasources', ns, { grafana_datasource: '1' }),
      data: {
        'dynamo-datasources.yaml': yamlText({
          apiVersion: 1,
          datasources: [
            { name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: prometheusUrl, isDefault: true },
            ...(props.tempoUrl ? [{ name: 'Tempo', uid: 'tempo', type: 'tempo', access: 'proxy', url: props.tempoUrl }] : []),
          ],
        }),
      },
    });
    for (const d of dashboards()) {
      new KubeConfigMap(this, `dashboard-${d.uid}`, {
        metadata: meta(`${d.uid}-dashboard`, ns, { grafana_dashboard: '1' }),
        data: { [`${d.uid}.json`]: JSON.stringify(d.json, null, 2) },
      });
    }
  }
}
