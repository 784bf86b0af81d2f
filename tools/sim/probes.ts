/**
 * Placement probes: the Dynamo operator that would turn each DynamoGraphDeployment into pods cannot be built here (its
 * module is refused by the Go module proxy, see versions.ts), so each service's pod is created from exactly what we
 * emit for it (extraPodMetadata, extraPodSpec with its main container, resources with `gpu` as `nvidia.com/gpu`,
 * the claims its volumeMounts name), one per replica and node. The real API server (Pod Security admission), the
 * real scheduler and the autoscaler model then judge them. What the operator adds on top is not in a probe.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PROBE_LABEL = 'sim.dynamo-iac.io/probe-of';

const RESOURCE_NAMES: Record<string, string> = { gpu: 'nvidia.com/gpu', cpu: 'cpu', memory: 'memory' };

function kubeResources(r: Json | undefined): Json {
  const conv = (m: Json | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => k !== 'custom').map(([k, v]) => [RESOURCE_NAMES[k] ?? k, String(v)]));
  const out: Json = {};
  if (r?.['requests']) out['requests'] = conv(r['requests']);
  if (r?.['limits']) out['limits'] = conv(r['limits']);
  return out;
}

const dns = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 50).replace(/-+$/, '');

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
      resources: kubeResources(svc['resources']),
      volumeMounts: [...((mainContainer['volumeMounts'] ?? []) as Json[]), ...claimMounts.map((m) => ({ name: m['name'], mountPath: m['mountPoint'] }))],
    };
    const volumes = [...((podSpec['volumes'] ?? []) as Json[]), ...claimMounts.map((m) => ({ name: m['name'], persistentVolumeClaim: { claimName: m['name'] } }))];
    const count = Number(svc['replicas'] ?? 1) * Number(svc['multinode']?.['nodeCount'] ?? 1);
    for (let i = 0; i < count; i++) {
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${dns(`${graph}-${service}`)}-probe-${i}`,
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
