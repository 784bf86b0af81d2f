/**
 * NatsCluster: NATS with JetStream, the event and request plane of Dynamo.
 *
 * A StatefulSet (one server, or a route cluster of three or more), its nats.conf in a ConfigMap whose checksum rolls
 * the pods, a client Service (4222) and a headless Service, a PodDisruptionBudget that keeps a JetStream quorum, and
 * a NetworkPolicy that admits clients on 4222, the other servers on 6222 and monitoring on 8222, nothing else.
 */
import { Chart } from '../common/cdk8s.cjs';
import { IntOrString, KubeConfigMap, KubeService, KubeStatefulSet, Quantity } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { checksum } from '../common/checksum.js';
import { appLabels, selectorLabels } from '../common/labels.js';
import { addIngressPolicy, clientPeers, namespacesByName, podsOf, tcpPort } from '../common/network.js';
import { podPlacement } from '../common/placement.js';
import { quantityToBytes } from '../common/quantity.js';
import { type Resources, resourceRequirements } from '../common/resources.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/security.js';
import { httpProbe } from '../common/probes.js';
import { addQuorumBudget, dataClaimTemplates, ONE_MEMBER_AT_A_TIME, type PlatformStoreProps, RETAIN_CLAIMS } from '../common/stateful.js';
import { NATS_PID_FILE, NATS_PORTS, NATS_STORE_DIR, renderNatsConf } from './nats-conf.js';
import { ACCEPT, checkovSkipAnnotations } from '../common/checkov.js';

export interface NatsClusterProps extends PlatformStoreProps {
  /** Name of the StatefulSet and the client Service. @default 'nats' */
  readonly name?: string;
  /** Servers: 1, or 3 and more for a JetStream cluster. @default 1 */
  readonly replicas?: number;
  /** @default - the version matrix's `nats` image */
  readonly image?: ImageRef;
  /** JetStream file store PVC per server. @default '10Gi' */
  readonly storageSize?: string;
  /** JetStream memory store limit. @default '256Mi' */
  readonly memoryStoreSize?: string;
  /** Largest message in bytes. @default 15728640 (upstream) */
  readonly maxPayload?: number;
  /** @default requests 250m/512Mi, limits 2 CPU/1Gi */
  readonly resources?: Resources;
  /**
   * Run the Prometheus exporter as a sidecar on port 7777 (`metrics`), with the nats-io chart's flags and prefix
   * (`nats_*` metric names). @default false
   */
  readonly metricsExporter?: boolean;
}

/** Port of the Prometheus NATS exporter sidecar. */
export const NATS_EXPORTER_PORT = 7777;

const UID = 1000;

/** checkov findings accepted on the StatefulSet (see README, security scan). */
const NATS_ACCEPTED = {
  CKV_K8S_43: ACCEPT.tagNotDigest,
  CKV_K8S_15: ACCEPT.pullIfNotPresent,
  CKV_K8S_40: 'uid 1000 is the owner of the JetStream files on existing claims; a new uid would lock running clusters out of their data',
  CKV_K8S_8: 'only the metrics sidecar has no liveness probe: restarting it cannot help NATS, and a failed scrape shows in Prometheus as target down',
  CKV_K8S_9: 'only the metrics sidecar has no readiness probe: it serves no client traffic that readiness could route',
};

export class NatsCluster extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly replicas: number;
  /** The nats.conf the servers run with. */
  public readonly config: string;
  public readonly headlessServiceName: string;
  private readonly clusterDomain: string;

  constructor(scope: Construct, id: string, props: NatsClusterProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'nats';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.replicas = props.replicas ?? 1;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (!Number.isInteger(this.replicas) || (this.replicas !== 1 && this.replicas < 3)) {
      throw new Error(`NatsCluster.replicas: must be 1 or at least 3 (a JetStream cluster needs a quorum), got ${this.replicas}`);
    }
    const image = props.image ?? VERSIONS.nats.image;
    const storageSize = props.storageSize ?? '10Gi';
    this.headlessServiceName = `${this.name}-headless`;
    this.config = renderNatsConf({
      name: this.name,
      namespace: this.namespace,
      headlessService: this.headlessServiceName,
      replicas: this.replicas,
      maxPayload: props.maxPayload ?? 15728640,
      // 90% of the volume: JetStream refuses new messages at its limit before the file system fills up.
      fileStoreBytes: Math.floor(quantityToBytes(storageSize) * 0.9),
      memoryStoreBytes: quantityToBytes(props.memoryStoreSize ?? '256Mi'),
      clusterDomain: this.clusterDomain,
    });
    const selector = selectorLabels({ name: 'nats', instance: this.name });
    const labels = appLabels({ name: 'nats', instance: this.name, component: 'event-plane', version: image.tag });
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels });

    const configMap = new KubeConfigMap(this, 'Config', { metadata: metadata(`${this.name}-config`), data: { 'nats.conf': this.config } });

    const ports = [
      { name: 'client', port: NATS_PORTS.client, targetPort: IntOrString.fromString('client') },
      { name: 'monitor', port: NATS_PORTS.monitor, targetPort: IntOrString.fromString('monitor') },
    ];
    new KubeService(this, 'Client', { metadata: metadata(this.name), spec: { type: 'ClusterIP', selector, ports } });
    new KubeService(this, 'Headless', {
      metadata: metadata(this.headlessServiceName),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: [...ports, { name: 'cluster', port: NATS_PORTS.cluster, targetPort: IntOrString.fromString('cluster') }],
      },
    });

    new KubeStatefulSet(this, 'Resource', {
      metadata: { ...metadata(this.name), annotations: checkovSkipAnnotations(NATS_ACCEPTED) },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: this.replicas,
        podManagementPolicy: 'Parallel',
        ...ONE_MEMBER_AT_A_TIME,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'checksum/config': checksum(this.config) } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(UID),
            terminationGracePeriodSeconds: 60,
            ...podPlacement(props.placement ?? {}, selector, this.replicas),
            containers: [
              {
                name: 'nats',
                image: imageString(image),
                imagePullPolicy: 'IfNotPresent',
                command: ['nats-server', '--config', '/etc/nats-config/nats.conf'],
                env: [
                  { name: 'SERVER_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ],
                ports: [
                  { name: 'client', containerPort: NATS_PORTS.client },
                  { name: 'cluster', containerPort: NATS_PORTS.cluster },
                  { name: 'monitor', containerPort: NATS_PORTS.monitor },
                ],
                startupProbe: httpProbe('/healthz', 'monitor', { initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 90 }),
                readinessProbe: httpProbe('/healthz?js-enabled-only=true', 'monitor', { periodSeconds: 10, failureThreshold: 3 }),
                livenessProbe: httpProbe('/healthz?js-enabled-only=true', 'monitor', { periodSeconds: 30, failureThreshold: 3 }),
                lifecycle: { preStop: { exec: { command: ['nats-server', '--signal', `ldm=${NATS_PID_FILE}`] } } },
                resources: resourceRequirements(props.resources ?? { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/nats-config', readOnly: true },
                  { name: 'pid', mountPath: '/var/run/nats' },
                  { name: 'data', mountPath: NATS_STORE_DIR },
                ],
              },
              ...(props.metricsExporter
                ? [
                    {
                      name: 'exporter',
                      image: imageString(VERSIONS.nats.exporterImage),
                      imagePullPolicy: 'IfNotPresent',
                      args: ['-prefix=nats', '-connz', '-routez', '-subz', '-varz', '-jsz=all', '-use_internal_server_id', `-port=${NATS_EXPORTER_PORT}`, `http://localhost:${NATS_PORTS.monitor}/`],
                      ports: [{ name: 'metrics', containerPort: NATS_EXPORTER_PORT }],
                      resources: resourceRequirements({ requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } }),
                      securityContext: restrictedContainerSecurityContext(),
                    },
                  ]
                : []),
            ],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'pid', emptyDir: { medium: 'Memory', sizeLimit: Quantity.fromString('1Mi') } },
            ],
          },
        },
        volumeClaimTemplates: dataClaimTemplates(storageSize, props.storageClassName, selector),
        persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
      },
    });

    addQuorumBudget(this, metadata(this.name), selector, this.replicas);

    if (props.networkPolicy !== false) {
      const monitoring = namespacesByName(props.monitoringNamespaces ?? []);
      addIngressPolicy(this, metadata(this.name), selector, [
        { from: [...clientPeers(this.namespace, props.clients ?? {}), podsOf(selector)], ports: tcpPort(NATS_PORTS.client) },
        { from: [podsOf(selector)], ports: tcpPort(NATS_PORTS.cluster) },
        ...(monitoring.length ? [{ from: monitoring, ports: [...tcpPort(NATS_PORTS.monitor), ...(props.metricsExporter ? tcpPort(NATS_EXPORTER_PORT) : [])] }] : []),
      ]);
    }
  }

  /** The address clients use: `nats://<name>.<namespace>.svc.<domain>:4222`. */
  public get clientUrl(): string {
    return `nats://${this.name}.${this.namespace}.svc.${this.clusterDomain}:${NATS_PORTS.client}`;
  }
}
