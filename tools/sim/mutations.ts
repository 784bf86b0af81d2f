/**
 * Deliberately broken copies of a target's outputs, each a defect the simulation must catch with a message naming
 * the cause: the suite's proof that its checks can fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { distFiles, readObjects } from './manifests.js';
import { poolsOf, type SimTarget } from './pools.js';
import { probePrefix } from './probes.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a mutation must make the run say: one line of a failing check that names the subject and matches. */
export interface Expectation {
  /** Text the line must contain (e.g. the mutated pod's name prefix). */
  readonly subject: string;
  readonly expect: RegExp;
}

export interface Mutation {
  readonly name: string;
  readonly description: string;
  /** Changes the objects of one dist file in place; returns what the run must then say, or undefined if nothing changed. */
  readonly dist?: (objects: Json[], ctx: { target: SimTarget; tf: Json | undefined }) => Expectation | undefined;
  /** Changes the stack's Terraform JSON; returns what the run must then say. */
  readonly tf?: (tf: Json) => Expectation | undefined;
}

/** The failing line that proves the mutation was caught for its cause, if any. */
export function evidenceOf(e: Expectation, failing: readonly { name: string; details: readonly string[] }[]): string | undefined {
  for (const c of failing) for (const d of c.details) if (d.includes(e.subject) && e.expect.test(d)) return `${c.name}: ${d}`;
  return undefined;
}

/** The first GPU service of the objects, with its graph. */
function firstGpuService(objects: Json[]): { dgd: Json; name: string; svc: Json } | undefined {
  for (const o of objects.filter((x) => x['kind'] === 'DynamoGraphDeployment')) {
    for (const [name, svc] of Object.entries((o['spec']?.['services'] ?? {}) as Record<string, Json>)) {
      if (Number(svc['resources']?.['limits']?.['gpu'] ?? 0) > 0) return { dgd: o, name, svc };
    }
  }
  return undefined;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'gpu-worker-without-toleration',
    description: 'a GPU worker without its pool\'s nvidia.com/gpu toleration',
    dist: (objects) => {
      const found = firstGpuService(objects);
      if (!found) return undefined;
      const pod = (found.svc['extraPodSpec'] ??= {}) as Json;
      const before = ((pod['tolerations'] ?? []) as Json[]).length;
      pod['tolerations'] = ((pod['tolerations'] ?? []) as Json[]).filter((t) => t['key'] !== 'nvidia.com/gpu');
      if (pod['tolerations'].length === before) return undefined;
      return { subject: probePrefix(found.dgd, found.name), expect: /Pending: .*untolerated taint nvidia\.com\/gpu/ };
    },
  },
  {
    name: 'operator-role-missing-rule',
    description: 'the operator ClusterRole without its rule on apps/deployments',
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
      return changed ? { subject: 'deployments.apps', expect: /^(create|delete|get|list|patch|update|watch) deployments\.apps / } : undefined;
    },
  },
  {
    name: 'graph-asks-too-many-gpus',
    description: 'a graph asking for more GPUs than any node of its pools has',
    dist: (objects, { target, tf }) => {
      const found = firstGpuService(objects);
      if (!found) return undefined;
      const most = Math.max(0, ...poolsOf(target, tf).map((p) => Number(p.resources.capacity['nvidia.com/gpu'] ?? 0)));
      found.svc['resources']['limits']['gpu'] = String(most + 1);
      if (found.svc['resources']['requests']?.['gpu']) found.svc['resources']['requests']['gpu'] = String(most + 1);
      return { subject: probePrefix(found.dgd, found.name), expect: new RegExp(`Pending: .*nvidia\\.com/gpu: needs ${most + 1}, a node has ${most}`) };
    },
  },
  {
    name: 'pool-without-autoscaler',
    description: 'GPU pools with no nodes and no autoscaler (the cluster-autoscaler release removed)',
    tf: (tf) => {
      const releases = (tf['resource']?.['helm_release'] ?? {}) as Record<string, Json>;
      for (const k of Object.keys(releases).filter((key) => releases[key]!['chart'] === 'cluster-autoscaler')) delete releases[k];
      for (const p of Object.values((tf['resource']?.['google_container_node_pool'] ?? {}) as Record<string, Json>)) delete p['autoscaling'];
      for (const p of Object.values((tf['resource']?.['azurerm_kubernetes_cluster_node_pool'] ?? {}) as Record<string, Json>)) p['auto_scaling_enabled'] = false;
      return { subject: '-probe-', expect: /Pending: .*no pool can grow for it: .*gpu: no autoscaler grows it/ };
    },
  },
  {
    name: 'privileged-platform-pod',
    description: 'a platform container that asks for privileged mode in a namespace enforcing restricted Pod Security',
    dist: (objects) => {
      const sts = objects.find((x) => x['kind'] === 'StatefulSet' && /nats/.test(x['metadata']['name']));
      const c = sts?.['spec']?.['template']?.['spec']?.['containers']?.[0] as Json | undefined;
      if (!c) return undefined;
      c['securityContext'] = { ...(c['securityContext'] ?? {}), privileged: true, allowPrivilegeEscalation: true };
      return { subject: sts!['metadata']['name'], expect: /PodSecurity/ };
    },
  },
];

/** A copy of the dist directory with the mutation applied (the first file it changes), and what the run must say. */
export function mutatedDist(m: Mutation, dist: string, ctx: { target: SimTarget; tf: Json | undefined }): { dir: string; expectation?: Expectation } {
  const out = mkdtempSync(join(tmpdir(), `dynamo-iac-mutation-${m.name}-`));
  let expectation: Expectation | undefined;
  for (const f of distFiles(dist)) {
    const objects = readObjects(f);
    if (m.dist && !expectation) expectation = m.dist(objects, ctx);
    writeFileSync(join(out, basename(f)), objects.map((o) => stringify(o)).join('---\n'));
  }
  if (m.dist && !expectation) throw new Error(`mutation ${m.name} found nothing to change in ${dist}`);
  return { dir: out, ...(expectation ? { expectation } : {}) };
}
