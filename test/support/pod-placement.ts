/**
 * Where the scheduler may put a pod: the pod templates of synthesized manifests (workload controllers, bare pods and
 * the services of a DynamoGraphDeployment, whose operator copies `extraPodSpec` into the pods), and the test of a pod
 * spec against a node pool's labels and taints (node selector, required node affinity, tolerations of NoSchedule and
 * NoExecute taints), as kube-scheduler's NodeAffinity and TaintToleration filters decide.
 */
import { placementProblem } from '../../tools/sim/fit.js';
import type { KubeObject } from './synth.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface NodePoolModel {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  /** Anything the caller wants to check on the pools a pod can reach (e.g. the OS image). */
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface PodTemplate {
  /** `Kind/name` of the owner, and the service for a graph. */
  readonly owner: string;
  readonly spec: Json;
  /** Claims the pod mounts. */
  readonly claims: readonly string[];
}

const claimsOf = (spec: Json): string[] => ((spec['volumes'] ?? []) as Json[]).flatMap((v) => (v['persistentVolumeClaim'] ? [v['persistentVolumeClaim']['claimName'] as string] : []));

/** Every pod template of the objects. */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const owner = `${o.kind}/${o.metadata.name}`;
    const s = o['spec'] as Json | undefined;
    let spec: Json | undefined;
    if (o.kind === 'Pod') spec = s;
    else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) spec = s?.['template']?.['spec'];
    else if (o.kind === 'CronJob') spec = s?.['jobTemplate']?.['spec']?.['template']?.['spec'];
    if (spec) out.push({ owner, spec, claims: claimsOf(spec) });
    if (o.kind === 'DynamoGraphDeployment') {
      // The operator mounts `spec.pvcs` by name where a service lists them in `volumeMounts`.
      const pvcs = new Set(((s?.['pvcs'] ?? []) as Json[]).map((p) => p['name'] as string));
      for (const [name, svc] of Object.entries((s?.['services'] ?? {}) as Record<string, Json>)) {
        const mounted = ((svc['volumeMounts'] ?? []) as Json[]).map((m) => m['name'] as string).filter((n) => pvcs.has(n));
        const pod = (svc['extraPodSpec'] ?? {}) as Json;
        out.push({ owner: `${owner}/${name}`, spec: pod, claims: [...mounted, ...claimsOf(pod)] });
      }
    }
  }
  return out;
}

/** Whether the scheduler may place a pod with this spec on a node of the pool. */
export function canLand(spec: Json, pool: NodePoolModel): boolean {
  return placementProblem(spec, pool.labels, pool.taints) === undefined;
}
