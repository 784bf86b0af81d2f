import { describe, expect, it } from 'vitest';
import { checkovSkipAnnotations } from '../../../../constructs/k8s/common/checkov.js';
import { specsFrom, synthSpec } from '../../../support/synth.js';

describe('checkov skip annotations', () => {
  it('numbers one annotation per check, as checkov reads them (<check>=<reason>)', () => {
    expect(checkovSkipAnnotations({ CKV_K8S_43: 'a reason of twenty chars', CKV_K8S_15: 'another reason, long enough' })).toEqual({
      'checkov.io/skip1': 'CKV_K8S_15=another reason, long enough',
      'checkov.io/skip2': 'CKV_K8S_43=a reason of twenty chars',
    });
  });

  it('rejects a reason checkov would cut at "=", a short one, and a non-Kubernetes id', () => {
    expect(() => checkovSkipAnnotations({ CKV_K8S_8: 'shows as up == 0 in Prometheus' })).toThrow(/without "="/);
    expect(() => checkovSkipAnnotations({ CKV_K8S_8: 'short' })).toThrow(/at least 20/);
    expect(() => checkovSkipAnnotations({ CKV_AWS_38: 'a reason of twenty chars' })).toThrow(/not a Kubernetes check id/);
  });

  it('no emitted object skips a Pod Security check (privileged, escalation, root, capabilities, host namespaces), but the GKE DCGM exporter in its own privileged namespace', () => {
    // These are never accepted: an object that needs one must change, not be annotated. The one exception needs the
    // GPUs' device nodes without requesting a GPU, which only a privileged container gets on GKE (dcgm-exporter.ts);
    // it is alone in a namespace whose Pod Security admits it, and every other namespace we create enforces more.
    const never = new Set(['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'CKV_K8S_22']);
    const exceptions = new Set(['gke DaemonSet/dcgm-exporter/nvidia-dcgm-exporter']);
    const seen = new Set<string>();
    for (const spec of Object.values(specsFrom())) {
      const objects = synthSpec(spec).objects;
      const privilegedNamespaces = objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged').map((o) => o.metadata.name);
      for (const o of objects) {
        const id = `${spec.target} ${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
        if (privilegedNamespaces.includes(o.metadata.namespace ?? '') && ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'].includes(o.kind)) expect(exceptions, `${id} runs in a privileged namespace`).toContain(id);
        for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) {
          if (!k.startsWith('checkov.io/skip') || !never.has(v.split('=')[0]!)) continue;
          expect(exceptions, `${id}: ${v}`).toContain(id);
          expect(privilegedNamespaces, `${id}: its namespace must be ours and enforce privileged`).toContain(o.metadata.namespace);
          seen.add(id);
        }
      }
    }
    expect([...seen]).toEqual([...exceptions]);
  });
});
