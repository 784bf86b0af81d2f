/**
 * Storage in the simulation: the StorageClasses each cloud creates in every cluster, and a stand-in provisioner that
 * gives each claim of a known class a PersistentVolume pre-bound to it (honouring WaitForFirstConsumer: it waits
 * until the scheduler has picked a node, as CSI's external-provisioner does). The PV controller of the real
 * kube-controller-manager then binds them.
 */
import type { SimTarget } from './pools.js';
import { quantity } from './fit.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sc = (name: string, provisioner: string, isDefault = false, wait = true): Json => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: wait ? 'WaitForFirstConsumer' : 'Immediate',
});

/** The classes a new cluster of each target already has (kind's local-path default; the clouds' built-ins). */
export function builtInStorageClasses(target: SimTarget): Json[] {
  switch (target) {
    case 'local': return [sc('standard', 'rancher.io/local-path', true)];
    case 'eks': return [sc('gp2', 'kubernetes.io/aws-ebs')];
    case 'aks': return [sc('default', 'disk.csi.azure.com', true), sc('managed-csi', 'disk.csi.azure.com'), sc('managed-csi-premium', 'disk.csi.azure.com'), sc('azurefile-csi', 'file.csi.azure.com', false, false)];
    case 'gke': return [sc('standard-rwo', 'pd.csi.storage.gke.io', true), sc('premium-rwo', 'pd.csi.storage.gke.io'), sc('standard', 'kubernetes.io/gce-pd', false, false)];
  }
}

/** PersistentVolumes for the claims that wait for one: returns the PVs to create. */
export function volumesFor(claims: readonly Json[], classes: readonly Json[], existingPvNames: ReadonlySet<string>): Json[] {
  const byName = new Map(classes.map((c) => [c['metadata']['name'] as string, c]));
  const fallback = classes.find((c) => c['metadata']?.['annotations']?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  const out: Json[] = [];
  for (const pvc of claims) {
    if (pvc['status']?.['phase'] !== 'Pending' || pvc['spec']?.['volumeName']) continue;
    const cls = pvc['spec']?.['storageClassName'] !== undefined ? byName.get(pvc['spec']['storageClassName']) : fallback;
    if (!cls) continue;
    const annotations = (pvc['metadata']['annotations'] ?? {}) as Record<string, string>;
    if (cls['volumeBindingMode'] === 'WaitForFirstConsumer' && !annotations['volume.kubernetes.io/selected-node']) continue;
    const name = `pvc-${pvc['metadata']['uid']}`;
    if (existingPvNames.has(name)) continue;
    const size = pvc['spec']?.['resources']?.['requests']?.['storage'] ?? '1Gi';
    quantity(size);
    out.push({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': cls['provisioner'] } },
      spec: {
        capacity: { storage: size },
        accessModes: pvc['spec']['accessModes'] ?? ['ReadWriteOnce'],
        volumeMode: pvc['spec']['volumeMode'] ?? 'Filesystem',
        storageClassName: cls['metadata']['name'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc['metadata']['namespace'], name: pvc['metadata']['name'], uid: pvc['metadata']['uid'] },
        hostPath: { path: `/var/lib/sim-volumes/${name}` },
      },
    });
  }
  return out;
}
