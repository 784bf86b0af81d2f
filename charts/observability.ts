/**
 * The observability chart of a target (`70-observability`): monitors or a prometheus.yml, the alert rules with each
 * graph's SLA, the alert routing (AlertmanagerConfig), Grafana datasources and dashboards. Cluster-wide objects in several
 * namespaces (platform, workloads, monitoring, GPU Operator); applied after the graphs.
 */
import { Chart } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import { selectorLabels } from '../constructs/k8s/common/labels.js';
import { DynamoMonitoring } from '../constructs/k8s/observability/dynamo-monitoring.js';
import type { GraphSlo } from '../constructs/k8s/observability/alert-rules.js';
import type { Spec } from '../spec/schema.js';
import { workerGroups } from '../spec/graphs.js';

export const OBSERVABILITY_CHART = '70-observability';

/** The service levels of the enabled graphs; a graph is replicated when any worker group has more than one replica. */
export function graphSlos(spec: Spec): GraphSlo[] {
  return Object.entries(spec.graphs)
    .filter(([, g]) => g.enabled)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, g]) => ({ name, ttftP95Ms: g.slo.ttftP95Ms, itlP95Ms: g.slo.itlP95Ms, replicated: workerGroups(g).some(({ group }) => group.replicas > 1), startupBudgetSeconds: g.health.startupBudgetSeconds }));
}

/** The OTLP variables every Dynamo component gets when tracing is on. */
export function tracingEnv(spec: Spec): { name: string; value: string }[] {
  const t = spec.observability.tracing;
  return t.enabled
    ? [
        { name: 'OTEL_EXPORT_ENABLED', value: 'true' },
        { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', value: t.endpoint },
      ]
    : [];
}

export function addObservabilityChart(app: App, spec: Spec): DynamoMonitoring | undefined {
  const o = spec.observability;
  if (!o.enabled) return undefined;
  const p = spec.platform;
  const chart = new Chart(app, OBSERVABILITY_CHART, { disableResourceNameHashes: true });
  const tempoUrl = o.tracing.enabled ? `http://tempo.${o.namespace}.svc.cluster.local:3100` : undefined;
  return new DynamoMonitoring(chart, 'monitoring', {
    namespace: o.namespace,
    platformNamespace: p.namespace,
    workloadNamespace: spec.workloads.namespace,
    selectors: {
      ...(p.nats.enabled && { nats: selectorLabels({ name: 'nats', instance: `${p.releaseName}-nats` }) }),
      ...(p.etcd.enabled && { etcd: selectorLabels({ name: 'etcd', instance: `${p.releaseName}-etcd` }) }),
      ...(p.operator.enabled && { operator: selectorLabels({ name: 'dynamo-operator', instance: `${p.releaseName}-dynamo-operator` }) }),
    },
    graphs: graphSlos(spec),
    alerting: o.alerting,
    runbookBaseUrl: o.runbookBaseUrl,
    prometheusOperator: o.prometheusOperator,
    // The GPU Operator's DCGM exporter; GKE runs its own GPU monitoring and no GPU Operator.
    ...(spec.target !== 'gke' && { dcgmNamespace: 'gpu-operator' }),
    ...(tempoUrl && { tempoUrl }),
  });
}
