/**
 * StorageClasses that the Kubernetes layer creates itself (the cloud profile marks them `createdBy: 'k8s'`);
 * classes built into the managed cluster, or created by the cloud deploy path, are only named.
 */
import { KubeStorageClass } from '../common/kube.cjs';
import { Construct } from 'constructs';
import type { StorageClassProfile } from '../../../spec/profile/types.js';
import { MANAGED_BY } from '../common/labels.js';

export interface StorageClassesProps {
  readonly classes: readonly StorageClassProfile[];
}

export class StorageClasses extends Construct {
  constructor(scope: Construct, id: string, props: StorageClassesProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const c of props.classes) {
      if (c.createdBy !== 'k8s' || seen.has(c.name)) continue;
      seen.add(c.name);
      new KubeStorageClass(this, c.name, {
        metadata: { name: c.name, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
        provisioner: c.provisioner,
        parameters: { ...c.parameters },
        reclaimPolicy: c.reclaimPolicy,
        volumeBindingMode: c.volumeBindingMode,
        allowVolumeExpansion: true,
      });
    }
  }
}
