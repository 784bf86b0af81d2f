/**
 * The GKE model store on the cluster's own VPC. The Filestore CSI driver (kubernetes-sigs/gcp-filestore-csi-driver,
 * pkg/csi_driver/controller.go) and the Managed Lustre CSI driver (GoogleCloudPlatform/lustre-csi-driver, same
 * path) create one instance per claim, on the network the StorageClass's `network` parameter names and on
 * `default` without it; the claim's size is the instance's size. Managed Lustre takes the tier's capacities only
 * (Google Cloud "Managed Lustre performance tiers": 36,000 GiB steps at 250 MB/s/TiB, 9,000 GiB at 1,000).
 */
import { describe, expect, it } from 'vitest';
import { byKind, type KubeObject, problemsOf, specsFrom, synthSpec } from '../support/synth.js';
import { stackJson } from '../support/stack-json.js';

interface Tf { resource: Record<string, Record<string, Record<string, unknown>>> }
type StorageClass = KubeObject & { provisioner: string; parameters?: Record<string, string> };
type Claim = KubeObject & { spec: { storageClassName?: string; resources: { requests: { storage: string } } } };

/** CSI drivers that create a file system per claim, on the class's `network` (or `default`). */
const NETWORKED_PROVISIONERS = ['filestore.csi.storage.gke.io', 'lustre.csi.storage.gke.io'];

const gke = (cluster: string, extra = '') => `targets: { gke: { cluster: ${cluster}${extra} } }`;
const EXISTING = '{ existing: { networkId: projects/p/global/networks/shared-vpc, sharedVpc: true, subnetIds: [projects/p/regions/us-central1/subnetworks/nodes] } }';
const FULL_OWN = '{ existing: { networkId: projects/mine/global/networks/own-vpc, subnetIds: [projects/mine/regions/us-central1/subnetworks/nodes] } }';
const SHORT = '{ existing: { networkId: own-vpc, subnetIds: [projects/p/regions/us-central1/subnetworks/nodes] } }';
const SPECS: Record<string, string | undefined> = {
  default: undefined,
  'Managed Lustre, standard tier': gke('{ modelStorage: { kind: lustre, tier: standard, size: 72000Gi } }'),
  'Managed Lustre, performance tier': gke('{ modelStorage: { kind: lustre, tier: performance, size: 9000Gi } }'),
  'Filestore on an existing network named with its project (a Shared VPC)': gke(`{ network: ${EXISTING} }`),
  'Managed Lustre on a Shared VPC': gke(`{ network: ${EXISTING}, modelStorage: { kind: lustre, tier: performance, size: 9000Gi } }`),
  'Filestore on an existing network of the cluster\'s project, by short name': gke(`{ network: ${SHORT} }`),
  'Filestore on an existing network named in full, not a Shared VPC': gke(`{ network: ${FULL_OWN} }`),
  'a long cluster name': gke('{ name: a-forty-character-cluster-name-for-gke12 }'),
};

/** The cluster's own project, which the stack never names (it comes from the provider's configuration). */
const OWN = '<cluster project>';

/**
 * The network a `network` value means, as the drivers resolve it: a short name is looked up in the cluster's project;
 * `projects/P/global/networks/N` names P's network N (lustre-csi-driver controller.go; Filestore takes the full name).
 */
function resolve(network: string): string {
  const m = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(network);
  if (m) return `${m[1]}/${m[2]}`;
  expect(network, 'a short network name').toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  return `${OWN}/${network}`;
}

/** The network the model store must be on: the VPC the stack creates, or the existing one the spec names. */
function clusterNetwork(tf: Tf, spec: { cluster: { network: { existing?: { networkId: string } | undefined } } }): string {
  const created = Object.values(tf.resource['google_compute_network'] ?? {});
  if (created.length) return `${OWN}/${created[0]!['name'] as string}`;
  const id = spec.cluster.network.existing!.networkId;
  const m = /projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(id);
  return m ? `${m[1]}/${m[2]}` : `${OWN}/${id}`;
}

describe.each(Object.keys(SPECS))('GKE model store: %s', (name) => {
  const spec = specsFrom(SPECS[name]).gke;
  if (spec.target === 'local') throw new Error('gke is a cloud target');
  const objects = synthSpec(spec).objects;
  const classes = byKind(objects, 'StorageClass') as StorageClass[];
  const claims = byKind(objects, 'PersistentVolumeClaim') as Claim[];
  const tf = stackJson<Tf>('gke', SPECS[name]);

  it('every claim on a per-claim file system driver uses a class we emit, naming the cluster\'s network', () => {
    const network = clusterNetwork(tf, spec);
    let checked = 0;
    for (const claim of claims) {
      const cls = classes.find((c) => c.metadata.name === claim.spec.storageClassName);
      if (!cls && claim.spec.storageClassName?.endsWith('-rwo')) continue; // block storage: persistent disks, no network
      expect(cls, `${claim.metadata.name}: class ${claim.spec.storageClassName} must be ours (GKE's built-in rwx classes name no network)`).toBeDefined();
      if (!NETWORKED_PROVISIONERS.includes(cls!.provisioner)) continue;
      expect(resolve(cls!.parameters?.['network'] ?? 'default'), cls!.metadata.name).toBe(network);
      // Filestore on a Shared VPC only through private services access (driver README); elsewhere it peers directly,
      // which needs nothing the stack does not create (a full network name alone is no Shared VPC).
      if (cls!.provisioner.startsWith('filestore.')) {
        expect(cls!.parameters?.['connect-mode'], cls!.metadata.name).toBe(spec.cluster.network.existing?.sharedVpc ? 'PRIVATE_SERVICE_ACCESS' : undefined);
      } else expect(cls!.parameters?.['connect-mode']).toBeUndefined();
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('the model-cache claim asks for modelStorage.size (it creates the store), through the class of the kind and tier', () => {
    const claim = claims.find((c) => c.metadata.name === spec.workloads.modelCache.claimName)!;
    expect(claim.spec.resources.requests.storage).toBe(spec.cluster.modelStorage.size);
    const cls = classes.find((c) => c.metadata.name === claim.spec.storageClassName)!;
    if (spec.cluster.modelStorage.kind === 'lustre') {
      expect(cls.provisioner).toBe('lustre.csi.storage.gke.io');
      expect(cls.parameters?.['perUnitStorageThroughput']).toBe({ standard: '250', performance: '1000' }[spec.cluster.modelStorage.tier]);
    } else {
      expect(cls.provisioner).toBe('filestore.csi.storage.gke.io');
      expect(cls.parameters?.['tier']).toBe('premium');
    }
  });
});

describe('GKE model store sizes', () => {
  const lustre = (tier: string, size: string) => problemsOf(gke(`{ modelStorage: { kind: lustre, tier: ${tier}, size: ${size} } }`));
  it('Managed Lustre: at least the tier\'s minimum, in its steps', () => {
    for (const ok of ['36000Gi', '72000Gi', '6120000Gi', '6336000Gi']) expect(lustre('standard', ok), ok).toEqual([]);
    for (const ok of ['9000Gi', '18000Gi', '1530000Gi', '1584000Gi']) expect(lustre('performance', ok), ok).toEqual([]);
    expect(lustre('standard', '9000Gi')).toEqual([
      'targets.gke.cluster.modelStorage.size: Managed Lustre at 250 MB/s/TiB (tier standard) takes 36,000 GiB to 40,032,000 GiB in steps of 36,000 GiB (of 288,000 GiB above 6,120,000 GiB), written in Gi (e.g. 36000Gi), got "9000Gi"',
    ]);
    for (const bad of ['50000Gi', '6156000Gi', '32Ti']) expect(lustre('standard', bad), bad).toHaveLength(1);
    for (const bad of ['8Ti', '4500Gi', '1539000Gi']) expect(lustre('performance', bad), bad).toHaveLength(1);
  });

  it('Filestore: at least the premium tier\'s 2.5 TiB, which the driver would otherwise provision silently', () => {
    expect(problemsOf(gke('{ modelStorage: { size: 3Ti } }'))).toEqual([]);
    expect(problemsOf(gke('{ modelStorage: { size: 1Ti } }'))).toEqual([
      'targets.gke.cluster.modelStorage.size: Filestore premium (Basic SSD) takes 2,560 GiB to 65,433 GiB, written in Gi or Ti (e.g. 2560Gi); the CSI driver would round a smaller claim up, got "1Ti"',
    ]);
  });

  it('a class of the spec\'s own: the claim keeps workloads.modelCache.size', () => {
    const spec = specsFrom('targets: { gke: { workloads: { modelCache: { storageClass: my-rwx, size: 500Gi } } } }').gke;
    const claim = byKind(synthSpec(spec).objects, 'PersistentVolumeClaim', 'model-cache')[0] as Claim;
    expect(claim.spec).toMatchObject({ storageClassName: 'my-rwx', resources: { requests: { storage: '500Gi' } } });
  });
});
