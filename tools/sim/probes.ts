/**
 * Placement probes: the Dynamo operator that would turn each DynamoGraphDeployment into pods cannot be built here (its
 * module is refused by the Go module proxy, see versions.ts), so each service's pod is created from exactly what we
 * emit for it (extraPodMetadata, extraPodSpec with its main container, resources as the operator converts them,
 * the claims its volumeMounts name), one per replica and node; env and probes are left out (they do not decide
 * admission or placement). The real API server (Pod Security admission), the
 * real scheduler and the autoscaler model then judge them. What the operator adds on top is not in a probe.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PROBE_LABEL = 'sim.dynamo-iac.io/probe-of';

/**
 * The container resources the 0.9.0 operator makes of a service's `resources` (controller_common/resource.go
 * GetResourcesConfig): limits cpu, memory, gpu (as `gpuType` or `nvidia.com/gpu`) and every `custom` entry;
 * requests cpu, memory and `custom`, not gpu (the API server then sets an extended resource's request to its limit).
 * Resources on `mainContainer` win, as the operator's merge of the main container overrides.
 */
function kubeResources(r: Json | undefined, main: Json | undefined): Json {
  const limits: Json = {};
  const requests: Json = {};
  const l = r?.['limits'];
  const q = r?.['requests'];
  if (l?.['cpu']) limits['cpu'] = String(l['cpu']);
  if (l?.['memory']) limits['memory'] = String(l['memory']);
  if (l?.['gpu']) limits[l['gpuType'] || 'nvidia.com/gpu'] = String(l['gpu']);
  for (const [k, v] of Object.entries((l?.['custom'] ?? {}) as Json)) limits[k] = String(v);
  if (q?.['cpu']) requests['cpu'] = String(q['cpu']);
  if (q?.['memory']) requests['memory'] = String(q['memory']);
  for (const [k, v] of Object.entries((q?.['custom'] ?? {}) as Json)) requests[k] = String(v);
  const out: Json = {};
  if (Object.keys(requests).length) out['requests'] = requests;
  if (Object.keys(limits).length) out['limits'] = limits;
  // The operator merges the main container over this, map by map (graph.go: mergo.Merge WithOverride).
  const m = (main?.['resources'] ?? {}) as Json;
  for (const k of ['requests', 'limits'] as const) if (m[k]) out[k] = { ...(out[k] ?? {}), ...m[k] };
  return out;
}

const dns = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 50).replace(/-+$/, '');

/** `<namespace>/<name prefix>` of a service's probes, as the report names pods. */
export const probePrefix = (dgd: Json, service: string): string => `${dgd['metadata']['namespace']}/${dns(`${dgd['metadata']['name']}-${service}`)}-probe-`;

/** The pods of every service of a DynamoGraphDeployment, as far as our manifest defines them. */
export function probesOf(dgd: Json): Json[] {
  const graph = dgd['metadata']['name'] as string;
  const namespace = dgd['metadata']['namespace'] as string;
  const pvcs = new Set(((dgd['spec']?.['pvcs'] ?? []) as Json[]).map((p) => p['name'] as string));
  const out: Json[] = [];
  for (const [service, svc] of Object.entries((dgd['spec']?.['services'] ?? {}) as Record<string, Json>)) {
    const { mainContainer = {}, ...podSpec } = (svc['extraPodSpec'] ?? {}) as Json;
    const claimMounts = ((svc['volumeMounts'] ?? []) as Json[]).filter((m) => pvcs.has(m['name']));
    const container: Json = {
      name: 'main',
      image: mainContainer['image'] ?? 'sim.invalid/none',
      ...(mainContainer['command'] ? { command: mainContainer['command'] } : {}),
      ...(mainContainer['args'] ? { args: mainContainer['args'] } : {}),
      ...(mainContainer['securityContext'] ? { securityContext: mainContainer['securityContext'] } : {}),
      resources: kubeResources(svc['resources'], mainContainer),
      volumeMounts: [...((mainContainer['volumeMounts'] ?? []) as Json[]), ...claimMounts.map((m) => ({ name: m['name'], mountPath: m['mountPoint'] }))],
    };
    const volumes = [...((podSpec['volumes'] ?? []) as Json[]), ...claimMounts.map((m) => ({ name: m['name'], persistentVolumeClaim: { claimName: m['name'] } }))];
    const count = Number(svc['replicas'] ?? 1) * Number(svc['multinode']?.['nodeCount'] ?? 1);
    for (let i = 0; i < count; i++) {
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${probePrefix(dgd, service).split('/')[1]}${i}`,
          namespace,
          labels: { ...((svc['extraPodMetadata']?.['labels'] ?? {}) as Json), [PROBE_LABEL]: dns(`${graph}.${service}`).replace(/-$/, '') },
          annotations: { 'sim.dynamo-iac.io/probe': `placement probe of ${graph}/${service}: our pod spec, without what the operator adds` },
        },
        spec: { ...podSpec, containers: [container], volumes },
      });
    }
  }
  return out;
}
