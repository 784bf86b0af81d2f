/**
 * The AKS node subnet's network security group. Azure CNI overlay does not encapsulate pod traffic, so subnet rules
 * apply to pod addresses, which lie outside the virtual network's service tag: AKS's overlay guide requires node-to-pod
 * and pod-to-pod traffic allowed on every port. So the group allows exactly the cluster's pod range (read from the
 * cluster, not restated) and the node subnet, both ways. Azure admits inbound traffic only if both the subnet's group
 * and the NIC's group allow it, and cloud-provider-azure writes a LoadBalancer Service's `loadBalancerSourceRanges`
 * into the AKS-managed NIC group only: so the subnet group admits exactly the client ranges of the Services we emit, on
 * their ports (floating IP keeps the Service port as destination port), and nothing else from outside. Everything that
 * uses the node subnet (the cluster, every node pool, the control plane's grant) waits for the group, its rules and its
 * association. A brought subnet keeps its own group.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { byKind, type KubeObject, specsFrom, synthSpec } from '../../../support/synth.js';
import { TfGraph, type TfJson } from '../../../support/tf-graph.js';

type LbService = KubeObject & { spec: { type: string; loadBalancerSourceRanges?: string[]; ports: { port: number; protocol?: string }[] } };

/** The LoadBalancer Services the AKS manifests of a spec hold. */
const lbServices = (yaml?: string): LbService[] => (byKind(synthSpec(specsFrom(yaml).aks).objects, 'Service') as LbService[]).filter((s) => s.spec.type === 'LoadBalancer');

const EXPOSED = `
targets:
  aks:
    graphs:
      open: { example: vllm-agg, expose: { mode: load-balancer, scheme: internet-facing, sourceCidrs: [203.0.113.0/24, 198.51.100.0/24], allowPlainHttp: true } }
      inner: { example: sglang-agg, expose: { mode: load-balancer, sourceCidrs: [192.0.2.0/24] } }
`;
const UNEXPOSED = 'graphs: { vllm-agg: { expose: { mode: none } } }';

function graphOf(yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), 'aks-nsg-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as TfJson);
}

describe('AKS node subnet security group', () => {
  const g = graphOf();
  const nodeSubnet = g.ofType('azurerm_subnet').find((a) => g.body(a)['name'] === 'nodes')!;
  const [association] = g.ofType('azurerm_subnet_network_security_group_association');
  const rules = g.ofType('azurerm_network_security_rule').filter((r) => String(g.body(r)['name']).startsWith('overlay-'));
  const cluster = g.body(g.ofType('azurerm_kubernetes_cluster')[0]!);
  const podCidr = (cluster['network_profile'] as { pod_cidr: string }).pod_cidr;
  const nodeCidr = (g.body(nodeSubnet)['address_prefixes'] as string[])[0]!;

  it('the node subnet is associated with a group whose rules admit the cluster\'s pod range and the node subnet both ways', () => {
    expect(g.body(association!)['subnet_id']).toBe(`\${${nodeSubnet}.id}`);
    expect(rules.map((r) => g.body(r)['direction']).sort()).toEqual(['Inbound', 'Outbound']);
    for (const r of rules) {
      expect(g.body(r)).toMatchObject({ access: 'Allow', protocol: '*', destination_port_range: '*' });
      for (const side of ['source_address_prefixes', 'destination_address_prefixes']) expect([...(g.body(r)[side] as string[])].sort()).toEqual([nodeCidr, podCidr].sort());
    }
  });

  /** The inbound Allow rules of a stack's node group, beyond the overlay rules: (source, protocol, port range). */
  const admitted = (h: TfGraph) =>
    h.ofType('azurerm_network_security_rule')
      .map((r) => h.body(r))
      .filter((b) => b['direction'] === 'Inbound' && b['access'] === 'Allow' && !String(b['name']).startsWith('overlay-'))
      .flatMap((b) => [b['source_address_prefix'], ...((b['source_address_prefixes'] as string[] | undefined) ?? [])].filter((x): x is string => typeof x === 'string').map((source) => ({ source, protocol: String(b['protocol']), ports: String(b['destination_port_range']), to: b['destination_address_prefix'] })));
  const portMatches = (range: string, port: number) => range === '*' || range.split(',').some((r) => { const [lo, hi = lo] = r.split('-').map(Number); return port >= lo! && port <= hi!; });

  it.each([
    ['the defaults (one internal frontend)', undefined],
    ['an internet-facing and an internal frontend with their own client ranges', EXPOSED],
    ['no exposed frontend', UNEXPOSED],
  ])('only the clients of the load balancers are admitted from outside the overlay, on the load balancers\' ports: %s', (_, yaml) => {
    const h = yaml === undefined ? g : graphOf(yaml);
    const services = lbServices(yaml);
    const allowed = new Set(services.flatMap((svc) => svc.spec.loadBalancerSourceRanges ?? []));
    const ports = services.flatMap((svc) => svc.spec.ports.map((p) => p.port));
    for (const a of admitted(h)) {
      expect(allowed, a.source).toContain(a.source);
      expect(a.protocol).toBe('Tcp');
      expect(ports.some((p) => portMatches(a.ports, p)) && !a.ports.includes('*') && !a.ports.includes('-'), a.ports).toBe(true);
    }
    if (services.length === 0) expect(admitted(h)).toEqual([]);
  });

  it.each([
    ['the defaults', undefined],
    ['internet-facing and internal frontends', EXPOSED],
  ])('every port of every LoadBalancer Service is admitted from each of its client ranges, to its frontend IP: %s', (_, yaml) => {
    const h = yaml === undefined ? g : graphOf(yaml);
    const services = lbServices(yaml);
    expect(services.length).toBeGreaterThan(0);
    const rules = admitted(h);
    for (const svc of services) {
      expect(svc.spec.loadBalancerSourceRanges?.length, svc.metadata.name).toBeGreaterThan(0);
      for (const source of svc.spec.loadBalancerSourceRanges!) {
        for (const p of svc.spec.ports) {
          const ok = rules.some((r) => r.source === source && ['Tcp', '*'].includes(r.protocol) && portMatches(r.ports, p.port) && r.to === '*');
          expect(ok, `${svc.metadata.name}: ${source} -> ${p.port}`).toBe(true);
        }
      }
    }
  });

  it('everything that uses the node subnet waits for the group, its rules and the association', () => {
    const users = g.resourceAddresses().filter((a) => a !== association && JSON.stringify(g.body(a)).includes('subnet') && g.reaches(a, nodeSubnet));
    expect(users.length).toBeGreaterThanOrEqual(4);
    for (const u of users) expect(g.missing(u, [association!, ...rules]), u).toEqual([]);
  });

  it('a brought subnet gets no group from the stack', () => {
    const byo = graphOf('targets: { aks: { cluster: { network: { existing: { networkId: vnet, subnetIds: [/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/n] } } } } }');
    expect(byo.ofType('azurerm_network_security_group')).toEqual([]);
  });
});
