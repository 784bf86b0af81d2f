/**
 * No standing false alert on multinode graphs: the non-leader pods of a multinode worker (0.9.0: `ray start --block`
 * for vLLM, `sshd` for TRT-LLM; nothing on the system port) are not scraped. The worker PodMonitor's selector and
 * relabelings, and the plain prometheus.yml's worker job, are applied (as Prometheus does: source labels joined by
 * `;`, regex anchored) to the pods the operator and Grove or LeaderWorkerSet create for the multinode example: the
 * leader and every single-node worker are scraped, the other pods are not.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { podLabelMeta } from '../../../../constructs/k8s/observability/pod-label-meta.js';
import { byKind, type KubeObject, one, specsFrom, synthSpec } from '../../../support/synth.js';

interface Relabel { sourceLabels?: string[]; source_labels?: string[]; regex?: string; action?: string }
type Labels = Record<string, string>;

/** Whether Prometheus keeps a target with these pod labels after the keep/drop relabelings. */
function kept(pod: Labels, relabels: Relabel[]): boolean {
  // The target of the worker container's `system` port (the operator names it so).
  const meta: Labels = { ...Object.fromEntries(Object.entries(pod).map(([k, v]) => [podLabelMeta(k), v])), __meta_kubernetes_pod_container_port_name: 'system' };
  for (const r of relabels) {
    if (r.action !== 'keep' && r.action !== 'drop') continue;
    const value = (r.sourceLabels ?? r.source_labels ?? []).map((l) => meta[l] ?? '').join(';');
    const match = new RegExp(`^(?:${r.regex ?? '(.*)'})$`).test(value);
    if ((r.action === 'keep') !== match) return false;
  }
  return true;
}

interface Service { componentType?: string; extraPodMetadata?: { labels?: Labels }; multinode?: { nodeCount: number } }
const GRAPH = `graphs:\n  mn: { example: vllm-disagg-mn }\n  one: { example: trtllm-agg }\ntargets: { local: { platform: { grove: { enabled: true } } } }\n`;

/** The worker pods of one graph replica as the operator creates them: Grove cliques `<...>-<service>-ldr|wkr`, or LWS. */
function workerPods(dgds: KubeObject[], path: 'grove' | 'lws'): { name: string; labels: Labels; leader: boolean }[] {
  return dgds.flatMap((d) =>
    Object.entries((d as unknown as { spec: { services: Record<string, Service> } }).spec.services)
      .filter(([, s]) => s.componentType !== 'frontend' && s.componentType !== 'planner')
      .flatMap(([name, s]) => {
        const base = { ...(s.extraPodMetadata?.labels ?? {}) };
        const svc = name.toLowerCase();
        if (!s.multinode) return [{ name: svc, labels: { ...base, 'grove.io/podclique': `${d.metadata.name}-0-${svc}` }, leader: true }];
        return Array.from({ length: s.multinode.nodeCount }, (_, i) => ({
          name: `${svc}-${i}`,
          leader: i === 0,
          labels: path === 'grove'
            ? { ...base, 'grove.io/podclique': `${d.metadata.name}-0-${svc}-0-${svc}-${i === 0 ? 'ldr' : 'wkr'}` }
            : { ...base, 'leaderworkerset.sigs.k8s.io/worker-index': String(i) },
        }));
      }),
  );
}

describe('multinode graphs: only leaders are scraped on the system port', () => {
  const objects = synthSpec(specsFrom(GRAPH).eks).objects;
  const dgds = byKind(objects, 'DynamoGraphDeployment');
  const monitor = one(objects, 'PodMonitor', 'dynamo-worker') as unknown as { spec: { selector: { matchLabels: Labels }; podMetricsEndpoints: { relabelings: Relabel[] }[] } };
  const selected = (l: Labels) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => l[k] === v);
  const local = synthSpec(specsFrom(GRAPH).local).objects;
  const jobs = (parse((one(local, 'ConfigMap', 'dynamo-prometheus-config') as unknown as { data: Record<string, string> }).data['prometheus.yml']!) as { scrape_configs: { job_name: string; relabel_configs: Relabel[] }[] }).scrape_configs;
  const workerJob = jobs.find((j) => j.job_name === 'dynamo-worker')!;

  for (const path of ['grove', 'lws'] as const) {
    it(`${path}: the PodMonitor and the plain job scrape leaders and single-node workers, not the other pods`, () => {
      const pods = workerPods(dgds, path);
      expect(pods.filter((p) => !p.leader).length).toBeGreaterThan(0);
      for (const p of pods) {
        expect(selected(p.labels), `${p.name} selected`).toBe(true);
        expect(kept(p.labels, monitor.spec.podMetricsEndpoints[0]!.relabelings), `PodMonitor keeps ${p.name}`).toBe(p.leader);
        // The plain job also keeps by the named port; the pod has it (same container).
        expect(kept(p.labels, workerJob.relabel_configs), `prometheus.yml keeps ${p.name}`).toBe(p.leader);
      }
    });
  }

  it('the non-leader pattern is anchored to Grove\'s naming: a single-node clique with digits in the graph name is kept', () => {
    const drops = (clique: string) => !kept({ 'grove.io/podclique': clique }, monitor.spec.podMetricsEndpoints[0]!.relabelings);
    expect(drops('llama-3-70b-0-worker-0-worker-wkr')).toBe(true);
    expect(drops('llama-3-70b-0-worker-0-worker-ldr')).toBe(false);
    expect(drops('llama-3-70b-0-vllmdecodeworker')).toBe(false);
    expect(drops('g-0-decode-wkr')).toBe(false);
  });
});
