/**
 * GPU telemetry on every cloud: `dist/<target>` carries exactly one DCGM scrape object, and it reaches a running
 * exporter. On GKE (no GPU Operator) the exporter is ours: the ServiceMonitor selects our Service by the labels it
 * carries, in its namespace, by a port name the Service has, whose target is a named port of the exporter container,
 * whose pods the Service selects; Prometheus (kube-prometheus-stack, selecting every monitor) may reach that port
 * through the namespace's default-deny; without the Prometheus operator the plain prometheus.yml job keeps the same
 * pods and port. The exporter collects every DCGM metric the alert rules read. On EKS and AKS the GPU Operator's
 * exporter is scraped and nothing of ours duplicates it.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { helmInstallCommand, platformPrerequisites } from '../../charts/prerequisites.js';
import { nestDotted } from '../../constructs/cloud/deploy/kubernetes-layer.js';
import { alertRuleGroups } from '../../constructs/k8s/observability/alert-rules.js';
import { dashboards } from '../../constructs/k8s/observability/dashboards.js';
import { VERSIONS, imageString } from '../../spec/versions.js';
import { byKind, type KubeObject, one, specsFrom, synthSpec } from '../support/synth.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const subset = (want: Record<string, string>, have: Record<string, string> = {}) => Object.entries(want).every(([k, v]) => have[k] === v);
const isDcgmMonitor = (o: KubeObject) => (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') && /dcgm/.test(o.metadata.name);
const dcgmImage = (o: KubeObject) => JSON.stringify(o).includes(VERSIONS.nvidia.dcgmExporterImage.repository);

/** Whether a NetworkPolicy ingress peer admits pods of namespace `ns` (any pod of it). */
function admitsNamespace(peer: Json, ns: string): boolean {
  if (peer['podSelector'] && Object.keys(peer['podSelector']).length) return false;
  const sel = peer['namespaceSelector'] as Json | undefined;
  if (!sel) return false;
  const labels = { 'kubernetes.io/metadata.name': ns };
  const exprs = ((sel['matchExpressions'] ?? []) as Json[]).every((e) => e['operator'] === 'In' && (e['values'] as string[]).includes(labels[e['key'] as keyof typeof labels]));
  return exprs && subset((sel['matchLabels'] ?? {}) as Record<string, string>, labels);
}

/** Whether the policies of `namespace` let pods of `from` reach `port` (number or name) on pods labelled `podLabels`. */
function ingressAllowed(objects: KubeObject[], namespace: string, podLabels: Record<string, string>, from: string, port: number, portName: string): boolean {
  const policies = byKind(objects, 'NetworkPolicy').filter((p) => p.metadata.namespace === namespace) as unknown as Json[];
  const selecting = policies.filter((p) => subset((p['spec']['podSelector']['matchLabels'] ?? {}) as Record<string, string>, podLabels));
  return selecting.some((p) =>
    ((p['spec']['ingress'] ?? []) as Json[]).some(
      (rule) => ((rule['from'] ?? []) as Json[]).some((peer) => admitsNamespace(peer, from)) && ((rule['ports'] ?? []) as Json[]).some((q) => q['port'] === port || q['port'] === portName),
    ),
  );
}

/** The DCGM fields a collectors file (dcgm-exporter's `field, type, help` CSV) collects. */
const collectedFields = (csv: string) => new Set(csv.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).map((l) => l.split(',')[0]!.trim()));

/** Every DCGM field an alert rule or a dashboard reads is in the collectors file. */
function expectCollectsEveryMetricRead(csv: string): void {
  const collected = collectedFields(csv);
  const exprs = [...alertRuleGroups({ graphs: [] }).flatMap((g) => g.rules).map((r) => r.expr), ...dashboards().flatMap((d) => JSON.stringify(d.json).match(/DCGM_FI_[A-Z0-9_]+/g) ?? [])];
  const read = new Set(exprs.flatMap((e) => e.match(/DCGM_FI_[A-Z0-9_]+/g) ?? []));
  expect(read.size).toBeGreaterThan(4);
  expect(read).toContain('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL');
  for (const m of read) expect(collected, m).toContain(m);
}

describe('GKE: dist/gke scrapes DCGM from our exporter', () => {
  const spec = specsFrom().gke;
  const objects = synthSpec(spec).objects;
  const monitors = objects.filter(isDcgmMonitor);

  it('one DCGM ServiceMonitor -> our Service (labels, namespace, port name) -> the exporter pods and their named port', () => {
    expect(monitors).toHaveLength(1);
    const monitor = monitors[0] as unknown as Json;
    const ns = monitor['metadata']['namespace'] as string;
    const services = byKind(objects, 'Service').filter((s) => (monitor['spec']['namespaceSelector']['matchNames'] as string[]).includes(s.metadata.namespace!) && subset(monitor['spec']['selector']['matchLabels'], s.metadata.labels));
    expect(services).toHaveLength(1);
    const service = services[0] as unknown as Json;
    const endpointPort = monitor['spec']['endpoints'][0]['port'] as string;
    const servicePort = (service['spec']['ports'] as Json[]).find((p) => p['name'] === endpointPort);
    expect(servicePort, `Service port named ${endpointPort}`).toBeDefined();
    const daemonSet = one(objects, 'DaemonSet') as unknown as Json;
    expect(daemonSet['metadata']['namespace']).toBe(ns);
    const pod = daemonSet['spec']['template'];
    expect(subset(service['spec']['selector'], pod['metadata']['labels']), 'the Service selects the exporter pods').toBe(true);
    expect(subset(daemonSet['spec']['selector']['matchLabels'], pod['metadata']['labels'])).toBe(true);
    const container = (pod['spec']['containers'] as Json[]).find((c) => c['image'] === imageString(VERSIONS.nvidia.dcgmExporterImage))!;
    const named = (container['ports'] as Json[]).find((p) => p['name'] === servicePort!['targetPort']);
    expect(named, `container port named ${String(servicePort!['targetPort'])}`).toBeDefined();
    // The exporter listens where the port says.
    expect((container['env'] as Json[]).find((e) => e['name'] === 'DCGM_EXPORTER_LISTEN')!['value']).toBe(`:${named!['containerPort']}`);
  });

  it('kube-prometheus-stack selects the monitor, and its namespace may reach the exporter through the default-deny', () => {
    const stack = platformPrerequisites(spec).find((p) => p.release === 'kube-prometheus-stack')!;
    expect(stack.values['prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues']).toBe('false');
    const daemonSet = one(objects, 'DaemonSet') as unknown as Json;
    const labels = daemonSet['spec']['template']['metadata']['labels'] as Record<string, string>;
    const port = (daemonSet['spec']['template']['spec']['containers'][0]['ports'] as Json[])[0]!;
    expect(ingressAllowed(objects, daemonSet['metadata']['namespace'], labels, stack.namespace, port['containerPort'], port['name'])).toBe(true);
    // The check is live: another namespace is not admitted.
    expect(ingressAllowed(objects, daemonSet['metadata']['namespace'], labels, spec.workloads.namespace, port['containerPort'], port['name'])).toBe(false);
  });

  it('without the Prometheus operator, the prometheus.yml DCGM job keeps the exporter pods and port', () => {
    const plain = synthSpec(specsFrom('targets: { gke: { observability: { prometheusOperator: false, installStack: false } } }').gke).objects;
    const config = parse((one(plain, 'ConfigMap', 'dynamo-prometheus-config') as unknown as { data: Record<string, string> }).data['prometheus.yml']!) as Json;
    const job = (config['scrape_configs'] as Json[]).find((j) => j['job_name'] === 'dcgm-exporter')!;
    const keeps = (job['relabel_configs'] as Json[]).filter((r) => r['action'] === 'keep');
    const pod = (one(plain, 'DaemonSet') as unknown as Json)['spec']['template'];
    const meta: Record<string, string> = {
      ...Object.fromEntries(Object.entries(pod['metadata']['labels'] as Record<string, string>).map(([k, v]) => [`__meta_kubernetes_pod_label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`, v])),
      __meta_kubernetes_pod_container_port_name: pod['spec']['containers'][0]['ports'][0]['name'],
    };
    const kept = (m: Record<string, string>) => keeps.every((k) => new RegExp(`^(?:${k['regex']})$`).test((k['source_labels'] as string[]).map((l) => m[l] ?? '').join(';')));
    expect(keeps.length).toBeGreaterThan(0);
    expect(kept(meta)).toBe(true);
    // Live: another port of the same pods is not scraped.
    expect(kept({ ...meta, __meta_kubernetes_pod_container_port_name: 'other' })).toBe(false);
  });

  it('the exporter collects every DCGM metric the alert rules and dashboards read', () => {
    const csv = (one(objects, 'ConfigMap', 'nvidia-dcgm-exporter') as unknown as { data: Record<string, string> }).data['counters.csv']!;
    expectCollectsEveryMetricRead(csv);
    const daemonSet = one(objects, 'DaemonSet') as unknown as Json;
    const env = daemonSet['spec']['template']['spec']['containers'][0]['env'] as Json[];
    const mounts = daemonSet['spec']['template']['spec']['containers'][0]['volumeMounts'] as Json[];
    const collectors = env.find((e) => e['name'] === 'DCGM_EXPORTER_COLLECTORS')!['value'] as string;
    const mount = mounts.find((m) => collectors.startsWith(`${m['mountPath']}/`))!;
    expect((daemonSet['spec']['template']['spec']['volumes'] as Json[]).find((v) => v['name'] === mount['name'])!['configMap']['name']).toBe('nvidia-dcgm-exporter');
    expect(collectors.slice(mount['mountPath'].length + 1)).toBe('counters.csv');
  });
});

describe.each(['eks', 'aks'] as const)('%s: the GPU Operator\'s exporter, scraped once, not duplicated', (target) => {
  const spec = specsFrom()[target];
  const objects = synthSpec(spec).objects;

  it('one DCGM ServiceMonitor in the GPU Operator\'s namespace, no exporter of ours', () => {
    const monitors = objects.filter(isDcgmMonitor);
    expect(monitors).toHaveLength(1);
    const operator = platformPrerequisites(spec).find((p) => p.release === 'gpu-operator')!;
    expect(monitors[0]!.metadata.namespace).toBe(operator.namespace);
    // The operator runs its exporter (not switched off by a value).
    expect(Object.keys(operator.values).filter((k) => k.startsWith('dcgmExporter'))).toEqual([]);
    expect(objects.filter(dcgmImage).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(byKind(objects, 'Namespace').map((n) => n.metadata.name)).not.toContain('dcgm-exporter');
  });

  it('the exporter collects every DCGM metric the alert rules and dashboards read: our counters, on the deploy path and in the install command', () => {
    const operator = platformPrerequisites(spec).find((p) => p.release === 'gpu-operator')!;
    // The deploy path: the release's values YAML, as the chart reads them (v25.10.1 templates/dcgm_exporter_config.yaml
    // creates ConfigMap `config.name` with key dcgm-metrics.csv from `config.data` when `config.create`; the operator
    // mounts it as the exporter's collectors file when `config.name` is set).
    const values = parse(stringify(nestDotted(operator.jsonValues!))) as Json;
    const config = values['dcgmExporter']['config'] as Json;
    expect(config['name']).toMatch(/^[a-z0-9-]+$/);
    expect(config['create']).toBe(true);
    expectCollectsEveryMetricRead(config['data'] as string);
    // The README's command: the same object through --set-json, inside single quotes the shell keeps whole.
    const command = helmInstallCommand(operator);
    const m = /--set-json '(dcgmExporter\.config)=([^']*)'/.exec(command);
    expect(m, command).not.toBeNull();
    expect(JSON.parse(m![2]!)).toEqual(config);
  });
});

describe('platform.networkPolicy.enabled false: no NetworkPolicy in any chart of any target (our DCGM exporter included)', () => {
  const specs = specsFrom('platform: { networkPolicy: { enabled: false } }');
  it.each(['local', 'eks', 'aks', 'gke'] as const)('%s', (target) => {
    const objects = synthSpec(specs[target]).objects;
    expect(byKind(objects, 'NetworkPolicy').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([]);
    if (target === 'gke') expect(objects.filter(dcgmImage).length).toBeGreaterThan(0);
  });
});
