/**
 * KubernetesLayer: the deploy path every cloud stack shares. After the cluster exists it installs, in dependency
 * order, with Helm:
 *   0. the StorageClasses among our manifests (files holding nothing else), as their own release: a claim that a
 *      prerequisite's operator creates (kube-prometheus-stack's Prometheus volume on EKS's `gp3-encrypted`) finds
 *      its class;
 *   1. the pinned upstream charts the platform needs (Dynamo CRDs, then the GPU Operator where the cloud does not
 *      manage drivers, then Grove and KAI): `platformPrerequisites(spec)` is the same list the README prints;
 *   2. optionally the node pools of a node provisioner installed in step 1 (Karpenter's NodePools), as their own
 *      release: `destroy` deletes it before the provisioner, whose finalizers drain and terminate the nodes while
 *      Helm waits for the deletion;
 *   3. the model storage class, whose parameters come from the cloud (file system ids);
 *   4. our synthesized platform manifests (namespace, etcd, NATS, operator, KAI queues, workload namespace, model
 *      cache), as one release;
 *   5. optionally the graphs and graph requests (they need the apply-time Secrets first).
 * Nothing here holds a secret value: the Helm provider runs the cloud's credential plugin for each connection.
 */
import { HelmProvider, Release } from './helm-provider.cjs';
import { Fn } from '../cdktf.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { parseAllDocuments, stringify } from 'yaml';
import type { HelmPrerequisite } from '../../../charts/prerequisites.js';
import type { SynthFile } from '../../../charts/synth.js';
import { VERSIONS } from '../../../spec/versions.js';
import { chartSource } from './chart-source.js';
import { LocalChart } from './local-chart.js';
import { type CloudStorageClass, storageClassObject } from './model-storage-class.js';

export interface ClusterAccess {
  readonly host: string;
  /** Base64-encoded CA bundle, as the clouds return it. */
  readonly clusterCaCertificateBase64: string;
  /**
   * A credential plugin run for every connection (e.g. `aws eks get-token`): a token fetched once would expire
   * during a long first install.
   */
  readonly exec: { readonly command: string; readonly args: readonly string[] };
}

export interface KubernetesLayerProps {
  readonly access: ClusterAccess;
  /** Upstream charts, in install order. */
  readonly prerequisites: readonly HelmPrerequisite[];
  /** The model storage class, when the cloud creates it (parameters may be Terraform references). */
  readonly storageClass?: CloudStorageClass;
  /** The synthesized manifests of the target: the platform files, and the graph files. */
  readonly platformManifests: readonly SynthFile[];
  readonly graphManifests?: readonly SynthFile[];
  /**
   * Node pools of a provisioner among the prerequisites, as a release of their own that the platform release does
   * not contain. Helm uninstalls with `wait`, so `destroy` waits (up to `timeoutSeconds`) until the provisioner's
   * finalizers have drained and terminated every node, before the provisioner itself goes. @default - none
   */
  readonly nodePools?: { readonly manifests: readonly SynthFile[]; readonly timeoutSeconds: number };
  /** What the first release waits for (node groups, CSI add-ons). */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for a release to become ready. @default 900 */
  readonly timeoutSeconds?: number;
}

const fileName = (f: SynthFile) => f.path.split('/').pop()!;

/** A manifest file that holds StorageClasses and nothing else (its `kinds` when given, else its parsed documents'). */
export function isStorageClassFile(f: SynthFile): boolean {
  const kinds = f.kinds ?? parseAllDocuments(f.content).map((d) => (d.toJS() as { kind?: unknown } | null)?.kind).filter((k) => k !== undefined);
  return kinds.length > 0 && kinds.every((k) => k === 'StorageClass');
}

/** `{ 'a.b': 1 }` -> `{ a: { b: 1 } }`: the `--set-json` paths of a prerequisite as a values document. */
export function nestDotted(flat: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const keys = path.split('.');
    let cur = out;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys[keys.length - 1]!] = value;
  }
  return out;
}

export class KubernetesLayer extends Construct {
  public readonly releases: Release[] = [];

  constructor(scope: Construct, id: string, props: KubernetesLayerProps) {
    super(scope, id);
    const provider = new HelmProvider(this, 'helm', {
      kubernetes: {
        host: props.access.host,
        clusterCaCertificate: Fn.base64decode(props.access.clusterCaCertificateBase64),
        exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: props.access.exec.command, args: [...props.access.exec.args] },
      },
    });
    const timeout = props.timeoutSeconds ?? 900;
    let previous: ITerraformDependable[] = [...(props.dependsOn ?? [])];
    // Every release sets `upgrade_install`: the helm provider's Read (3.1.1) drops a release from the state when it
    // cannot reach the cluster (e.g. a plan from a runner the API does not admit yet), and without it the next
    // install of the still-existing release fails ("cannot re-use a name that is still in use").
    const chain = (release: Release) => {
      this.releases.push(release);
      previous = [release];
      return release;
    };

    const local = (rid: string, name: string, files: readonly SynthFile[], description: string, releaseTimeout = timeout) => {
      const chart = new LocalChart(this, `${rid}-chart`, {
        chartName: name,
        version: VERSIONS.dynamo.version,
        description,
        manifests: Object.fromEntries(files.map((f) => [fileName(f), f.content])),
      });
      // The provider bounds each operation by its own timeouts (20 minutes by default) besides Helm's `timeout`: a
      // longer Helm timeout needs the operation's too, or `destroy` gives up while the uninstall still waits.
      const longer = releaseTimeout > timeout ? { timeouts: { create: `${releaseTimeout}s`, update: `${releaseTimeout}s`, delete: `${releaseTimeout}s` } } : {};
      return chain(new Release(this, rid, { provider, name, namespace: 'default', chart: chart.path, wait: true, timeout: releaseTimeout, upgradeInstall: true, ...longer, dependsOn: previous }));
    };
    const classes = props.platformManifests.filter(isStorageClassFile);
    if (classes.length) local('storage-classes', 'dynamo-iac-storage-classes', classes, 'StorageClasses of dynamo-iac, before any release whose claims use them');

    for (const p of props.prerequisites) {
      const values = p.jsonValues && nestDotted(p.jsonValues);
      chain(
        new Release(this, p.release, {
          provider,
          name: p.release,
          namespace: p.namespace,
          createNamespace: p.namespace !== 'default',
          ...chartSource(p.chart),
          set: Object.entries(p.values).map(([name, value]) => ({ name, value })),
          ...(values !== undefined && { values: [stringify(values, { aliasDuplicateObjects: false })] }),
          wait: true,
          timeout,
          upgradeInstall: true,
          dependsOn: previous,
        }),
      );
    }

    if (props.nodePools?.manifests.length) {
      local('node-pools', 'dynamo-iac-node-pools', props.nodePools.manifests, 'Node pools of the node provisioner, as synthesized by dynamo-iac', props.nodePools.timeoutSeconds);
    }

    if (props.storageClass) {
      // The whole class comes in as a value: its parameters are Terraform references resolved at apply.
      const chart = new LocalChart(this, 'storage-chart', {
        chartName: 'dynamo-iac-storage',
        version: '0.1.0',
        description: 'The model storage class, with parameters from the cloud stack',
        rawTemplates: { 'storage-class.yaml': '{{- toYaml .Values.storageClass }}\n' },
      });
      chain(
        new Release(this, 'storage', {
          provider,
          name: 'dynamo-iac-storage',
          namespace: 'default',
          chart: chart.path,
          values: [Fn.yamlencode({ storageClass: storageClassObject(props.storageClass) })],
          wait: true,
          timeout,
          upgradeInstall: true,
          dependsOn: previous,
        }),
      );
    }

    local('platform', 'dynamo-iac-platform', props.platformManifests.filter((f) => !classes.includes(f)), 'The Dynamo platform as synthesized by dynamo-iac');
    if (props.graphManifests?.length) local('graphs', 'dynamo-iac-graphs', props.graphManifests, 'The Dynamo graphs as synthesized by dynamo-iac');
  }
}
