/**
 * EtcdCluster: etcd for the state and service discovery of the Dynamo runtime.
 *
 * A StatefulSet with Parallel pod management (all members start together and find each other through the headless
 * Service, which publishes not-ready addresses), the data dir on a PVC, a client Service on 2379, a
 * PodDisruptionBudget that keeps quorum, probes on the client port, and a NetworkPolicy that admits clients on 2379
 * and only the other members on 2380.
 */
import { Chart } from '../common/cdk8s.cjs';
import { IntOrString, KubeService, KubeStatefulSet } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { appLabels, selectorLabels } from '../common/labels.js';
import { addIngressPolicy, clientPeers, namespacesByName, podsOf, tcpPort } from '../common/network.js';
import { podPlacement } from '../common/placement.js';
import { quantityToBytes } from '../common/quantity.js';
import { type Resources, resourceRequirements } from '../common/resources.js';
import { httpProbe } from '../common/probes.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/security.js';
import { addQuorumBudget, dataClaimTemplates, ONE_MEMBER_AT_A_TIME, type PlatformStoreProps, RETAIN_CLAIMS } from '../common/stateful.js';
import { ETCD_DATA_ROOT, ETCD_PORTS, etcdArgs } from './etcd-args.js';
import { ACCEPT, checkovSkipAnnotations } from '../common/checkov.js';

export interface EtcdClusterProps extends PlatformStoreProps {
  /** Name of the StatefulSet and the client Service. @default 'etcd' */
  readonly name?: string;
  /** Members; odd, so that a majority exists. @default 1 */
  readonly replicas?: number;
  /** @default - the version matrix's `etcd` image */
  readonly image?: ImageRef;
  /** Data PVC per member. @default '1Gi' */
  readonly storageSize?: string;
  /** @default requests 250m/512Mi, limits 1 CPU/1Gi */
  readonly resources?: Resources;
}

/** The uid of the distroless `nonroot` user in etcd's release image. */
const UID = 65532;

export class EtcdCluster extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly replicas: number;
  public readonly headlessServiceName: string;
  private readonly clusterDomain: string;

  constructor(scope: Construct, id: string, props: EtcdClusterProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'etcd';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.replicas = props.replicas ?? 1;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (!Number.isInteger(this.replicas) || this.replicas < 1 || this.replicas % 2 === 0) {
      throw new Error(`EtcdCluster.replicas: must be odd and at least 1 (quorum), got ${this.replicas}`);
    }
    const image = props.image ?? VERSIONS.etcd.image;
    const storageSize = props.storageSize ?? '1Gi';
    this.headlessServiceName = `${this.name}-headless`;
    const selector = selectorLabels({ name: 'etcd', instance: this.name });
    const labels = appLabels({ name: 'etcd', instance: this.name, component: 'discovery', version: image.tag });
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels });

    const ports = [
      { name: 'client', port: ETCD_PORTS.client, targetPort: IntOrString.fromString('client') },
      { name: 'peer', port: ETCD_PORTS.peer, targetPort: IntOrString.fromString('peer') },
    ];
    new KubeService(this, 'Client', { metadata: metadata(this.name), spec: { type: 'ClusterIP', selector, ports: [ports[0]!] } });
    new KubeService(this, 'Headless', {
      metadata: metadata(this.headlessServiceName),
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector, ports },
    });

    const args = etcdArgs({
      name: this.name,
      namespace: this.namespace,
      headlessService: this.headlessServiceName,
      replicas: this.replicas,
      // 80% of the volume: etcd raises NOSPACE (and the alarm) before the file system fills up.
      quotaBackendBytes: Math.floor(quantityToBytes(storageSize) * 0.8),
      clusterDomain: this.clusterDomain,
    });
    new KubeStatefulSet(this, 'Resource', {
      metadata: { ...metadata(this.name), annotations: checkovSkipAnnotations({ CKV_K8S_43: ACCEPT.tagNotDigest, CKV_K8S_15: ACCEPT.pullIfNotPresent }) },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: this.replicas,
        podManagementPolicy: 'Parallel',
        ...ONE_MEMBER_AT_A_TIME,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(UID),
            terminationGracePeriodSeconds: 30,
            ...podPlacement(props.placement ?? {}, selector, this.replicas),
            containers: [
              {
                name: 'etcd',
                image: imageString(image),
                imagePullPolicy: 'IfNotPresent',
                command: ['/usr/local/bin/etcd'],
                args,
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'ETCDCTL_API', value: '3' },
                ],
                ports: [
                  { name: 'client', containerPort: ETCD_PORTS.client },
                  { name: 'peer', containerPort: ETCD_PORTS.peer },
                ],
                // serializable: answers from the local member, so a lost quorum does not restart every member.
                startupProbe: httpProbe('/health?serializable=true', 'client', { periodSeconds: 5, failureThreshold: 60 }),
                livenessProbe: httpProbe('/health?exclude=NOSPACE&serializable=true', 'client', { periodSeconds: 10, failureThreshold: 6 }),
                readinessProbe: httpProbe('/health', 'client', { periodSeconds: 10, failureThreshold: 3 }),
                resources: resourceRequirements(props.resources ?? { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'data', mountPath: ETCD_DATA_ROOT }],
              },
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
        { from: [...clientPeers(this.namespace, props.clients ?? {}), ...monitoring, podsOf(selector)], ports: tcpPort(ETCD_PORTS.client) },
        { from: [podsOf(selector)], ports: tcpPort(ETCD_PORTS.peer) },
      ]);
    }
  }

  /** The client endpoint as upstream passes it to the operator (`--etcdAddr`): host:port, no scheme. */
  public get clientEndpoint(): string {
    return `${this.name}.${this.namespace}.svc.${this.clusterDomain}:${ETCD_PORTS.client}`;
  }
}
