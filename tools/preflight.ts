/**
 * `dynamo-iac preflight`: is the current kubectl context ready for a target's manifests? The seeds' four checks
 * (connectivity; exactly one default StorageClass; GPU nodes labelled `nvidia.com/gpu.present=true`; GPU Operator
 * pods running) and three from the spec (the storage classes our manifests name exist or come with them; the pinned
 * Dynamo CRDs are installed; the KAI queues exist when KAI is on), and on EKS the node autoscaler (cluster-autoscaler
 * or Karpenter) that scales the GPU pools from zero. PASS, WARN or FAIL each, with a hint.
 */
import { nodeAutoscalerPrerequisite } from '../charts/prerequisites.js';
import { cloudProfile } from '../spec/profile/index.js';
import type { Spec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { type Kube, ToolError } from './kubectl.js';
import { table } from './report.js';

export type Status = 'PASS' | 'WARN' | 'FAIL';

export interface Check {
  readonly name: string;
  readonly status: Status;
  readonly detail: string;
  /** What to do, for WARN and FAIL. */
  readonly hint?: string;
}

interface Named {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}
interface PodJson extends Named {
  status?: { phase?: string; containerStatuses?: { ready: boolean }[] };
}

export const DYNAMO_CRDS = ['dynamographdeployments.nvidia.com', 'dynamographdeploymentrequests.nvidia.com', 'dynamocomponentdeployments.nvidia.com'] as const;

/** The storage classes a target's manifests name, and which of them the manifests (or the deploy path) create. */
export interface StorageNeeds {
  readonly named: readonly string[];
  readonly createdWithManifests: readonly string[];
  /** A claim of the manifests names no class, so it takes the cluster's default. */
  readonly usesDefault: boolean;
}

export function storageNeeds(spec: Spec, objects: readonly { kind: string; spec?: unknown; metadata: { name: string } }[]): StorageNeeds {
  const named = new Set<string>();
  let usesDefault = false;
  const claimClass = (c: string | undefined) => (c ? named.add(c) : (usesDefault = true));
  for (const o of objects) {
    const s = (o.spec ?? {}) as { storageClassName?: string; volumeClaimTemplates?: { spec: { storageClassName?: string } }[]; pvcs?: { create?: boolean; storageClass?: string }[] };
    if (o.kind === 'PersistentVolumeClaim') claimClass(s.storageClassName);
    for (const t of s.volumeClaimTemplates ?? []) claimClass(t.spec.storageClassName);
    if (o.kind === 'DynamoGraphDeployment') for (const p of s.pvcs ?? []) if (p.create) claimClass(p.storageClass);
  }
  const profile = cloudProfile(spec);
  const created = [profile.storage.block, profile.storage.modelCache, profile.storage.compilationCache].filter((c) => c && c.createdBy !== 'cluster').map((c) => c!.name);
  return { named: [...named].sort(), createdWithManifests: [...new Set(created)].sort(), usesDefault };
}

/** Running with every container ready. */
const podReady = (p: PodJson): boolean => p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.ready);

export function preflight(k: Kube, spec: Spec, storage: StorageNeeds): Check[] {
  const checks: Check[] = [];
  // 1. Connectivity: everything else depends on it, so a failure here ends the run.
  let nodes: (Named & { status?: unknown })[];
  try {
    nodes = k.get<Named>(['nodes'], 'connecting to the cluster')?.items ?? [];
  } catch (e) {
    if (e instanceof ToolError) return [{ name: 'cluster reachable', status: 'FAIL', detail: e.message, hint: 'fix the kubectl context, then run preflight again' }];
    throw e;
  }
  checks.push({ name: 'cluster reachable', status: 'PASS', detail: `${nodes.length} node${nodes.length === 1 ? '' : 's'}` });

  // 2. Exactly one default StorageClass, when a claim of ours relies on it (EKS 1.30 and later mark none).
  const classes = k.get<Named>(['storageclasses'], 'listing storage classes')?.items ?? [];
  const defaults = classes.filter((c) => (c.metadata.annotations ?? {})['storageclass.kubernetes.io/is-default-class'] === 'true').map((c) => c.metadata.name);
  checks.push(
    defaults.length === 1
      ? { name: 'default StorageClass', status: 'PASS', detail: defaults[0]! }
      : defaults.length === 0 && !storage.usesDefault
        ? { name: 'default StorageClass', status: 'PASS', detail: 'none, and every claim of these manifests names its class' }
      : defaults.length === 0
        ? { name: 'default StorageClass', status: 'FAIL', detail: 'none, and a claim of these manifests names no class', hint: 'mark one: kubectl patch storageclass <name> -p \'{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}\'' }
        : { name: 'default StorageClass', status: 'WARN', detail: `${defaults.length} defaults: ${defaults.join(', ')}`, hint: 'claims without a class get an arbitrary one of them: keep exactly one default' },
  );

  // 3. GPU nodes. Cloud GPU pools scale to zero, so none is a warning there and a failure on local clusters.
  const gpuNodes = nodes.filter((n) => (n.metadata.labels ?? {})['nvidia.com/gpu.present'] === 'true').map((n) => n.metadata.name);
  const cloud = spec.target !== 'local';
  checks.push(
    gpuNodes.length
      ? { name: 'GPU nodes labelled', status: 'PASS', detail: `${gpuNodes.length}: ${gpuNodes.slice(0, 5).join(', ')}${gpuNodes.length > 5 ? ', ...' : ''}` }
      : {
          name: 'GPU nodes labelled',
          status: cloud ? 'WARN' : 'FAIL',
          detail: 'no node has nvidia.com/gpu.present=true',
          hint: cloud ? 'GPU pools scale from zero: a node appears when a GPU pod is pending (on EKS, once the node autoscaler runs)' : 'install the NVIDIA GPU Operator (it labels GPU nodes through GPU feature discovery)',
        },
  );

  // 3b. EKS: the node autoscaler that brings GPU nodes up from zero (AKS and GKE scale their pools themselves).
  const autoscaler = spec.target === 'eks' ? nodeAutoscalerPrerequisite(spec) : undefined;
  if (autoscaler) {
    const pods = k.get<PodJson>(['pods', '-n', autoscaler.namespace, '-l', `app.kubernetes.io/instance=${autoscaler.release}`], `listing ${autoscaler.release} pods`)?.items ?? [];
    const notReady = pods.filter((p) => !podReady(p));
    checks.push(
      pods.length === 0
        ? { name: 'node autoscaler running', status: 'FAIL', detail: `no ${autoscaler.release} pods in ${autoscaler.namespace}`, hint: `GPU pools stay at zero without it: install ${autoscaler.chart.name} ${autoscaler.chart.version} (the deploy path, or the README's install commands)` }
        : notReady.length
          ? { name: 'node autoscaler running', status: 'FAIL', detail: `${notReady.length} of ${pods.length} pods not ready`, hint: `kubectl -n ${autoscaler.namespace} logs -l app.kubernetes.io/instance=${autoscaler.release}; an AccessDenied means its Pod Identity association is missing` }
          : { name: 'node autoscaler running', status: 'PASS', detail: `${autoscaler.release}: ${pods.length} pod${pods.length === 1 ? '' : 's'} ready` },
    );
  }

  // 4. GPU Operator pods (GKE runs its own driver and device plugin).
  if (spec.target === 'gke') {
    checks.push({ name: 'GPU Operator running', status: 'PASS', detail: 'not needed on GKE (managed drivers and device plugin)' });
  } else {
    const pods = k.get<PodJson>(['pods', '-n', 'gpu-operator'], 'listing GPU Operator pods')?.items ?? [];
    const bad = pods.filter((p) => !(p.status?.phase === 'Succeeded' || podReady(p)));
    checks.push(
      pods.length === 0
        ? { name: 'GPU Operator running', status: 'FAIL', detail: 'no pods in namespace gpu-operator', hint: 'install it (install step 1 of the README, or the cloud deploy path)' }
        : bad.length
          ? { name: 'GPU Operator running', status: 'FAIL', detail: `${bad.length} of ${pods.length} pods not ready: ${bad.map((p) => `${p.metadata.name} (${p.status?.phase ?? 'Unknown'})`).slice(0, 3).join(', ')}`, hint: 'kubectl -n gpu-operator describe pod <name>; a driver pod failing usually means a driver already on the node' }
          : { name: 'GPU Operator running', status: 'PASS', detail: `${pods.length} pods ready` },
    );
  }

  // 5. The storage classes our manifests name.
  const existing = new Set(classes.map((c) => c.metadata.name));
  const missing = storage.named.filter((n) => !existing.has(n));
  const comingWith = missing.filter((n) => storage.createdWithManifests.includes(n));
  const absent = missing.filter((n) => !storage.createdWithManifests.includes(n));
  checks.push(
    absent.length
      ? { name: 'storage classes of the manifests', status: 'FAIL', detail: `missing: ${absent.join(', ')}`, hint: 'create them, or set workloads.modelCache.storageClass to a class of this cluster' }
      : { name: 'storage classes of the manifests', status: 'PASS', detail: storage.named.length ? `${storage.named.join(', ')}${comingWith.length ? ` (${comingWith.join(', ')} created with the manifests)` : ''}` : 'the cluster default' },
  );

  // 6. The pinned Dynamo CRDs.
  const crds = k.get<Named>(['crds'], 'listing CRDs')?.items ?? [];
  const want = VERSIONS.dynamo.crdsChart.version;
  const found = DYNAMO_CRDS.map((n) => crds.find((c) => c.metadata.name === n));
  const absentCrds = DYNAMO_CRDS.filter((_, i) => !found[i]);
  const versions = [...new Set(found.filter(Boolean).map((c) => (c!.metadata.labels ?? {})['helm.sh/chart'] ?? 'unknown'))];
  checks.push(
    absentCrds.length
      ? { name: 'Dynamo CRDs', status: 'FAIL', detail: `missing: ${absentCrds.join(', ')}`, hint: `install the dynamo-crds chart ${want} (install step 1 of the README)` }
      : versions.length === 1 && versions[0] === `dynamo-crds-${want}`
        ? { name: 'Dynamo CRDs', status: 'PASS', detail: `dynamo-crds-${want}` }
        : { name: 'Dynamo CRDs', status: 'FAIL', detail: `installed: ${versions.join(', ')}; pinned: dynamo-crds-${want}`, hint: `upgrade: helm upgrade --install dynamo-crds ... dynamo-crds-${want}.tgz` },
  );

  // 7. KAI queues.
  if (spec.platform.kai.enabled) {
    const queues = k.get<Named>(['queues.scheduling.run.ai'], 'listing KAI queues');
    const names = new Set((queues?.items ?? []).map((q) => q.metadata.name));
    const wanted = Object.keys(spec.platform.kai.queues).sort();
    const lacking = wanted.filter((q) => !names.has(q));
    checks.push(
      queues === undefined
        ? { name: 'KAI queues', status: 'FAIL', detail: 'the KAI scheduler is not installed (no Queue API)', hint: 'install KAI (install step 1 of the README), then apply 35-kai-queues' }
        : lacking.length
          ? { name: 'KAI queues', status: 'FAIL', detail: `missing: ${lacking.join(', ')}`, hint: `kubectl apply -f dist/${spec.target}/35-kai-queues.k8s.yaml` }
          : { name: 'KAI queues', status: 'PASS', detail: wanted.join(', ') },
    );
  }
  return checks;
}

export const failed = (checks: readonly Check[]): boolean => checks.some((c) => c.status === 'FAIL');

export function renderChecks(checks: readonly Check[]): string {
  const hints = checks.filter((c) => c.hint).map((c) => `  ${c.status} ${c.name}: ${c.hint}`);
  return [table(['CHECK', 'STATUS', 'DETAIL'], checks.map((c) => [c.name, c.status, c.detail])), ...(hints.length ? ['', 'hints:', ...hints] : [])].join('\n');
}
