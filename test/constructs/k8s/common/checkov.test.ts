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

  it('no emitted object skips a Pod Security check (privileged, escalation, root, capabilities, host namespaces)', () => {
    // These are never accepted: an object that needs one must change, not be annotated.
    const never = new Set(['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'CKV_K8S_22']);
    for (const spec of Object.values(specsFrom())) {
      for (const o of synthSpec(spec).objects) {
        for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) {
          if (k.startsWith('checkov.io/skip')) expect(never.has(v.split('=')[0]!), `${o.kind}/${o.metadata.name}: ${v}`).toBe(false);
        }
      }
    }
  });
});
