/**
 * DcgmExporter: NVIDIA's dcgm-exporter on the GPU nodes of a cluster that runs no GPU Operator (GKE), in a namespace of
 * its own, named and labelled as the GPU Operator's exporter (DCGM_EXPORTER) so the same monitor scrapes it.
 *
 * What it needs on a GKE node, and why (GKE's own manifest: GoogleCloudPlatform/prometheus-engine
 * examples/nvidia-dcgm/exporter.yaml; NVIDIA/dcgm-exporter deployment/ and issues #59, #484, #523):
 * - the driver: GKE's installer puts it under /home/kubernetes/bin/nvidia, and only pods that request a GPU get it
 *   mounted (at /usr/local/nvidia) by GKE's device plugin; the exporter mounts it itself, read-only, and finds NVML
 *   through `LD_LIBRARY_PATH`, extended at start (its embedded host engine dlopens `libnvidia-ml.so.1`);
 * - the GPUs' device nodes without requesting a GPU (it must not take one from the workers): GKE has no NVIDIA
 *   container runtime to inject them (the GPU Operator's path), so the container is privileged, as in GKE's manifest
 *   and in the GPU Operator's own exporter DaemonSet; it runs as root, the image's user, as both do;
 * - the driver before it starts: an exporter that starts before GKE's installer has finished logs "Cannot init NVML"
 *   and serves no GPU metric while staying Ready (issue #523); an init container fails until the device nodes GKE's
 *   device plugin waits for (`nvidiactl`, `nvidia-uvm`) and NVML exist, and the kubelet retries it;
 * - pods on GPUs: the kubelet's pod-resources socket, read-only; GKE's device plugin names devices `nvidiaN`, so the
 *   GPU id type is `device-name`; `NODE_NAME` becomes the `Hostname` label the alerts print. No API token (pod labels
 *   off), no profiling metrics (DCGM_COUNTERS has none);
 * - GKE admits `system-node-critical` pods outside kube-system only under a ResourceQuota that names the class;
 * - the host engine's log: to stdout (the root filesystem is read-only).
 */
import { IntOrString, KubeConfigMap, KubeDaemonSet, KubeResourceQuota, KubeService, KubeServiceAccount, Quantity } from '../common/kube.cjs';
import type { SecurityContext } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { type ImageRef, imageString, VERSIONS } from '../../../spec/versions.js';
import type { DriverPaths, Toleration } from '../../../spec/profile/types.js';
import { driverPathPrelude } from '../graph/driver-paths.js';
import { checkovSkipAnnotations } from '../common/checkov.js';
import { MANAGED_BY } from '../common/labels.js';
import { restrictedContainerSecurityContext } from '../common/security.js';
import { addIngressPolicy, namespacesByName, tcpPort } from '../common/network.js';
import { PlatformNamespace } from '../namespace/platform-namespace.js';
import { DCGM_COUNTERS, DCGM_EXPORTER, type DcgmCounter, dcgmCollectorsCsv } from './dcgm-counters.js';

export interface DcgmExporterProps {
  /** Namespace created for the exporter (Pod Security `privileged`, ingress denied but to monitoring). @default 'dcgm-exporter' */
  readonly namespace?: string;
  /** Node label every GPU node carries and no other node does; the pods require it (operator Exists). */
  readonly gpuNodeLabelKey: string;
  /** Tolerations of every taint of every GPU pool (the GPU taint, the spot taint, the pools' own). */
  readonly tolerations: readonly Toleration[];
  /** The driver directory on the node and where containers expect it (GKE: /home/kubernetes/bin/nvidia, /usr/local/nvidia). */
  readonly driverDirs: { readonly host: string; readonly container: string };
  /** Driver directories added to the image's PATH and LD_LIBRARY_PATH at start, under `driverDirs.container` (GKE_DRIVER_PATHS). */
  readonly driverPaths: DriverPaths;
  /** Default-deny ingress in the namespace and the monitoring allowance (spec `platform.networkPolicy.enabled`). @default true */
  readonly networkPolicy?: boolean;
  /** Namespaces whose pods (Prometheus) may scrape port 9400. @default - none: nothing may connect */
  readonly monitoringNamespaces?: readonly string[];
  /** @default VERSIONS.nvidia.dcgmExporterImage */
  readonly image?: ImageRef;
  /** The DCGM fields to export. @default DCGM_COUNTERS */
  readonly counters?: readonly DcgmCounter[];
}

const COUNTERS_DIR = '/etc/dcgm-exporter/dynamo';
/** What the image's entrypoint (`dcgm-exporter-entrypoint.sh`) execs (NVIDIA/dcgm-exporter docker/, 4.4.2-4.7.0). */
const EXPORTER_BINARY = '/usr/bin/dcgm-exporter';
const POD_RESOURCES = '/var/lib/kubelet/pod-resources';
/** The device nodes GKE's device plugin waits for before it starts (container-engine-accelerators pkg/gpu/nvidia/manager.go CheckDevicePaths). */
const DRIVER_DEVICES = ['nvidiactl', 'nvidia-uvm'];
const HOST_DEV = '/host/dev';
const NOBODY = 65534;
/** The node-critical pods the namespace admits: as GKE's gcp-critical-pods quota, never the limit. */
const CRITICAL_PODS_QUOTA = '1G';

/** checkov findings accepted on the DaemonSet, each with the upstream reason (see the file comment). */
const ACCEPTED = {
  CKV_K8S_16: 'GPU device nodes without requesting a GPU: GKE has no NVIDIA runtime to inject them (GKE and GPU Operator run it privileged)',
  CKV_K8S_20: 'a privileged container cannot disable privilege escalation (the API rejects the pair)',
  CKV_K8S_23: 'the DCGM host engine runs as root (the image user) as in GKE and GPU Operator manifests; the driver wait runs as nobody',
  CKV_K8S_40: 'the DCGM host engine runs as root (the image user) as in GKE and GPU Operator manifests; the driver wait runs as nobody',
  CKV_K8S_28: 'privileged holds every capability regardless of drop lists; the driver wait drops all of them',
  CKV_K8S_37: 'privileged holds every capability regardless of drop lists; the driver wait drops all of them',
  CKV_K8S_15: 'IfNotPresent on an image pinned by digest: the pull cannot change what runs',
};

export class DcgmExporter extends Construct {
  public readonly namespace: string;
  /** The pod labels (and Service selector) the monitor selects. */
  public readonly selector: Readonly<Record<string, string>> = DCGM_EXPORTER.selector;

  constructor(scope: Construct, id: string, props: DcgmExporterProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'dcgm-exporter';
    if (!props.tolerations.length) throw new Error('DcgmExporter.tolerations: empty: GPU nodes are tainted, the exporter would run nowhere');
    const ns = this.namespace;
    const name = DCGM_EXPORTER.name;
    const labels = { ...DCGM_EXPORTER.selector, 'app.kubernetes.io/name': 'dcgm-exporter', 'app.kubernetes.io/part-of': 'dynamo-observability', 'app.kubernetes.io/managed-by': MANAGED_BY };
    const meta = (extra: Record<string, string> = {}) => ({ name, namespace: ns, labels: { ...labels, ...extra } });

    const networkPolicy = props.networkPolicy ?? true;
    new PlatformNamespace(this, 'namespace', { name: ns, podSecurity: 'privileged', defaultDenyIngress: networkPolicy });
    if (networkPolicy) {
      const monitoring = namespacesByName(props.monitoringNamespaces ?? []);
      addIngressPolicy(this, meta(), { ...DCGM_EXPORTER.selector }, monitoring.length ? [{ from: monitoring, ports: tcpPort(DCGM_EXPORTER.port) }] : []);
    }

    new KubeConfigMap(this, 'counters', { metadata: meta(), data: { 'counters.csv': dcgmCollectorsCsv(props.counters ?? DCGM_COUNTERS) } });
    new KubeServiceAccount(this, 'sa', { metadata: meta(), automountServiceAccountToken: false });
    new KubeResourceQuota(this, 'quota', {
      metadata: { ...meta(), name: `${name}-critical-pods` },
      // The quota only admits the priority class here; it must never be what limits the pods. Not the node count: a
      // GKE surge upgrade adds nodes beyond the pools' maxNodes, and terminating pods still count until they are
      // gone. GKE's own quota for the class in kube-system (gcp-critical-pods) is 1G pods, so is ours.
      spec: { hard: { pods: Quantity.fromString(CRITICAL_PODS_QUOTA) }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] } },
    });

    const image = imageString(props.image ?? VERSIONS.nvidia.dcgmExporterImage);
    const outside = [...props.driverPaths.binDirs, ...props.driverPaths.libraryDirs].filter((d) => !d.startsWith(`${props.driverDirs.container}/`));
    if (outside.length) throw new Error(`DcgmExporter.driverPaths: ${outside.join(', ')} not under driverDirs.container (${props.driverDirs.container}), where the driver is mounted`);
    if (!props.driverPaths.libraryDirs.length) throw new Error('DcgmExporter.driverPaths.libraryDirs: empty: the exporter would not find NVML');
    // NVML in any of the library directories the exporter searches.
    const nvml = props.driverPaths.libraryDirs.map((d) => `test -e ${d}/libnvidia-ml.so.1`).join(' || ');
    const waitFor = [...DRIVER_DEVICES.map((d) => `test -e ${HOST_DEV}/${d}`), `{ ${nvml}; }`];
    const probe = { httpGet: { path: '/health', port: IntOrString.fromNumber(DCGM_EXPORTER.port) }, initialDelaySeconds: 45, periodSeconds: 10 };
    new KubeDaemonSet(this, 'Resource', {
      metadata: { ...meta(), annotations: checkovSkipAnnotations(ACCEPTED) },
      spec: {
        selector: { matchLabels: { ...DCGM_EXPORTER.selector } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: props.gpuNodeLabelKey, operator: 'Exists' }] }] } } },
            tolerations: props.tolerations.map((t) => ({ ...t })),
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [
              {
                name: 'wait-for-driver',
                image,
                imagePullPolicy: 'IfNotPresent',
                // Fails (the kubelet retries it, backing off) until GKE's installer has loaded the driver. The
                // distroless image has bash (its entrypoint's shell) but no `sleep` binary to loop with.
                command: ['/usr/bin/bash', '-c', waitFor.join(' && ')],
                securityContext: nobody(),
                resources: { requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('16Mi') }, limits: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('64Mi') } },
                volumeMounts: [
                  { name: 'driver', mountPath: props.driverDirs.container, readOnly: true },
                  { name: 'host-dev', mountPath: HOST_DEV, readOnly: true },
                ],
              },
            ],
            containers: [
              {
                name: 'exporter',
                image,
                imagePullPolicy: 'IfNotPresent',
                // The image's entrypoint script only execs the binary; the driver directories join the image's own
                // paths (a literal LD_LIBRARY_PATH would replace the image's, see graph/driver-paths.ts).
                command: ['/usr/bin/bash', '-c', `${driverPathPrelude(props.driverPaths)}; exec ${EXPORTER_BINARY}`],
                env: [
                  { name: 'DCGM_EXPORTER_LISTEN', value: `:${DCGM_EXPORTER.port}` },
                  { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
                  { name: 'DCGM_EXPORTER_KUBERNETES_GPU_ID_TYPE', value: 'device-name' },
                  { name: 'DCGM_EXPORTER_COLLECTORS', value: `${COUNTERS_DIR}/counters.csv` },
                  // The embedded host engine's own log to stdout (dcgm-exporter internal/pkg/dcgmprovider/dcgm.go sets
                  // __DCGM_DBG_FILE=- with this flag), not to a file under /var/log the read-only root cannot hold;
                  // errors only, so `kubectl logs` shows why NVML or DCGM failed.
                  { name: 'DCGM_EXPORTER_ENABLE_DCGM_LOG', value: 'true' },
                  { name: 'DCGM_EXPORTER_DCGM_LOG_LEVEL', value: 'ERROR' },
                  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ],
                ports: [{ name: DCGM_EXPORTER.containerPort, containerPort: DCGM_EXPORTER.port, protocol: 'TCP' }],
                securityContext: privilegedRoot(),
                livenessProbe: probe,
                readinessProbe: probe,
                resources: { requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('128Mi') }, limits: { cpu: Quantity.fromString('200m'), memory: Quantity.fromString('512Mi') } },
                volumeMounts: [
                  { name: 'driver', mountPath: props.driverDirs.container, readOnly: true },
                  { name: 'pod-resources', mountPath: POD_RESOURCES, readOnly: true },
                  { name: 'counters', mountPath: COUNTERS_DIR, readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'driver', hostPath: { path: props.driverDirs.host, type: 'Directory' } },
              { name: 'host-dev', hostPath: { path: '/dev', type: 'Directory' } },
              { name: 'pod-resources', hostPath: { path: POD_RESOURCES, type: 'Directory' } },
              { name: 'counters', configMap: { name } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: Quantity.fromString('64Mi') } },
            ],
          },
        },
      },
    });

    new KubeService(this, 'service', {
      metadata: meta(),
      spec: {
        selector: { ...DCGM_EXPORTER.selector },
        ports: [{ name: DCGM_EXPORTER.servicePort, port: DCGM_EXPORTER.port, targetPort: IntOrString.fromString(DCGM_EXPORTER.containerPort), protocol: 'TCP' }],
      },
    });
  }
}

/** The driver wait: only `test -e` on read-only mounts, as nobody. */
const nobody = (): SecurityContext => ({ ...restrictedContainerSecurityContext(), runAsUser: NOBODY, runAsGroup: NOBODY });

/** The exporter (see the file comment): privileged as root, with a read-only root filesystem. */
function privilegedRoot(): SecurityContext {
  return { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } };
}
