/**
 * Deliberately broken copies of a target's outputs, each a defect the simulation must catch with a message naming
 * the cause: the suite's proof that its checks can fail.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { distFiles, readObjects } from './manifests.js';
import { poolsOf, type SimTarget } from './pools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Mutation {
  readonly name: string;
  readonly description: string;
  /** The failing check's text must match this. */
  readonly expect: RegExp;
  /** Changes the objects of one dist file in place; returns whether it changed anything. */
  readonly dist?: (objects: Json[], ctx: { target: SimTarget; tf: Json | undefined }) => boolean;
  readonly tf?: (tf: Json) => boolean;
}

const gpuServices = (o: Json): Json[] =>
  o['kind'] === 'DynamoGraphDeployment' ? Object.values((o['spec']?.['services'] ?? {}) as Record<string, Json>).filter((s) => Number(s['resources']?.['limits']?.['gpu'] ?? 0) > 0) : [];

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'gpu-worker-without-toleration',
    description: 'a GPU worker without its pool\'s nvidia.com/gpu toleration',
    expect: /Pending: .*untolerated taint.*nvidia\.com\/gpu/,
    dist: (objects) => {
      const svc = objects.flatMap(gpuServices)[0];
      if (!svc) return false;
      const tol = (svc['extraPodSpec']?.['tolerations'] ?? []) as Json[];
      svc['extraPodSpec']['tolerations'] = tol.filter((t) => t['key'] !== 'nvidia.com/gpu');
      return tol.length !== svc['extraPodSpec']['tolerations'].length;
    },
  },
  {
    name: 'operator-role-missing-rule',
    description: 'the operator ClusterRole without its rule on apps/deployments',
    expect: /denied[\s\S]*deployments\.apps/,
    dist: (objects) => {
      let changed = false;
      for (const o of objects.filter((x) => x['kind'] === 'ClusterRole' || x['kind'] === 'Role')) {
        for (const r of (o['rules'] ?? []) as Json[]) {
          if ((r['apiGroups'] ?? []).includes('apps') && (r['resources'] ?? []).includes('deployments')) {
            r['resources'] = (r['resources'] as string[]).filter((x) => x !== 'deployments');
            changed = true;
          }
        }
      }
      return changed;
    },
  },
  {
    name: 'graph-asks-too-many-gpus',
    description: 'a graph asking for more GPUs than any node of its pools has',
    expect: /Pending: [\s\S]*nvidia\.com\/gpu: needs \d+, a node has \d+/,
    dist: (objects, { target, tf }) => {
      const svc = objects.flatMap(gpuServices)[0];
      if (!svc) return false;
      const most = Math.max(0, ...poolsOf(target, tf).map((p) => Number(p.resources.capacity['nvidia.com/gpu'] ?? 0)));
      svc['resources']['limits']['gpu'] = String(most + 1);
      if (svc['resources']['requests']?.['gpu']) svc['resources']['requests']['gpu'] = String(most + 1);
      return true;
    },
  },
  {
    name: 'pool-without-autoscaler',
    description: 'GPU pools with no nodes and no autoscaler (the cluster-autoscaler release removed)',
    expect: /Pending: [\s\S]*no autoscaler grows it/,
    tf: (tf) => {
      const releases = (tf['resource']?.['helm_release'] ?? {}) as Record<string, Json>;
      const ca = Object.keys(releases).filter((k) => releases[k]!['chart'] === 'cluster-autoscaler');
      for (const k of ca) delete releases[k];
      for (const p of Object.values((tf['resource']?.['google_container_node_pool'] ?? {}) as Record<string, Json>)) delete p['autoscaling'];
      for (const p of Object.values((tf['resource']?.['azurerm_kubernetes_cluster_node_pool'] ?? {}) as Record<string, Json>)) p['auto_scaling_enabled'] = false;
      return true;
    },
  },
];

/** A copy of the dist directory with the mutation applied (the first file it changes). */
export function mutatedDist(m: Mutation, dist: string, ctx: { target: SimTarget; tf: Json | undefined }): string {
  const out = mkdtempSync(join(tmpdir(), `dynamo-iac-mutation-${m.name}-`));
  mkdirSync(out, { recursive: true });
  let changed = !m.dist;
  for (const f of distFiles(dist)) {
    const objects = readObjects(f);
    if (!changed && m.dist!(objects, ctx)) changed = true;
    writeFileSync(join(out, basename(f)), objects.map((o) => stringify(o)).join('---\n'));
  }
  if (!changed) throw new Error(`mutation ${m.name} found nothing to change in ${dist}`);
  return out;
}
