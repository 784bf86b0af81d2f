/**
 * The AKS node subnet's network security group. Azure CNI overlay does not encapsulate pod traffic, so subnet rules
 * apply to pod addresses, which lie outside the virtual network's service tag: AKS's overlay guide requires node-to-pod
 * and pod-to-pod traffic allowed on every port. So the group allows exactly the cluster's pod range (read from the
 * cluster, not restated) and the node subnet, both ways; nothing admits the internet; and everything that uses the node
 * subnet (the cluster, every node pool, the control plane's grant) waits for the group, its rules and its association.
 * A brought subnet keeps its own group.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';
import { TfGraph, type TfJson } from '../../../support/tf-graph.js';

function graphOf(yaml?: string): TfGraph {
  const out = mkdtempSync(join(tmpdir(), 'aks-nsg-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return new TfGraph(JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as TfJson);
}

describe('AKS node subnet security group', () => {
  const g = graphOf();
  const nodeSubnet = g.ofType('azurerm_subnet').find((a) => g.body(a)['name'] === 'nodes')!;
  const [association] = g.ofType('azurerm_subnet_network_security_group_association');
  const rules = g.ofType('azurerm_network_security_rule');
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

  it('no rule admits the internet', () => {
    for (const r of rules) {
      const b = g.body(r);
      const sources = [b['source_address_prefix'], ...((b['source_address_prefixes'] as string[] | undefined) ?? [])].filter(Boolean);
      if (b['direction'] === 'Inbound') for (const s of sources) expect(['*', '0.0.0.0/0', 'Internet', 'Any']).not.toContain(s);
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
