/** The data volume of a quorum-based StatefulSet (NATS JetStream, etcd), and the budget that keeps its quorum. */
import { KubePodDisruptionBudget, Quantity } from './kube.cjs';
import type { KubePersistentVolumeClaimProps, ObjectMeta } from 'cdk8s-plus-28/lib/imports/k8s.js';
import type { Construct } from 'constructs';
import type { ClientPeers } from './network.js';
import type { WorkloadPlacement } from './placement.js';
import { quorumBudget } from './disruption.js';

/** One ReadWriteOnce claim named `data` per pod; `storageClassName` unset means the cluster's default class. */
export function dataClaimTemplates(size: string, storageClassName: string | undefined, labels: Record<string, string>): KubePersistentVolumeClaimProps[] {
  return [
    {
      metadata: { name: 'data', labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(storageClassName && { storageClassName }),
        resources: { requests: { storage: Quantity.fromString(size) } },
      },
    },
  ];
}

/**
 * Upgrades replace one member at a time, highest ordinal first, and wait until it has been Ready for 10 s before the
 * next: a quorum store never loses more than the one member being replaced (Parallel pod management does not apply
 * to updates). Written out rather than left to defaults, so a diff shows any change to it.
 */
export const ONE_MEMBER_AT_A_TIME = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, minReadySeconds: 10 } as const;

/** Claims outlive a scale-down or a deleted StatefulSet: the data is the point of a stateful store. */
export const RETAIN_CLAIMS = { whenDeleted: 'Retain', whenScaled: 'Retain' } as const;

export function addQuorumBudget(scope: Construct, metadata: ObjectMeta, selector: Record<string, string>, replicas: number): KubePodDisruptionBudget {
  return new KubePodDisruptionBudget(scope, 'Budget', { metadata, spec: { selector: { matchLabels: selector }, ...quorumBudget(replicas) } });
}

/** Props every platform store (NATS, etcd) takes the same way. */
export interface PlatformStoreProps {
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default - any node */
  readonly placement?: WorkloadPlacement;
  /** Who may connect on the client port (the own namespace always may). @default - own namespace and labelled namespaces */
  readonly clients?: ClientPeers;
  /** Namespaces that may scrape metrics. @default - none */
  readonly monitoringNamespaces?: readonly string[];
  /** Emit the NetworkPolicy. @default true */
  readonly networkPolicy?: boolean;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}
