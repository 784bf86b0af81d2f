/**
 * The observability chart of a target (`70-observability`): monitors or a prometheus.yml, the alert rules with each
 * graph's SLA, the alert routing (AlertmanagerConfig), Grafana datasources and dashboards; on GKE, the DCGM exporter
 * (`70-dcgm-exporter`). Cluster-wide objects in several namespaces (platform, workloads, monitoring, GPU Operator or
 * DCGM exporter); applied after the graphs.
 */
import { Chart } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import { selectorLabels } from '../constructs/k8s/common/labels.js';
import { DcgmExporter } from '../constructs/k8s/observability/dcgm-exporter.js';
import { DynamoMonitoring } from '../constructs/k8s/observability/dynamo-monitoring.js';
import type { GraphSlo } from '../constructs/k8s/observability/alert-rules.js';
import type { Spec } from '../spec/schema.js';
import { workerGroups } from '../spec/graphs.js';
import { GPU_OPERATOR_NAMESPACE } from './prerequisites.js';
import { GKE_ACCELERATOR_LABEL, GKE_DRIVER_DIRS, GKE_DRIVER_PATHS } from '../spec/profile/gcp.js';
import { tolerationsFor } from '../spec/profile/gpu-fit.js';
import { cloudProfile } from '../spec/profile/index.js';

export const OBSERVABILITY_CHART = '70-observability';
/** GKE's DCGM exporter, applied just before the observability chart (same `7x-` step of the install, upgrade and teardown plans). */
export const DCGM_EXPORTER_CHART = '70-dcgm-exporter';

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
  // Its own file, before the monitors (`70-dcgm-exporter` sorts first): the DCGM monitor lives in its namespace.
  const dcgm = addGkeDcgmExporter(app, spec);
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
    // The GPU Operator's DCGM exporter (EKS, AKS, and local clusters, which bring their own); ours on GKE, which runs none.
    ...(spec.target === 'gke' ? dcgm && { dcgmNamespace: dcgm.namespace } : { dcgmNamespace: GPU_OPERATOR_NAMESPACE }),
    ...(tempoUrl && { tempoUrl }),
  });
}

/**
 * GKE: NVIDIA's DCGM exporter on every GPU node (GKE's `cloud.google.com/gke-accelerator` label), tolerating every taint
 * of every GPU pool, with GKE's driver directories; Prometheus's namespaces may scrape it.
 */
function addGkeDcgmExporter(app: App, spec: Spec): DcgmExporter | undefined {
  if (spec.target !== 'gke') return undefined;
  const pools = Object.values(cloudProfile(spec).gpuPools);
  if (!pools.length) return undefined;
  return new DcgmExporter(new Chart(app, DCGM_EXPORTER_CHART, { disableResourceNameHashes: true }), 'dcgm-exporter', {
    gpuNodeLabelKey: GKE_ACCELERATOR_LABEL,
    tolerations: tolerationsFor(pools),
    driverDirs: GKE_DRIVER_DIRS,
    driverPaths: GKE_DRIVER_PATHS,
    monitoringNamespaces: spec.platform.networkPolicy.monitoringNamespaces,
    networkPolicy: spec.platform.networkPolicy.enabled,
  });
}
