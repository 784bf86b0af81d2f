/**
 * DcgmExporter: what a GKE GPU node needs for the exporter to serve GPU metrics (see the construct's comment for the
 * upstream sources), with the least privilege that allows it: only the exporter container is privileged; the driver
 * wait runs restricted; every host path is read-only; no API token; the namespace admits privileged pods and only
 * the monitoring namespaces on the metrics port; the quota admits the
 * node-critical pods however many there are; the host engine logs to stdout.
 */
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { DCGM_COUNTERS, DCGM_EXPORTER, dcgmCollectorsCsv } from '../../../../constructs/k8s/observability/dcgm-counters.js';
import { DcgmExporter, type DcgmExporterProps } from '../../../../constructs/k8s/observability/dcgm-exporter.js';
import { METRICS } from '../../../../constructs/k8s/observability/metrics.js';
import { GKE_DRIVER_DIRS, GKE_DRIVER_PATHS } from '../../../../spec/profile/gcp.js';
import { imageString, VERSIONS } from '../../../../spec/versions.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE: DcgmExporterProps = {
  gpuNodeLabelKey: 'cloud.google.com/gke-accelerator',
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
  driverDirs: GKE_DRIVER_DIRS,
  driverPaths: GKE_DRIVER_PATHS,
  monitoringNamespaces: ['monitoring'],
};

function synth(props: Partial<DcgmExporterProps> = {}): Json[] {
  const chart = new Chart(Testing.app(), 'test');
  new DcgmExporter(chart, 'dcgm', { ...BASE, ...props });
  return Testing.synth(chart) as Json[];
}
const of = (objs: Json[], kind: string) => objs.filter((o) => o['kind'] === kind);
const podOf = (objs: Json[]) => of(objs, 'DaemonSet')[0]!['spec']['template'] as Json;

describe('DcgmExporter', () => {
  it('refuses props that would leave it on no node', () => {
    expect(() => synth({ tolerations: [] })).toThrow('DcgmExporter.tolerations: empty: GPU nodes are tainted, the exporter would run nowhere');
    expect(() => synth({ driverPaths: { binDirs: [], libraryDirs: ['/opt/nvidia/lib64'] } })).toThrow('DcgmExporter.driverPaths: /opt/nvidia/lib64 not under driverDirs.container (/usr/local/nvidia), where the driver is mounted');
  });

  it('only the exporter container is privileged; the driver wait is restricted and non-root', () => {
    const pod = podOf(synth());
    const [exporter] = pod['spec']['containers'] as Json[];
    const [wait] = pod['spec']['initContainers'] as Json[];
    expect(pod['spec']['containers']).toHaveLength(1);
    expect(exporter!['securityContext']).toMatchObject({ privileged: true, readOnlyRootFilesystem: true });
    expect(wait!['securityContext']).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod['spec']['automountServiceAccountToken']).toBe(false);
    expect(pod['spec']['hostNetwork'] ?? false).toBe(false);
    expect(pod['spec']['hostPID'] ?? false).toBe(false);
    // No profiling metrics: nothing that needs DCGM's profiling module.
    expect(DCGM_COUNTERS.filter((c) => c.field.startsWith('DCGM_FI_PROF_'))).toEqual([]);
  });

  it('every host path is mounted read-only, in every container that mounts it', () => {
    const pod = podOf(synth());
    const hostPaths = new Set((pod['spec']['volumes'] as Json[]).filter((v) => v['hostPath']).map((v) => v['name'] as string));
    expect(hostPaths.size).toBeGreaterThan(2);
    for (const c of [...pod['spec']['containers'], ...pod['spec']['initContainers']] as Json[]) {
      for (const m of (c['volumeMounts'] ?? []) as Json[]) if (hostPaths.has(m['name'])) expect(m['readOnly'], `${c['name']} ${m['name']}`).toBe(true);
    }
  });

  it("finds GKE's driver: the host directory at the container path, NVML on LD_LIBRARY_PATH, and waits for it first", () => {
    const pod = podOf(synth());
    const driver = (pod['spec']['volumes'] as Json[]).find((v) => v['hostPath']?.['path'] === GKE_DRIVER_DIRS.host)!;
    const [exporter] = pod['spec']['containers'] as Json[];
    expect((exporter!['volumeMounts'] as Json[]).find((m) => m['name'] === driver['name'])!['mountPath']).toBe(GKE_DRIVER_DIRS.container);
    const env = Object.fromEntries((exporter!['env'] as Json[]).map((e) => [e['name'], e['value'] ?? e['valueFrom']]));
    // Appended to the image's LD_LIBRARY_PATH at start (never a literal value), then the binary the entrypoint runs.
    expect(env['LD_LIBRARY_PATH']).toBeUndefined();
    expect(exporter!['command']).toEqual(['/usr/bin/bash', '-c', 'export PATH="$PATH:/usr/local/nvidia/bin" LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/nvidia/lib64"; exec /usr/bin/dcgm-exporter']);
    expect(env['NODE_NAME']).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(env['DCGM_EXPORTER_KUBERNETES_GPU_ID_TYPE']).toBe('device-name');
    const wait = (pod['spec']['initContainers'] as Json[])[0]!;
    const script = (wait['command'] as string[]).at(-1)!;
    expect(script).toContain(`test -e ${GKE_DRIVER_PATHS.libraryDirs[0]}/libnvidia-ml.so.1`);
    expect(script).toMatch(/test -e \/host\/dev\/nvidiactl && test -e \/host\/dev\/nvidia-uvm/);
    // The wait sees the node's /dev live, not the container's own.
    const dev = (wait['volumeMounts'] as Json[]).find((m) => m['mountPath'] === '/host/dev')!;
    expect((pod['spec']['volumes'] as Json[]).find((v) => v['name'] === dev['name'])!['hostPath']['path']).toBe('/dev');
    expect(wait['image']).toBe(exporter!['image']);
    expect(exporter!['image']).toBe(imageString(VERSIONS.nvidia.dcgmExporterImage));
    expect(exporter!['image']).toMatch(/:4\.4\.2-4\.7\.0-distroless@sha256:[0-9a-f]{64}$/);
  });

  it('namespace: privileged pods admitted, ingress only from the monitoring namespaces on the metrics port', () => {
    const objs = synth();
    const ns = of(objs, 'Namespace')[0]!;
    expect(ns['metadata']['labels']['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const policies = of(objs, 'NetworkPolicy');
    expect(policies.map((p) => p['metadata']['name']).sort()).toEqual(['default-deny-ingress', DCGM_EXPORTER.name]);
    const allow = policies.find((p) => p['metadata']['name'] === DCGM_EXPORTER.name)!;
    expect(allow['spec']['ingress']).toEqual([{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] } }], ports: [{ protocol: 'TCP', port: DCGM_EXPORTER.port }] }]);
    expect(of(synth({ monitoringNamespaces: [] }), 'NetworkPolicy').find((p) => p['metadata']['name'] === DCGM_EXPORTER.name)!['spec']['ingress']).toEqual([]);
  });

  it('the quota names the pods\' priority class and never limits them (surge nodes, terminating pods): 1G as GKE\'s gcp-critical-pods', () => {
    const objs = synth();
    const quota = of(objs, 'ResourceQuota')[0]!;
    const pods = String(quota['spec']['hard']['pods']);
    const units: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };
    const m = /^(\d+)([kMG]?)$/.exec(pods)!;
    expect(Number(m[1]) * units[m[2]!]!).toBeGreaterThanOrEqual(1e9);
    expect(quota['spec']['scopeSelector']['matchExpressions'][0]['values']).toEqual([podOf(objs)['spec']['priorityClassName']]);
  });

  it('without network policies (platform.networkPolicy.enabled false): no default deny, no allowance', () => {
    expect(of(synth({ networkPolicy: false }), 'NetworkPolicy')).toEqual([]);
    expect(of(synth(), 'NetworkPolicy')).toHaveLength(2);
  });

  it('the host engine logs to stdout (the root filesystem is read-only), errors only', () => {
    const [exporter] = podOf(synth())['spec']['containers'] as Json[];
    const env = Object.fromEntries((exporter!['env'] as Json[]).map((e) => [e['name'], e['value']]));
    expect(exporter!['securityContext']['readOnlyRootFilesystem']).toBe(true);
    expect(env).toMatchObject({ DCGM_EXPORTER_ENABLE_DCGM_LOG: 'true', DCGM_EXPORTER_DCGM_LOG_LEVEL: 'ERROR' });
  });

  it('collectors file: every DCGM metric of METRICS, one line each; bad fields are refused', () => {
    const csv = dcgmCollectorsCsv();
    for (const field of Object.values(METRICS.gpu)) expect(csv).toMatch(new RegExp(`^${field}, (gauge|counter), `, 'm'));
    expect(() => dcgmCollectorsCsv([{ field: 'GPU_UTIL', type: 'gauge', help: 'x' }])).toThrow('dcgm counters: field "GPU_UTIL" is not a DCGM field id (DCGM_FI_...)');
    expect(() => dcgmCollectorsCsv([{ field: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'a, b' }])).toThrow('dcgm counters: the help of DCGM_FI_DEV_GPU_UTIL must not contain a comma, got "a, b"');
  });
});
