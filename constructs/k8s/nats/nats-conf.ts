/**
 * The nats.conf renderer: a pure function, unit-tested and checked by the real nats-server (`nats-server -t`).
 *
 * Keys follow the official NATS Helm chart that upstream's platform chart uses (nats chart 1.3.2): server name from
 * the pod name, lame duck mode, JetStream file store on the PVC, monitoring on 8222; `max_payload` as upstream's
 * platform chart merges it. With more than one server, a route cluster over the headless Service.
 */

export const NATS_PORTS = { client: 4222, cluster: 6222, monitor: 8222 } as const;
export const NATS_STORE_DIR = '/data';
export const NATS_PID_FILE = '/var/run/nats/nats.pid';

export interface NatsConfOptions {
  /** StatefulSet name: pods are `<name>-0..n-1`. */
  readonly name: string;
  readonly namespace: string;
  /** Headless Service that gives each pod a stable DNS name. */
  readonly headlessService: string;
  readonly replicas: number;
  readonly maxPayload: number;
  /** JetStream file store limit in bytes. */
  readonly fileStoreBytes: number;
  /** JetStream memory store limit in bytes. */
  readonly memoryStoreBytes: number;
  /** @default cluster.local */
  readonly clusterDomain?: string;
}

/** Route URLs of a clustered NATS, one per pod, through the headless Service. */
export function natsRoutes(o: NatsConfOptions): string[] {
  const domain = o.clusterDomain ?? 'cluster.local';
  return Array.from({ length: o.replicas }, (_, i) => `nats://${o.name}-${i}.${o.headlessService}.${o.namespace}.svc.${domain}:${NATS_PORTS.cluster}`);
}

export function renderNatsConf(o: NatsConfOptions): string {
  const lines = [
    '# nats.conf: synthesized by dynamo-iac; do not edit by hand',
    'server_name: $SERVER_NAME',
    `listen: 0.0.0.0:${NATS_PORTS.client}`,
    `http: 0.0.0.0:${NATS_PORTS.monitor}`,
    `pid_file: "${NATS_PID_FILE}"`,
    `max_payload: ${o.maxPayload}`,
    'lame_duck_duration: 30s',
    'lame_duck_grace_period: 10s',
    '',
    'jetstream {',
    `  store_dir: "${NATS_STORE_DIR}"`,
    `  max_file_store: ${o.fileStoreBytes}`,
    `  max_memory_store: ${o.memoryStoreBytes}`,
    '}',
  ];
  if (o.replicas > 1) {
    lines.push(
      '',
      'cluster {',
      `  name: ${o.name}`,
      `  listen: 0.0.0.0:${NATS_PORTS.cluster}`,
      '  no_advertise: true',
      '  connect_retries: 120',
      '  routes: [',
      ...natsRoutes(o).map((r) => `    ${r}`),
      '  ]',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}
