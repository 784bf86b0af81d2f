/**
 * The order Terraform applies each cloud stack in, walked over its JSON (references and depends_on, transitively;
 * test/support/tf-graph.ts): an identity binding waits for the cluster (GKE's workload identity pool, EKS's pod
 * identity, AKS's OIDC issuer exist only with it); every Kubernetes-side resource (Helm releases, and any
 * kubernetes_* or kubectl_* resource) waits for the cluster, every node pool, every identity binding (EKS Pod
 * Identity injects credentials when a pod is created, not later), and the release that creates the model-cache claim
 * and its access pod waits for the whole model store (file system, mount targets, security rules, CSI driver,
 * storage class). Run on the default spec of each cloud and on the specs that reach the other storage paths.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CloudTarget } from '../../spec/schema.js';
import { AKS_RBAC_CLUSTER_ADMIN } from '../../constructs/cloud/azure/cluster.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { specsFrom } from '../support/synth.js';
import { TfGraph, type TfJson } from '../support/tf-graph.js';

interface CloudShape {
  readonly cluster: string;
  readonly pools: readonly string[];
  /** Bindings of Kubernetes service accounts to cloud identities. */
  readonly identityBindings: (g: TfGraph) => string[];
  /** The CSI drivers of the model store, when the stack installs them as resources. */
  readonly csiDrivers: (g: TfGraph) => string[];
  /** The grant that lets the deployer (whoever applies) talk to the Kubernetes API, when it is a resource. */
  readonly deployerGrants: (g: TfGraph) => string[];
  /** The network path to the model store the stack creates outside the `model-storage` construct (peering, firewall rules). */
  readonly storeNetwork: (g: TfGraph) => string[];
}

const helmNamed = (g: TfGraph, re: RegExp) => g.ofType('helm_release').filter((a) => re.test(String(g.body(a)['name'])));
const SHAPES: Record<CloudTarget, CloudShape> = {
  eks: {
    cluster: 'aws_eks_cluster',
    pools: ['aws_eks_node_group'],
    identityBindings: (g) => g.ofType('aws_eks_pod_identity_association'),
    csiDrivers: (g) => g.ofType('aws_eks_addon').filter((a) => /csi-driver$/.test(String(g.body(a)['addon_name']))),
    // The creator's admin access comes with the cluster (bootstrap_cluster_creator_admin_permissions).
    deployerGrants: () => [],
    storeNetwork: () => [],
  },
  aks: {
    cluster: 'azurerm_kubernetes_cluster',
    pools: ['azurerm_kubernetes_cluster_node_pool'],
    identityBindings: (g) => g.ofType('azurerm_federated_identity_credential'),
    csiDrivers: (g) => helmNamed(g, /csi-driver$/),
    // Entra ID with Azure RBAC: without the role for the signed-in principal, every call of the Helm provider is 403.
    deployerGrants: (g) =>
      g.ofType('azurerm_role_assignment').filter((a) => g.body(a)['role_definition_name'] === AKS_RBAC_CLUSTER_ADMIN && String(g.body(a)['principal_id']).includes('data.azurerm_client_config.')),
    storeNetwork: () => [],
  },
  gke: {
    cluster: 'google_container_cluster',
    pools: ['google_container_node_pool'],
    identityBindings: (g) =>
      ['google_service_account_iam_member', 'google_service_account_iam_binding', 'google_project_iam_member']
        .flatMap((t) => g.ofType(t))
        .filter((a) => /svc\.id\.goog|principal(Set)?:\/\/iam\.googleapis\.com/.test(JSON.stringify(g.body(a)))),
    // The Filestore and Managed Lustre drivers are cluster add-ons (the cluster itself).
    csiDrivers: () => [],
    // The deployer's project IAM role grants the Kubernetes API access: nothing in the stack.
    deployerGrants: () => [],
    // Managed Lustre: the peering (private services access) and every ingress rule admitting Lustre's LNet port.
    storeNetwork: (g) => [
      ...g.ofType('google_service_networking_connection'),
      ...g.ofType('google_compute_firewall').filter((a) => JSON.stringify(g.body(a)['allow'] ?? []).includes('"988"')),
    ],
  },
};

/** The stack of `target` synthesized from a spec text. */
function graphOf(target: CloudTarget, yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), `walk-${target}-`));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', target, 'cdk.tf.json'), 'utf8')) as TfJson);
}

/**
 * Name, cloud, spec text, whether the stack itself creates the model store's resources (else a CSI driver does), and
 * how many network resources on the way to the store it creates outside them (CloudShape.storeNetwork).
 */
const VARIANTS: [string, CloudTarget, string | undefined, boolean, number][] = [
  ['EKS default (EFS)', 'eks', undefined, true, 0],
  ['EKS with FSx for Lustre', 'eks', 'targets: { eks: { cluster: { modelStorage: { kind: lustre, tier: performance } } } }', true, 0],
  ['AKS default (Azure Managed Lustre)', 'aks', undefined, true, 0],
  ['AKS default, graphs deployed too', 'aks', 'targets: { aks: { cluster: { deploy: { graphs: true } } } }', true, 0],
  ['AKS with Azure Files', 'aks', 'targets: { aks: { cluster: { modelStorage: { kind: shared-file, size: 1Ti } } } }', false, 0],
  ['GKE default (Filestore)', 'gke', undefined, false, 0],
  // The peering and the LNet firewall rule.
  ['GKE with Managed Lustre', 'gke', 'targets: { gke: { cluster: { modelStorage: { kind: lustre, tier: performance, size: 9000Gi } } } }', false, 2],
];

/** Resources that talk to the Kubernetes API. */
const kubernetesSide = (all: string[]) => all.filter((a) => /^(helm_release|kubernetes_[a-z0-9_]+|kubectl_[a-z0-9_]+)\./.test(a));

describe.each(VARIANTS)('%s', (_, target, yaml, stackStore, storeNetwork) => {
  const g = graphOf(target, yaml);
  const shape = SHAPES[target];
  const all = [...new Set([...g.ofType('helm_release'), ...['kubernetes', 'kubectl'].flatMap((p) => allOfPrefix(g, p))])];
  const [cluster] = g.ofType(shape.cluster);
  const pools = shape.pools.flatMap((t) => g.ofType(t));

  it('the stack has a cluster, node pools and a deploy path to check', () => {
    expect(cluster).toBeDefined();
    expect(pools.length).toBeGreaterThan(0);
    if (target === 'aks') expect(shape.deployerGrants(g)).toHaveLength(1);
    expect(kubernetesSide(all).length).toBeGreaterThan(3);
  });

  it('every identity binding waits for the cluster', () => {
    for (const b of shape.identityBindings(g)) expect(g.reaches(b, cluster!), `${b} does not wait for ${cluster}`).toBe(true);
  });

  it('every Kubernetes-side resource waits for the cluster, every node pool, the deployer\'s access grant and every identity binding', () => {
    const needs = [cluster!, ...pools, ...shape.deployerGrants(g), ...shape.identityBindings(g)];
    for (const r of kubernetesSide(all)) expect(g.missing(r, needs), `${r} does not wait for`).toEqual([]);
  });

  it('the release with the model-cache claim waits for the whole model store: file system, its network rules, CSI driver, storage class', () => {
    const platform = helmNamed(g, /^dynamo-iac-platform$/);
    expect(platform).toHaveLength(1);
    const store = allUnder(g, 'model-storage');
    const network = shape.storeNetwork(g);
    const needs = [...store, ...network, ...shape.csiDrivers(g), ...helmNamed(g, /^dynamo-iac-storage$/)];
    expect(store.length > 0).toBe(stackStore);
    expect(network).toHaveLength(storeNetwork);
    expect(g.missing(platform[0]!, needs)).toEqual([]);
  });
});

/** Every resource of a provider (type prefix). */
function allOfPrefix(g: TfGraph, prefix: string): string[] {
  return g.resourceAddresses().filter((a) => a.startsWith(`${prefix}_`));
}
/** Every resource a construct created (cdktf names a resource after its construct path). */
function allUnder(g: TfGraph, construct: string): string[] {
  return g.resourceAddresses().filter((a) => a.split('.')[1]!.startsWith(`${construct}_`));
}

describe('the walk itself', () => {
  const tf: TfJson = {
    provider: { helm: [{ kubernetes: { host: '${azurerm_kubernetes_cluster.c.kube_config[0].host}' } }] },
    resource: {
      azurerm_kubernetes_cluster: { c: { name: 'x', tags: { at: '${merge({a = 1}, data.azurerm_client_config.me.tenant_id)}' } } },
      azurerm_kubernetes_cluster_node_pool: { p: { kubernetes_cluster_id: '${azurerm_kubernetes_cluster.c.id}' } },
      helm_release: { a: { provider: 'helm', name: 'a' }, b: { name: 'b', depends_on: ['helm_release.a'], values: ['${azurerm_kubernetes_cluster_node_pool.p.name}-${foo.bar}'] } },
    },
    data: { azurerm_client_config: { me: {} } },
  };
  const g = new TfGraph(tf);

  it('follows references (inside nested braces), depends_on and the provider configuration, transitively', () => {
    expect(g.reaches('helm_release.a', 'azurerm_kubernetes_cluster.c')).toBe(true);
    expect(g.reaches('helm_release.a', 'data.azurerm_client_config.me')).toBe(true);
    expect(g.missing('helm_release.a', ['azurerm_kubernetes_cluster_node_pool.p'])).toEqual(['azurerm_kubernetes_cluster_node_pool.p']);
    expect(g.reaches('helm_release.b', 'azurerm_kubernetes_cluster_node_pool.p')).toBe(true);
    expect(g.reaches('azurerm_kubernetes_cluster_node_pool.p', 'helm_release.a')).toBe(false);
  });

  it('reads only expression text: not quoted strings, not escaped $${, and braces in quotes do not end an expression', () => {
    const walk = (value: string) =>
      new TfGraph({ resource: { google_container_cluster: { c: { name: 'c' } }, helm_release: { r: { name: 'r', values: [value] } } } }).reaches('helm_release.r', 'google_container_cluster.c');
    // A quoted string inside an expression is a value, not a reference.
    expect(walk('${replace(x.y, "google_container_cluster.c", "")}')).toBe(false);
    expect(walk('${lower("a\\"google_container_cluster.c")}')).toBe(false);
    // `$${` is a literal `${`: no interpolation.
    expect(walk('$${google_container_cluster.c.id}')).toBe(false);
    // A `}` inside quotes does not close the expression; the reference after it counts.
    expect(walk('${merge({a = "}"}, google_container_cluster.c.labels)}')).toBe(true);
    // An interpolation inside a quoted string is an expression again.
    expect(walk('${format("%s", "${google_container_cluster.c.name}")}')).toBe(true);
    expect(walk('$${x} ${google_container_cluster.c.id}')).toBe(true);
  });

  it('refuses a depends_on on an address the stack does not define', () => {
    expect(() => new TfGraph({ resource: { helm_release: { a: { depends_on: ['aws_eks_node_group.gone'] } } } })).toThrow(/aws_eks_node_group\.gone/);
  });
});
