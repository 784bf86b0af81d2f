/**
 * Kubernetes version currency: a pinned minor past its cloud's end of standard support is a warning, from that day
 * on and not the day before; a minor without a recorded date is a warning too; the matrix pins, on the day the dates
 * were checked, minors that every cloud still supports, each with a date and a source.
 */
import { describe, expect, it } from 'vitest';
import { kubernetesSupportWarnings } from '../../spec/kubernetes-support.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { KUBERNETES_SUPPORT, supportRows, VERSIONS } from '../../spec/versions.js';
import { specsFrom } from '../support/synth.js';

const CHECKED = new Date('2026-11-30T00:00:00Z');
const day = (iso: string, offsetDays = 0) => new Date(Date.parse(`${iso}T00:00:00Z`) + offsetDays * 86_400_000);
const defaults = specsFrom();

describe('the version matrix pins supported minors', () => {
  it.each(CLOUD_TARGETS)('%s: the pinned minor has an end of standard support with its source, after the day it was checked', (cloud) => {
    const minor = VERSIONS.kubernetes[cloud];
    const end = (KUBERNETES_SUPPORT[cloud].endOfStandardSupport as Record<string, string>)[minor];
    expect(end, `${cloud} ${minor}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(day(end!).getTime()).toBeGreaterThan(CHECKED.getTime());
    expect(KUBERNETES_SUPPORT[cloud].source).toMatch(/^https:\/\//);
    expect(supportRows().find((r) => r.minor === minor && r.endOfStandardSupport === end)).toBeDefined();
  });

  it('the default specs of the clouds request the matrix minors', () => {
    for (const cloud of CLOUD_TARGETS) {
      const spec = defaults[cloud];
      expect(spec.target !== 'local' && spec.cluster.kubernetesVersion).toBe(VERSIONS.kubernetes[cloud]);
    }
  });
});

describe('synth warns when a pinned minor is past the end of standard support', () => {
  it('silent on the day the dates were checked', () => {
    expect(kubernetesSupportWarnings(defaults, CHECKED)).toEqual([]);
  });

  it.each(CLOUD_TARGETS)('%s: silent the day before the end of standard support, a warning naming minor, date and source from that day', (cloud) => {
    const minor = VERSIONS.kubernetes[cloud];
    const end = (KUBERNETES_SUPPORT[cloud].endOfStandardSupport as Record<string, string>)[minor]!;
    const mine = (now: Date) => kubernetesSupportWarnings({ [cloud]: defaults[cloud] }, now);
    expect(mine(day(end, -1))).toEqual([]);
    const [warning, ...rest] = mine(day(end));
    expect(rest).toEqual([]);
    expect(warning).toContain(`Kubernetes ${minor} (cluster.kubernetesVersion of target ${cloud}) is past the end of standard support (${end}, ${KUBERNETES_SUPPORT[cloud].source})`);
  });

  it('a spec pinning 1.33 on every cloud is past standard support everywhere on 2026-11-30', () => {
    const old = specsFrom('cluster: { kubernetesVersion: "1.33" }');
    expect(kubernetesSupportWarnings(old, CHECKED)).toHaveLength(3);
  });

  it('a minor without a recorded date is a warning, not silence', () => {
    const future = specsFrom('targets: { gke: { cluster: { kubernetesVersion: "1.39" } } }');
    expect(kubernetesSupportWarnings(future, CHECKED)).toEqual([expect.stringMatching(/^GKE Kubernetes 1\.39 .*: no end of standard support is recorded in spec\/versions\.ts; check https:/)]);
  });

  it('the local target has no cluster and no warning', () => {
    expect(kubernetesSupportWarnings({ local: defaults.local }, day('2099-01-01'))).toEqual([]);
  });
});
