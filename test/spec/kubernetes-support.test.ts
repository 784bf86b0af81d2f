/**
 * Kubernetes version currency: a pinned minor is a warning from SUPPORT_WARNING_DAYS (60) before its cloud's end of
 * standard support, saying how many days are left, and not a day earlier; past the date it says so; on EKS with
 * standard support the warning says that EKS upgrades by itself and the pinned minor must follow; a minor without a recorded date is a warning too; the matrix pins, on the day the dates
 * were checked, minors that every cloud still supports, each with a date and a source.
 */
import { describe, expect, it } from 'vitest';
import { kubernetesSupportWarnings, SUPPORT_WARNING_DAYS } from '../../spec/kubernetes-support.js';
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

  it.each(CLOUD_TARGETS)('%s: silent until 60 days before the end of standard support, then the days left, then past it from that day', (cloud) => {
    const minor = VERSIONS.kubernetes[cloud];
    const end = (KUBERNETES_SUPPORT[cloud].endOfStandardSupport as Record<string, string>)[minor]!;
    const mine = (now: Date) => kubernetesSupportWarnings({ [cloud]: defaults[cloud] }, now);
    const where = `Kubernetes ${minor} (cluster.kubernetesVersion of target ${cloud})`;
    expect(SUPPORT_WARNING_DAYS).toBe(60);
    expect(mine(day(end, -61))).toEqual([]);
    expect(mine(day(end, -60))).toEqual([expect.stringContaining(`${where}: 60 days left until the end of standard support (${end}, ${KUBERNETES_SUPPORT[cloud].source})`)]);
    // Mid-day counts the day begun: 12 hours before the date is still 1 day left.
    expect(mine(new Date(day(end).getTime() - 12 * 3_600_000))).toEqual([expect.stringContaining(`${where}: 1 day left`)]);
    const [warning, ...rest] = mine(day(end));
    expect(rest).toEqual([]);
    expect(warning).toContain(`${where} is past the end of standard support (${end}, ${KUBERNETES_SUPPORT[cloud].source})`);
  });

  it('EKS with standard support: the warning says EKS upgrades by itself and the next plan would try a downgrade; extended support does not', () => {
    const end = KUBERNETES_SUPPORT.eks.endOfStandardSupport[VERSIONS.kubernetes.eks];
    const standard = kubernetesSupportWarnings({ eks: defaults.eks }, day(end, -30));
    expect(standard).toEqual([expect.stringMatching(/30 days left.*EKS upgrades the control plane to the next minor at that date.*downgrade.*set cluster\.kubernetesVersion to the next minor/)]);
    const extended = specsFrom('targets: { eks: { cluster: { kubernetesSupport: extended } } }').eks;
    const [w] = kubernetesSupportWarnings({ eks: extended }, day(end, -30));
    expect(w).toMatch(/30 days left/);
    expect(w).not.toMatch(/downgrade/);
    for (const cloud of ['aks', 'gke'] as const) {
      const other = KUBERNETES_SUPPORT[cloud].endOfStandardSupport[VERSIONS.kubernetes[cloud]];
      expect(kubernetesSupportWarnings({ [cloud]: defaults[cloud] }, day(other, -30)).join()).not.toMatch(/downgrade/);
    }
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
