/**
 * The platform charts of one target, composed from the construct library and driven by the spec and the cloud
 * profile. Chart ids are the output file names, so lexical order is apply order.
 */
import { Chart } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { EtcdCluster } from '../constructs/k8s/etcd/etcd-cluster.js';
import { EtcdSnapshots } from '../constructs/k8s/etcd/etcd-snapshot.js';
import { NatsCluster } from '../constructs/k8s/nats/nats-cluster.js';
import { PlatformNamespace } from '../constructs/k8s/namespace/platform-namespace.js';
import { DynamoOperator } from '../constructs/k8s/operator/dynamo-operator.js';
import type { WorkloadPlacement } from '../constructs/k8s/common/placement.js';
import { KaiQueue } from '../constructs/k8s/scheduling/kai-queue.js';
import { StorageClasses } from '../constructs/k8s/storage/storage-classes.js';
import { type CloudProfile, everyPoolToleration, type StorageClassProfile } from '../spec/profile/types.js';
import type { PlatformSpec, Spec } from '../spec/schema.js';
import { UPSTREAM_GROVE_TERMINATION_DELAY } from '../spec/scheduling.js';
import { VERSIONS } from '../spec/versions.js';

/** Chart ids: the YAML file of each is `<id>.k8s.yaml`. */
export const PLATFORM_CHARTS = {
  namespace: '00-namespace',
  storage: '01-storage-classes',
  etcdBackup: '09-etcd-backup',
  etcd: '10-etcd',
  nats: '20-nats',
  operator: '30-dynamo-operator',
  queues: '35-kai-queues',
} as const;

/** The StorageClasses the Kubernetes layer creates itself (`01-storage-classes`): the profile's classes marked `k8s`. */
export function ownStorageClasses(profile: CloudProfile): StorageClassProfile[] {
  const s = profile.storage;
  return [...new Set([s.block, s.modelCache, s.compilationCache])].filter((c): c is StorageClassProfile => c?.createdBy === 'k8s');
}

/**
 * Control-plane placement. `system`: the system pool on clouds; on local clusters, any node but preferably not a GPU
 * node. `any`: no node selector and a toleration of every taint any pool of the target carries (the GPU taint, the
 * cloud's spot taint, the pools' own), as upstream's AKS spot example does, still preferring nodes without GPUs.
 */
export function controlPlanePlacement(profile: CloudProfile, placement: PlatformSpec['placement']): WorkloadPlacement {
  if (placement === 'any') {
    const tolerations = everyPoolToleration(profile);
    return { ...(tolerations.length && { tolerations }), avoidNodesLabelled: profile.gpuNodeLabel };
  }
  if (profile.systemPool) return { nodeSelector: profile.systemPool.nodeSelector, tolerations: profile.systemPool.tolerations };
  return { avoidNodesLabelled: profile.gpuNodeLabel };
}

const chart = (app: App | Construct, id: string, namespace?: string) =>
  new Chart(app, id, { disableResourceNameHashes: true, ...(namespace && { namespace }) });

export interface PlatformCharts {
  readonly etcd?: EtcdCluster;
  readonly nats?: NatsCluster;
  readonly operator?: DynamoOperator;
  readonly queues: readonly KaiQueue[];
}

export function addPlatformCharts(app: App, spec: Spec, profile: CloudProfile): PlatformCharts {
  const p = spec.platform;
  const ns = p.namespace;
  const placement = controlPlanePlacement(profile, p.placement);
  const np = p.networkPolicy;
  const clients = { namespaces: np.clientNamespaces };
  const shared = {
    namespace: ns,
    placement,
    clients,
    monitoringNamespaces: np.monitoringNamespaces,
    networkPolicy: np.enabled,
    ...(profile.storage.block && { storageClassName: profile.storage.block.name }),
  };

  new PlatformNamespace(chart(app, PLATFORM_CHARTS.namespace), 'namespace', { name: ns, podSecurity: p.podSecurity, defaultDenyIngress: np.enabled });

  const created = ownStorageClasses(profile);
  if (created.length) new StorageClasses(chart(app, PLATFORM_CHARTS.storage), 'classes', { classes: created });

  const etcd = p.etcd.enabled
    ? new EtcdCluster(chart(app, PLATFORM_CHARTS.etcd, ns), 'etcd', {
        ...shared,
        name: `${p.releaseName}-etcd`,
        replicas: p.etcd.replicas,
        storageSize: p.etcd.storageSize,
        resources: p.etcd.resources,
      })
    : undefined;

  if (etcd && p.etcd.backup.enabled) {
    new EtcdSnapshots(chart(app, PLATFORM_CHARTS.etcdBackup, ns), 'snapshots', {
      etcdName: etcd.name,
      namespace: ns,
      endpoint: etcd.clientEndpoint,
      platformVersion: VERSIONS.dynamo.version,
      storageSize: p.etcd.backup.size,
      ...(p.etcd.backup.schedule && { schedule: p.etcd.backup.schedule }),
      ...(profile.storage.block && { storageClassName: profile.storage.block.name }),
      placement,
      imagePolicy: { ...(p.images.registry && { registry: p.images.registry }), pullSecrets: p.images.pullSecrets },
    });
  }

  const nats = p.nats.enabled
    ? new NatsCluster(chart(app, PLATFORM_CHARTS.nats, ns), 'nats', {
        ...shared,
        name: `${p.releaseName}-nats`,
        replicas: p.nats.replicas,
        storageSize: p.nats.storageSize,
        memoryStoreSize: p.nats.memoryStoreSize,
        maxPayload: p.nats.maxPayload,
        resources: p.nats.resources,
        metricsExporter: spec.observability.enabled,
      })
    : undefined;

  const o = p.operator;
  const etcdAddress = p.etcd.externalAddress ?? etcd?.clientEndpoint;
  const operator = o.enabled
    ? new DynamoOperator(chart(app, PLATFORM_CHARTS.operator, ns), 'operator', {
        name: `${p.releaseName}-dynamo-operator`,
        namespace: ns,
        scope: o.scope,
        replicas: o.replicas,
        ...(o.leaderElection.id && { leaderElectionId: o.leaderElection.id }),
        ...(o.leaderElection.namespace && { leaderElectionNamespace: o.leaderElection.namespace }),
        // External addresses take priority; the schema guarantees one of the two exists for NATS.
        natsAddress: p.nats.externalAddress ?? nats!.clientUrl,
        ...(etcdAddress && { etcdAddress }),
        discoveryBackend: o.discoveryBackend,
        ...(o.webhook.enabled && { webhook: { failurePolicy: o.webhook.failurePolicy, timeoutSeconds: o.webhook.timeoutSeconds } }),
        upstreamWildcardRbac: o.upstreamWildcardRbac,
        ...(p.grove.enabled && { groveTerminationDelay: p.grove.terminationDelay ?? UPSTREAM_GROVE_TERMINATION_DELAY }),
        resources: o.resources,
        placement,
        monitoringNamespaces: np.monitoringNamespaces,
        networkPolicy: np.enabled,
      })
    : undefined;

  // The KAI queues, after the operator and before any graph (the operator refuses a graph whose queue is missing).
  const queueChart = p.kai.enabled ? chart(app, PLATFORM_CHARTS.queues) : undefined;
  const queues = queueChart
    ? Object.entries(p.kai.queues)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, q]) => new KaiQueue(queueChart, name, { name, ...q }))
    : [];
  return { ...(etcd && { etcd }), ...(nats && { nats }), ...(operator && { operator }), queues };
}
