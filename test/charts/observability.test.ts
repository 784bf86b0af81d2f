/**
 * The observability chart: the real promtool accepts the plain prometheus.yml (the routing's AlertmanagerConfig
 * is checked by amtool in test/constructs/k8s/observability/alertmanager-config.test.ts); monitors and rules validate against the Prometheus operator's schemas; the dashboards are valid JSON
 * whose queries use only metrics the monitors scrape or the rules record; NATS runs its exporter; tracing reaches
 * the graphs; the deploy path installs kube-prometheus-stack before the platform.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { platformPrerequisites } from '../../charts/prerequisites.js';
import { alertRuleGroups } from '../../constructs/k8s/observability/alert-rules.js';
import { dashboards } from '../../constructs/k8s/observability/dashboards.js';
import { knownMetricNames } from '../../constructs/k8s/observability/metrics.js';
import { hasBinary } from '../support/env.js';
import { validateCore } from '../support/kube-validate.js';
import { byKind, type KubeObject, one, specsFrom, synthSpec } from '../support/synth.js';

type Data = KubeObject & { data: Record<string, string> };
const local = synthSpec(specsFrom().local).objects;
const eks = synthSpec(specsFrom().eks).objects;
const inFile = (objs: KubeObject[], kind: string) => objs.filter((o) => o.kind === kind);

describe('observability chart', () => {
  it('clouds: PodMonitors for frontends, workers, planners, NATS, etcd and the operator, a DCGM ServiceMonitor and the rules', async () => {
    expect(inFile(eks, 'PodMonitor').map((m) => m.metadata.name).sort()).toEqual(['dynamo-etcd', 'dynamo-frontend', 'dynamo-nats', 'dynamo-planner', 'dynamo-worker']);
    expect(one(eks, 'ServiceMonitor', 'dynamo-dcgm-exporter').metadata.namespace).toBe('gpu-operator');
    // The operator through its metrics Service: the monitor's selector matches that Service's labels.
    const opMonitor = one(eks, 'ServiceMonitor', 'dynamo-operator') as unknown as { spec: { selector: { matchLabels: Record<string, string> } } };
    const metricsService = one(eks, 'Service', 'dynamo-platform-dynamo-operator-metrics');
    expect(metricsService.metadata.labels).toMatchObject(opMonitor.spec.selector.matchLabels);
    const rule = one(eks, 'PrometheusRule', 'dynamo-alerts') as unknown as { spec: { groups: { name: string }[] } };
    expect(rule.spec.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['dynamo-graphs', 'dynamo-graph-vllm-agg', 'dynamo-graph-vllm-disagg', 'dynamo-nats', 'dynamo-etcd', 'dynamo-gpus']));
    for (const o of eks.filter((x) => x.apiVersion.startsWith('monitoring.coreos.com/'))) expect(await validateCore(o)).toEqual([]);
    const frontend = one(eks, 'PodMonitor', 'dynamo-frontend') as unknown as { spec: { podMetricsEndpoints: { port: string; relabelings: { targetLabel: string }[] }[] } };
    expect(frontend.spec.podMetricsEndpoints[0]!.port).toBe('http');
    expect(frontend.spec.podMetricsEndpoints[0]!.relabelings.map((r) => r.targetLabel)).toEqual(['component', 'graph', 'node']);
    // GKE has no GPU Operator: its DCGM monitor selects our exporter (test/charts/observability-dcgm.test.ts).
    expect(byKind(synthSpec(specsFrom().gke).objects, 'ServiceMonitor').map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['dynamo-system/dynamo-operator', 'dcgm-exporter/dynamo-dcgm-exporter']);
  });

  it('the validator rejects a broken monitor (so a pass means something)', async () => {
    const broken = structuredClone(one(eks, 'PodMonitor', 'dynamo-worker')) as KubeObject & { spec: { podMetricsEndpoints: unknown } };
    broken.spec.podMetricsEndpoints = 'system';
    expect((await validateCore(broken)).length).toBeGreaterThan(0);
  });

  it('NATS runs the Prometheus exporter with the chart\'s flags, and monitoring may scrape it', () => {
    const sts = one(eks, 'StatefulSet', 'dynamo-platform-nats') as unknown as { spec: { template: { spec: { containers: { name: string; image: string; args?: string[] }[] } } } };
    const exporter = sts.spec.template.spec.containers.find((c) => c.name === 'exporter')!;
    expect(exporter.image).toBe('natsio/prometheus-nats-exporter:0.16.0');
    expect(exporter.args).toEqual(expect.arrayContaining(['-prefix=nats', '-varz', '-jsz=all', '-port=7777']));
    const policy = one(eks, 'NetworkPolicy', 'dynamo-platform-nats') as unknown as { spec: { ingress: { ports: { port: number }[] }[] } };
    expect(policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port))).toContain(7777);
  });

  it('Grafana: datasources (Prometheus default) and four dashboards for the sidecar', () => {
    const ds = one(eks, 'ConfigMap', 'dynamo-grafana-datasources') as Data;
    expect(ds.metadata.labels).toMatchObject({ grafana_datasource: '1' });
    const sources = (parse(ds.data['dynamo-datasources.yaml']!) as { datasources: { name: string; isDefault?: boolean }[] }).datasources;
    expect(sources).toEqual([expect.objectContaining({ name: 'Prometheus', isDefault: true })]);
    const boards = byKind(eks, 'ConfigMap').filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1');
    expect(boards.map((b) => b.metadata.name).sort()).toEqual(['dynamo-control-plane-dashboard', 'dynamo-gpus-dashboard', 'dynamo-operator-dashboard', 'dynamo-overview-dashboard']);
  });

  it('every dashboard is valid JSON and queries only metrics the monitors scrape or the rules record', () => {
    const recorded = new Set(alertRuleGroups({ graphs: [] }).flatMap((g) => g.rules).flatMap((r) => ('record' in r ? [r.record] : [])));
    const known = knownMetricNames();
    const FUNCTIONS = new Set(['sum', 'by', 'rate', 'increase', 'histogram_quantile', 'max', 'label_values', 'le', 'graph', 'status', 'pod', 'component', 'error_type', 'controller', 'result', 'resource_type']);
    for (const d of dashboards()) {
      const json = JSON.parse(JSON.stringify(d.json)) as { panels: { targets: { expr: string }[] }[] };
      expect(json.panels.length).toBeGreaterThan(1);
      for (const e of json.panels.flatMap((p) => p.targets.map((t) => t.expr))) {
        const bare = e.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
        const names = (bare.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? []).filter((n) => !FUNCTIONS.has(n) && !/^\d/.test(n));
        for (const n of names) expect(known.has(n) || recorded.has(n), `${d.uid}: ${n} in ${e}`).toBe(true);
      }
    }
  });

  it('tracing: OTLP variables on every graph and Tempo in the datasources; off by default', () => {
    const spec = specsFrom('observability: { tracing: { enabled: true } }').eks;
    const { objects } = synthSpec(spec);
    for (const d of byKind(objects, 'DynamoGraphDeployment')) {
      expect((d as unknown as { spec: { envs: { name: string; value: string }[] } }).spec.envs).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', value: 'http://tempo.monitoring.svc.cluster.local:4317' });
    }
    const sources = (parse((one(objects, 'ConfigMap', 'dynamo-grafana-datasources') as Data).data['dynamo-datasources.yaml']!) as { datasources: { type: string }[] }).datasources;
    expect(sources.map((s) => s.type)).toEqual(['prometheus', 'tempo']);
    for (const d of byKind(eks, 'DynamoGraphDeployment')) expect(JSON.stringify(d)).not.toContain('OTEL_');
  });

  it('the deploy path installs kube-prometheus-stack (selecting every monitor and rule) before the platform; Tempo on request', () => {
    const prereqs = platformPrerequisites(specsFrom('observability: { tracing: { enabled: true, install: true } }').eks);
    const stack = prereqs.find((p) => p.release === 'kube-prometheus-stack')!;
    expect(stack.chart.version).toBe('88.5.3');
    expect(stack.values).toMatchObject({ 'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues': 'false', 'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues': 'false' });
    expect(prereqs.map((p) => p.release)).toContain('tempo');
    expect(platformPrerequisites(specsFrom().local).map((p) => p.release)).not.toContain('kube-prometheus-stack');
  });
});

describe.skipIf(!hasBinary('promtool', 'prometheus'))('local clusters: the plain Prometheus configuration', () => {
  it('promtool check config accepts prometheus.yml with the rule file it names', () => {
    const cm = one(local, 'ConfigMap', 'dynamo-prometheus-config') as Data;
    const dir = mkdtempSync(join(tmpdir(), 'prom-'));
    const config = parse(cm.data['prometheus.yml']!) as Record<string, unknown>;
    const jobs = config['scrape_configs'] as { job_name: string; honor_labels?: boolean; kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[]; relabel_configs: { source_labels?: string[]; regex?: string; action?: string }[] }[];
    // Every job discovers pods through Kubernetes service discovery, in the namespaces of its targets.
    for (const j of jobs.filter((j) => j.job_name !== 'kube-state-metrics')) expect(j.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: expect.any(Array) } }]);
    // kube-state-metrics (the frontend-down and readiness alerts read it) in any namespace, by its Service label,
    // keeping the namespace and pod labels of its series.
    const ksm = jobs.find((j) => j.job_name === 'kube-state-metrics')!;
    expect(ksm.kubernetes_sd_configs).toEqual([{ role: 'endpoints' }]);
    expect(ksm.honor_labels).toBe(true);
    expect(ksm.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name'], regex: 'kube-state-metrics', action: 'keep' });
    expect(jobs.find((j) => j.job_name === 'dynamo-worker')!.kubernetes_sd_configs![0]!.namespaces!.names).toEqual(['dynamo-workloads']);
    // Debian's promtool is built without Kubernetes service discovery: it checks everything else (globals, rule
    // files, alerting, every relabel rule) with the discovery block swapped for an equivalent file discovery.
    const forDebian = { ...config, rule_files: [join(dir, 'dynamo-alerts.yaml')], scrape_configs: jobs.map(({ kubernetes_sd_configs: _k, ...j }) => ({ ...j, file_sd_configs: [{ files: [join(dir, 'targets.json')] }] })) };
    writeFileSync(join(dir, 'targets.json'), '[]');
    writeFileSync(join(dir, 'dynamo-alerts.yaml'), cm.data['dynamo-alerts.yaml']!);
    writeFileSync(join(dir, 'prometheus.yml'), stringify(forDebian));
    const out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
    expect(jobs.map((j) => j.job_name)).toEqual(['dynamo-frontend', 'dynamo-worker', 'dynamo-planner', 'nats', 'etcd', 'dynamo-operator', 'dcgm-exporter', 'kube-state-metrics']);
    expect(byKind(local, 'PodMonitor')).toEqual([]);
  });
});

describe('per-graph readiness', () => {
  it('the worker readiness alert of each graph waits out that graph\'s startup budget (health.startupBudgetSeconds)', () => {
    const spec = specsFrom('graphs: { vllm-agg: { health: { startupBudgetSeconds: 900 } } }').eks;
    const rule = one(synthSpec(spec).objects, 'PrometheusRule', 'dynamo-alerts') as unknown as { spec: { groups: { name: string; rules: { alert?: string; expr: string }[] }[] } };
    const expr = (group: string) => rule.spec.groups.find((g) => g.name === group)!.rules.find((r) => r.alert === 'DynamoWorkerNotReady')!.expr;
    expect(expr('dynamo-graph-vllm-agg')).toContain('[900s]');
    expect(expr('dynamo-graph-vllm-agg')).toContain('> 900');
    expect(expr('dynamo-graph-vllm-disagg')).toContain(`[${spec.graphs['vllm-disagg']!.health.startupBudgetSeconds}s]`);
  });
});
