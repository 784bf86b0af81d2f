/**
 * The SLA arithmetic of fault-test on hand-made timelines: the seed's thresholds and classes; which requests the
 * fault window counts; recovery by send time (a hung request does not delay it, a late failure does, and it must be
 * confirmed); the boundaries (>= for the ratio, strictly < for the recovery).
 */
import { describe, expect, it } from 'vitest';
import { confirmSeconds, FAULT_SLA, judge, measureWindow, type Sample, slaClass } from '../../tools/fault-sla.js';

const S = 1000;
/** One request per `every` ms from `from` to `to` (exclusive), ok or failing, answered after `took` ms. */
const series = (from: number, to: number, ok: boolean, o: { every?: number; took?: number; error?: string } = {}): Sample[] => {
  const out: Sample[] = [];
  for (let t = from; t < to; t += o.every ?? 250) out.push({ start: t, end: t + (o.took ?? 50), ok, ...(!ok && { error: o.error ?? 'HTTP 503' }) });
  return out;
};
const DELETE = 100 * S;

describe('the seed SLA', () => {
  it('HA: >= 99 % and < 60 s; single replica: >= 10 % and < 180 s; HA means 2 or more replicas of the service that lost a pod', () => {
    expect(FAULT_SLA).toEqual({ ha: { minSuccessRatio: 0.99, maxRecoverySeconds: 60 }, single: { minSuccessRatio: 0.1, maxRecoverySeconds: 180 } });
    expect([0, 1, 2, 5].map(slaClass)).toEqual(['single', 'single', 'ha', 'ha']);
  });
});

describe('measureWindow', () => {
  it('the ratio counts only requests sent inside [delete, delete + window); no failure is a recovery of 0 s', () => {
    const samples = [...series(90 * S, DELETE, false), ...series(DELETE, DELETE + 60 * S, true), ...series(DELETE + 60 * S, DELETE + 70 * S, true)];
    const m = measureWindow(samples, DELETE, 60 * S, 10);
    expect(m).toEqual({ sent: 240, succeeded: 240, successRatio: 1, recoverySeconds: 0, failures: [] });
  });

  it('a request in flight across the delete (sent before, answered after) counts in the window', () => {
    const across: Sample = { start: DELETE - 1 * S, end: DELETE + 2 * S, ok: false, error: 'connection reset' };
    const finishedBefore: Sample = { start: DELETE - 2 * S, end: DELETE - 1, ok: false, error: 'HTTP 503' };
    const m = measureWindow([finishedBefore, across, ...series(DELETE, DELETE + 60 * S, true)], DELETE, 60 * S, 10);
    expect(m.sent).toBe(241);
    expect(m.failures).toEqual([{ reason: 'connection reset', count: 1 }]);
    expect(m.recoverySeconds).toBe(0);
  });

  it('a failure after the limit (while confirming) ends the streak: not recovered before the limit', () => {
    const samples = [...series(DELETE, DELETE + 60 * S, true), ...series(DELETE + 61 * S, DELETE + 62 * S, false), ...series(DELETE + 62 * S, DELETE + 70 * S, true)];
    const m = measureWindow(samples, DELETE, 60 * S, 10);
    expect(m.successRatio).toBe(1);
    expect(m.recoverySeconds).toBe(62);
    expect(judge(m, FAULT_SLA.ha).map((c) => c.status)).toEqual(['PASS', 'FAIL']);
  });

  it('an outage: recovery is the send time of the first success after the last failure; failures by reason, most first', () => {
    const samples = [...series(DELETE, DELETE + 20 * S, false), ...series(DELETE + 20 * S, DELETE + 21 * S, false, { error: 'timeout' }), ...series(DELETE + 21 * S, DELETE + 180 * S, true)];
    const m = measureWindow(samples, DELETE, 180 * S, 10);
    expect(m.recoverySeconds).toBe(21);
    expect(m.sent).toBe(720);
    expect(m.succeeded).toBe(636);
    expect(m.failures).toEqual([{ reason: 'HTTP 503', count: 80 }, { reason: 'timeout', count: 4 }]);
  });

  it('a request that hung from before the recovery until its timeout does not delay it', () => {
    const hung: Sample = { start: DELETE + 1 * S, end: DELETE + 31 * S, ok: false, error: 'timeout' };
    const samples = [...series(DELETE, DELETE + 1 * S, false), hung, ...series(DELETE + 2 * S, DELETE + 60 * S, true)];
    expect(measureWindow(samples, DELETE, 60 * S, 10).recoverySeconds).toBe(2);
  });

  it('failures that start late (a router still sending to the lost pod) move the recovery past them', () => {
    const samples = [...series(DELETE, DELETE + 5 * S, true), ...series(DELETE + 5 * S, DELETE + 8 * S, false), ...series(DELETE + 8 * S, DELETE + 60 * S, true)];
    expect(measureWindow(samples, DELETE, 60 * S, 10).recoverySeconds).toBe(8);
  });

  it('recovery must be confirmed by `confirm` successes in a row; they may be sent after the limit, the first before it', () => {
    const samples = [...series(DELETE, DELETE + 59 * S, false), ...series(DELETE + 59 * S, DELETE + 62 * S, true)];
    // 4 successes sent in the last second of the window and 8 after it: confirm 12 is reached, 13 is not.
    expect(measureWindow(samples, DELETE, 60 * S, 12).recoverySeconds).toBe(59);
    expect(judge(measureWindow(samples, DELETE, 60 * S, 12), FAULT_SLA.ha)[1]!.status).toBe('PASS');
    expect(measureWindow(samples, DELETE, 60 * S, 13).recoverySeconds).toBeUndefined();
    // Flapping to the end: never recovered.
    const flapping = series(DELETE, DELETE + 60 * S, true).map((s, i) => (i % 2 ? { ...s, ok: false, error: 'HTTP 404' } : s));
    expect(measureWindow(flapping, DELETE, 60 * S, 1).recoverySeconds).toBeUndefined();
  });

  it('the confirmation time: enough requests of the clients after the limit to confirm a recovery at its very end', () => {
    expect(confirmSeconds(10, 4, 1)).toBe(3);
    expect(confirmSeconds(10, 1, 0.5)).toBe(5);
    for (const [confirm, concurrency, interval] of [[10, 4, 1], [7, 3, 2], [1, 64, 0.1]] as const) expect(concurrency * (confirmSeconds(confirm, concurrency, interval) / interval)).toBeGreaterThanOrEqual(confirm);
  });
});

describe('judge', () => {
  const m = (successRatio: number, recoverySeconds: number | undefined, sent = 100) => ({ sent, succeeded: Math.round(successRatio * sent), successRatio, recoverySeconds, failures: [] });
  const statuses = (x: ReturnType<typeof m>, sla = FAULT_SLA.ha) => judge(x, sla).map((c) => c.status);

  it('the ratio passes at the minimum; the recovery fails at the limit', () => {
    expect(statuses(m(0.99, 59.9))).toEqual(['PASS', 'PASS']);
    expect(statuses(m(0.9899, 59.9, 10_000))).toEqual(['FAIL', 'PASS']);
    expect(statuses(m(1, 60))).toEqual(['PASS', 'FAIL']);
    expect(statuses(m(0.1, 179.9), FAULT_SLA.single)).toEqual(['PASS', 'PASS']);
    expect(statuses(m(0.5, 180), FAULT_SLA.single)).toEqual(['PASS', 'FAIL']);
  });

  it('nothing sent, or not recovered, fails; the rows say what was measured against what', () => {
    expect(statuses(m(0, 0, 0))).toEqual(['FAIL', 'PASS']);
    expect(judge(m(0.5, undefined, 200), FAULT_SLA.single)).toEqual([
      { name: 'success ratio', status: 'PASS', measured: '100 of 200 (50.00 %)', sla: '>= 10 %' },
      { name: 'recovery time', status: 'FAIL', measured: 'not recovered within 180 s', sla: '< 180 s' },
    ]);
  });
});
