/**
 * The fault-tolerance SLA of seed 004 (health checks and alerting, "SLA监控"): after a pod of a graph fails, a
 * replicated (highly available) service keeps a success ratio of at least 99 % and recovers in under 60 s; a single
 * replica keeps at least 10 % and recovers in under 180 s. Upstream's fault tests (ai-dynamo/dynamo 0.9.0,
 * tests/fault_tolerance/deploy/checker_factory.py) call a deployment redundant when the service that loses a pod has
 * `replicas > 1`; we do the same. (Their HighAvailabilityResultsChecker accepts 90 %; the seed asks 99 %.)
 *
 * The measurement, precisely:
 * - a request counts by the moment it was sent, and succeeds when it answers HTTP 200 with at least one choice;
 * - the fault window runs from the moment the pod's deletion was accepted for as long as the recovery limit of the
 *   class (60 s or 180 s): the success ratio is the share of the requests of the window that succeeded, a request of
 *   the window being one sent inside it, or one in flight across the deletion (sent before, answered after);
 * - recovery: the first successful request of the final streak of successes (after the last failed request of the
 *   whole run, including the confirmation time after the window), confirmed by at least `confirm` requests in that
 *   streak. The recovery time is from the deletion to the sending of that request (0 when nothing failed); it passes
 *   when that request was sent before the limit. The run sends on after the window for the confirmation time
 *   (confirmSeconds), so the confirming successes need not fit inside the window, and a failure after the limit
 *   still ends the streak. Counting by send time means a request that hung from before the recovery until its
 *   timeout does not delay it, while a failure that starts late (a router still sending to the lost pod) does.
 */
import type { Status } from './preflight.js';

export type SlaClass = 'ha' | 'single';

export interface Sla {
  readonly minSuccessRatio: number;
  readonly maxRecoverySeconds: number;
}

export const FAULT_SLA: Readonly<Record<SlaClass, Sla>> = {
  ha: { minSuccessRatio: 0.99, maxRecoverySeconds: 60 },
  single: { minSuccessRatio: 0.1, maxRecoverySeconds: 180 },
};

/** Highly available when the service that loses a pod has another replica. */
export const slaClass = (replicas: number): SlaClass => (replicas > 1 ? 'ha' : 'single');

export const SLA_CLASS_NAMES: Readonly<Record<SlaClass, string>> = { ha: 'replicated (HA)', single: 'single replica' };

/** One request: when it was sent and answered (milliseconds on the run's clock), and why it failed. */
export interface Sample {
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  /** `HTTP 503`, `timeout`, `connection refused`, ... */
  readonly error?: string;
}

export interface WindowMeasurement {
  readonly sent: number;
  readonly succeeded: number;
  /** succeeded / sent; 0 when nothing was sent. */
  readonly successRatio: number;
  /** Seconds from the deletion to the first request of the confirmed final streak; undefined: no such streak. */
  readonly recoverySeconds: number | undefined;
  /** Failed requests of the window by reason, most frequent first. */
  readonly failures: readonly { readonly reason: string; readonly count: number }[];
}

/** Seconds of requests after the window that can confirm a recovery at its very end: `confirm` requests of `concurrency` clients, one per `intervalSeconds` each. */
export const confirmSeconds = (confirm: number, concurrency: number, intervalSeconds: number): number => Math.ceil(confirm / concurrency) * intervalSeconds;

/** The window's numbers from every sample of the run. `deletedAt` and `windowMs` (the recovery limit) on the samples' clock. */
export function measureWindow(samples: readonly Sample[], deletedAt: number, windowMs: number, confirm: number): WindowMeasurement {
  const acrossDelete = (s: Sample) => s.start < deletedAt && s.end > deletedAt;
  const inWindow = samples.filter((s) => acrossDelete(s) || (s.start >= deletedAt && s.start < deletedAt + windowMs));
  const succeeded = inWindow.filter((s) => s.ok).length;
  const afterDelete = samples.filter((s) => acrossDelete(s) || s.start >= deletedAt).sort((a, b) => a.start - b.start);
  const lastFailure = afterDelete.map((s) => s.ok).lastIndexOf(false);
  const streak = afterDelete.slice(lastFailure + 1);
  const recoverySeconds = streak.length >= confirm ? (lastFailure < 0 ? 0 : Math.max(0, streak[0]!.start - deletedAt) / 1000) : undefined;
  return { sent: inWindow.length, succeeded, successRatio: inWindow.length ? succeeded / inWindow.length : 0, recoverySeconds, failures: failureReasons(inWindow) };
}

/** Failed samples by reason, most frequent first. */
export function failureReasons(samples: readonly Sample[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const s of samples) if (!s.ok) counts.set(s.error ?? 'failed', (counts.get(s.error ?? 'failed') ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export interface SlaCheck {
  readonly name: 'success ratio' | 'recovery time';
  readonly status: Extract<Status, 'PASS' | 'FAIL'>;
  readonly measured: string;
  readonly sla: string;
}

const percent = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** The two rows of the verdict: success ratio (at least the minimum) and recovery time (strictly under the limit). */
export function judge(m: WindowMeasurement, sla: Sla): SlaCheck[] {
  const ratioOk = m.sent > 0 && m.successRatio >= sla.minSuccessRatio;
  const recoveryOk = m.recoverySeconds !== undefined && m.recoverySeconds < sla.maxRecoverySeconds;
  return [
    { name: 'success ratio', status: ratioOk ? 'PASS' : 'FAIL', measured: `${m.succeeded} of ${m.sent} (${percent(m.successRatio)})`, sla: `>= ${sla.minSuccessRatio * 100} %` },
    {
      name: 'recovery time',
      status: recoveryOk ? 'PASS' : 'FAIL',
      measured: m.recoverySeconds === undefined ? `not recovered within ${sla.maxRecoverySeconds} s` : `${m.recoverySeconds.toFixed(1)} s`,
      sla: `< ${sla.maxRecoverySeconds} s`,
    },
  ];
}
