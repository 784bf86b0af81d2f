/** The data volume of a quorum-based StatefulSet (NATS JetStream, etcd), and the budget that keeps its quorum. */
import { type KubePersistentVolumeClaimProps, KubePodDisruptionBudget, type ObjectMeta, Quantity } from 'cdk8s-plus-28/lib/imports/k8s.js';
import type { Construct } from 'constructs';
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

/** Claims outlive a scale-down or a deleted StatefulSet: the data is the point of a stateful store. */
export const RETAIN_CLAIMS = { whenDeleted: 'Retain', whenScaled: 'Retain' } as const;

export function addQuorumBudget(scope: Construct, metadata: ObjectMeta, selector: Record<string, string>, replicas: number): KubePodDisruptionBudget {
  return new KubePodDisruptionBudget(scope, 'Budget', { metadata, spec: { selector: { matchLabels: selector }, ...quorumBudget(replicas) } });
}
