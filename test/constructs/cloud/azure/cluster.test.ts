/**
 * The node resource group of an AKS cluster. Left to AKS it is `MC_<group>_<cluster>_<region>`, refused above 80
 * characters, and with Azure CNI overlay the name is also a node label value (63 at most, Kubernetes label value
 * syntax). Resource group names take letters, digits, `-`, `_`, `.`, `(`, `)` and do not end in `.`. The node
 * resource group must not be the cluster's own group (AKS creates it and refuses an existing one), nor any other
 * cluster's group (named after that cluster). Checked for names of every length the spec accepts, and in the
 * synthesized stack with the longest name.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aksNodeResourceGroup } from '../../../../constructs/cloud/azure/cluster.js';
import { clusterSchema } from '../../../../spec/schema.js';
import { buildTerraformApp } from '../../../../stacks/app.js';
import { specsFrom } from '../../../support/synth.js';

const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_NAME = clusterSchema.shape.name.maxLength!;

/** Accepted cluster names of every length: all-letter, with hyphens, with digits. */
function names(): string[] {
  const out: string[] = [];
  for (let n = 1; n <= MAX_NAME; n++) {
    out.push('a'.repeat(n), `${'a-'.repeat(n).slice(0, n - 1)}z`, 'x9'.repeat(n).slice(0, n));
  }
  return out.filter((name) => clusterSchema.shape.name.safeParse(name).success);
}

describe('AKS node resource group', () => {
  const all = names();

  it(`is a valid resource group name and node label value for every accepted cluster name (1 to ${MAX_NAME} characters)`, () => {
    expect(all.some((n) => n.length === MAX_NAME)).toBe(true);
    for (const name of all) {
      const rg = aksNodeResourceGroup(name);
      expect(rg, name).toMatch(RESOURCE_GROUP);
      expect(rg.endsWith('.'), name).toBe(false);
      expect(rg.length, name).toBeLessThanOrEqual(63);
      expect(rg, name).toMatch(LABEL_VALUE);
    }
  });

  it('is never a cluster\'s own resource group (the cluster name), of this cluster or any other', () => {
    const groups = new Set(all);
    for (const name of all) expect(groups.has(aksNodeResourceGroup(name)), name).toBe(false);
    // Any accepted name at all: a DNS label never holds the underscore the node group carries.
    expect(clusterSchema.shape.name.safeParse(aksNodeResourceGroup('dynamo')).success).toBe(false);
  });

  it('the stack sets it on the cluster, apart from the cluster\'s group, with the longest accepted name', () => {
    const name = `a${'b'.repeat(MAX_NAME - 2)}c`;
    const out = mkdtempSync(join(tmpdir(), 'aks-rg-'));
    buildTerraformApp(specsFrom(`targets: { aks: { cluster: { name: ${name}, region: southeastasia } } }`), out).synth();
    const tf = JSON.parse(readFileSync(join(out, 'stacks', 'aks', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const [cluster] = Object.values(tf.resource['azurerm_kubernetes_cluster']!);
    expect(cluster!['node_resource_group']).toBe(aksNodeResourceGroup(name));
    expect(cluster!['node_resource_group']).not.toBe(cluster!['resource_group_name']);
    // What AKS would have named it: too long for the cluster to be created.
    expect(`MC_${name}_${name}_southeastasia`.length).toBeGreaterThan(80);
  });
});
