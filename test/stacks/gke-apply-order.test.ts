/**
 * What the first apply on a fresh project needs, walked on the GKE stack's Terraform JSON (references and
 * depends_on, transitively):
 * - a Workload Identity binding (a member in `<project>.svc.id.goog[ns/ksa]`) comes after a cluster: the identity
 *   pool exists only once the project's first cluster with Workload Identity does, before that IAM answers
 *   "Identity Pool does not exist" (terraform-google-modules/terraform-google-kubernetes-engine#916);
 * - every Google resource comes after the google_project_service of the API it calls, and no API is turned off at
 *   destroy (google provider 6.50 `disable_on_destroy` defaults to true);
 * - every IAM grant to a Google service agent (`service-<number>@<agent domain>`) comes after a wait (`time_sleep`,
 *   a minute or more) that itself comes after the API that creates the agent: Google creates agents asynchronously
 *   after the enablement, and setIamPolicy on a missing one fails with 400 "Service account ... does not exist"
 *   (GoogleCloudPlatform/gke-enterprise-mt#2, ServiceWeaver/weaver-gke#45).
 */
import { describe, expect, it } from 'vitest';
import { stackJson } from '../support/stack-json.js';
import { type TfJson, TfGraph, type TfNode } from '../support/tf-graph.js';

const gke = (yaml: string) => `targets: { gke: { cluster: ${yaml} } }`;
const SPECS: Record<string, string | undefined> = {
  default: undefined,
  'Managed Lustre': gke('{ modelStorage: { kind: lustre, tier: standard, size: 36000Gi } }'),
  'Managed Lustre on an existing network, no registry': gke(
    '{ modelStorage: { kind: lustre, tier: performance, size: 9000Gi }, registry: { enabled: false }, network: { existing: { networkId: projects/p/global/networks/shared, subnetIds: [projects/p/regions/us-central1/subnetworks/nodes] } } }',
  ),
  'a 40-character cluster name, logs off': gke('{ name: a-forty-character-cluster-name-for-gke12, logs: { enabled: false } }'),
};
const graphs = Object.fromEntries(Object.entries(SPECS).map(([k, y]) => [k, new TfGraph(stackJson<TfJson>('gke', y))]));

const IAM_TYPES = ['google_service_account_iam_member', 'google_service_account_iam_binding', 'google_project_iam_member', 'google_project_iam_binding'];
const membersOf = (n: TfNode): string[] => [n.body['member'], ...((n.body['members'] as unknown[] | undefined) ?? [])].filter((m): m is string => typeof m === 'string');
/** A member of the project's Workload Identity pool, written out or through the cluster's attribute. */
const isPoolMember = (m: string) => m.includes('.svc.id.goog') || m.includes('workload_identity_config') || m.includes('workloadIdentityPools');
const isCluster = (n: TfNode) => n.type === 'google_container_cluster';
const service = (api: string) => (n: TfNode) => n.type === 'google_project_service' && n.body['service'] === api;

/** The API each family of resources calls (the rule, written here independently of the stack's own list). */
const API_OF: readonly [RegExp, string][] = [
  [/^google_compute_/, 'compute.googleapis.com'],
  [/^google_container_/, 'container.googleapis.com'],
  [/^google_service_account(_iam_(member|binding|policy))?$/, 'iam.googleapis.com'],
  [/^google_project_iam_/, 'cloudresourcemanager.googleapis.com'],
  [/^google_artifact_registry_/, 'artifactregistry.googleapis.com'],
  [/^google_service_networking_/, 'servicenetworking.googleapis.com'],
  [/^google_filestore_/, 'file.googleapis.com'],
  [/^google_lustre_/, 'lustre.googleapis.com'],
  [/^google_kms_/, 'cloudkms.googleapis.com'],
];

/** The API whose enablement creates each service agent (by the agent's domain). */
const AGENT_API: Readonly<Record<string, string>> = {
  'container-engine-robot.iam.gserviceaccount.com': 'container.googleapis.com',
  'compute-system.iam.gserviceaccount.com': 'compute.googleapis.com',
  'gcp-sa-artifactregistry.iam.gserviceaccount.com': 'artifactregistry.googleapis.com',
  'gcp-sa-cloudkms.iam.gserviceaccount.com': 'cloudkms.googleapis.com',
};
const agentDomain = (m: string): string | undefined => /^serviceAccount:service-[^@]+@(.+)$/.exec(m)?.[1];

describe('the dependency walk itself', () => {
  it('follows references and depends_on transitively, and nothing else', () => {
    const g = new TfGraph({
      resource: {
        a: { one: { x: '${b.two.id}' } },
        b: { two: { depends_on: ['c.three'] } },
        c: { three: { note: 'mentions d.four outside an interpolation' } },
        d: { four: {} },
      },
    });
    expect([...g.ancestors('a.one')].sort()).toEqual(['b.two', 'c.three']);
    expect(g.reachesWhere('a.one', (n) => n.type === 'd')).toBe(false);
  });
});

describe.each(Object.keys(SPECS))('GKE apply order: %s', (name) => {
  const g = graphs[name]!;

  it('every Workload Identity binding depends on a cluster', () => {
    const bindings = IAM_TYPES.flatMap((t) => g.nodesOfType(t)).filter((n) => membersOf(n).some(isPoolMember));
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) expect(g.reachesWhere(b.address, isCluster), b.address).toBe(true);
  });

  it('every grant to a service agent waits a minute or more after the API that creates the agent', () => {
    const grants = g.resourceNodes().filter((n) => membersOf(n).some((m) => agentDomain(m)));
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      for (const domain of membersOf(grant).map(agentDomain).filter((d): d is string => d !== undefined)) {
        const api = AGENT_API[domain];
        expect(api, `${grant.address}: add the agent domain ${domain} to AGENT_API`).toBeDefined();
        const waits = g.nodesOfType('time_sleep').filter((w) => Number.parseInt(String(w.body['create_duration']), 10) >= 60 && g.reachesWhere(w.address, service(api!)));
        expect(waits.some((w) => g.reachesWhere(grant.address, (n) => n.address === w.address)), `${grant.address} waits after ${api}`).toBe(true);
      }
    }
  });

  it('every Google resource depends on the project service of its API; no API is turned off at destroy', () => {
    const services = g.nodesOfType('google_project_service');
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) expect(s.body).toMatchObject({ disable_on_destroy: false, disable_dependent_services: false });
    const resources = g.resourceNodes().filter((n) => n.type.startsWith('google_') && n.type !== 'google_project_service');
    for (const r of resources) {
      const api = API_OF.find(([re]) => re.test(r.type))?.[1];
      expect(api, `${r.type}: add its API to API_OF`).toBeDefined();
      expect(g.reachesWhere(r.address, service(api!)), `${r.address} -> ${api}`).toBe(true);
    }
  });

  it('the cluster waits for the APIs its add-ons and features call; the release that creates the model-cache claim waits for the storage API', () => {
    const lustre = name.startsWith('Managed Lustre');
    const storageApi = lustre ? 'lustre.googleapis.com' : 'file.googleapis.com';
    const [cluster] = g.nodesOfType('google_container_cluster');
    for (const api of ['logging.googleapis.com', 'monitoring.googleapis.com', 'iamcredentials.googleapis.com', storageApi]) {
      expect(g.reachesWhere(cluster!.address, service(api)), api).toBe(true);
    }
    const platform = g.nodesOfType('helm_release').find((r) => r.body['name'] === 'dynamo-iac-platform')!;
    expect(g.reachesWhere(platform.address, service(storageApi))).toBe(true);
    const enabled = g.nodesOfType('google_project_service').map((s) => s.body['service'] as string);
    expect(enabled).toContain(storageApi);
    expect(enabled).not.toContain(lustre ? 'file.googleapis.com' : 'lustre.googleapis.com');
    // Each API is enabled once, and only those some resource or feature uses.
    expect(new Set(enabled).size).toBe(enabled.length);
    expect(enabled.includes('artifactregistry.googleapis.com')).toBe(g.nodesOfType('google_artifact_registry_repository').length > 0);
    expect(enabled.includes('servicenetworking.googleapis.com')).toBe(g.nodesOfType('google_service_networking_connection').length > 0);
  });
});
