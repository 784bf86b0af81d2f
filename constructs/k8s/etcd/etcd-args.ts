/**
 * The etcd command line of a StatefulSet member: a pure function, checked by starting three real etcd members with
 * exactly these flags (pod host names mapped to loopback ports).
 *
 * `$(POD_NAME)` is expanded by the kubelet from the container's env; the initial cluster is derived from the replica
 * count, so it lists every member of the StatefulSet through the headless Service.
 */

export const ETCD_PORTS = { client: 2379, peer: 2380 } as const;
export const ETCD_DATA_ROOT = '/var/lib/etcd';
export const ETCD_DATA_DIR = `${ETCD_DATA_ROOT}/data`;

export interface EtcdArgsOptions {
  readonly name: string;
  readonly namespace: string;
  readonly headlessService: string;
  readonly replicas: number;
  /** Backend quota in bytes (kept below the PVC size so that etcd raises NOSPACE before the disk fills). */
  readonly quotaBackendBytes: number;
  /** @default cluster.local */
  readonly clusterDomain?: string;
}

/** The stable DNS name of member i. */
export function etcdMemberHost(o: EtcdArgsOptions, member: string): string {
  return `${member}.${o.headlessService}.${o.namespace}.svc.${o.clusterDomain ?? 'cluster.local'}`;
}

export function etcdInitialCluster(o: EtcdArgsOptions): string {
  return Array.from({ length: o.replicas }, (_, i) => `${o.name}-${i}`)
    .map((m) => `${m}=http://${etcdMemberHost(o, m)}:${ETCD_PORTS.peer}`)
    .join(',');
}

export function etcdArgs(o: EtcdArgsOptions): string[] {
  const self = etcdMemberHost(o, '$(POD_NAME)');
  return [
    '--name=$(POD_NAME)',
    `--data-dir=${ETCD_DATA_DIR}`,
    `--listen-client-urls=http://0.0.0.0:${ETCD_PORTS.client}`,
    `--advertise-client-urls=http://${self}:${ETCD_PORTS.client}`,
    `--listen-peer-urls=http://0.0.0.0:${ETCD_PORTS.peer}`,
    `--initial-advertise-peer-urls=http://${self}:${ETCD_PORTS.peer}`,
    `--initial-cluster=${etcdInitialCluster(o)}`,
    `--initial-cluster-token=${o.name}-${o.namespace}`,
    '--initial-cluster-state=new',
    `--quota-backend-bytes=${o.quotaBackendBytes}`,
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=1h',
    '--snapshot-count=10000',
  ];
}
