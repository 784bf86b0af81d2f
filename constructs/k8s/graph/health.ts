/**
 * Health of a graph, as Dynamo serves it: the frontend answers `/live` and `/health` on its HTTP port (8000); a
 * worker answers the same paths on its system port (`DYN_SYSTEM_PORT`, 9090 as the operator sets it and names the
 * container port `system`; we keep the operator's port and probe it by that name), where
 * `/health` turns ready only when the worker's `generate` endpoint is served.
 *
 * We set every probe explicitly (the operator's defaults are replaced, not merged): a liveness probe that tolerates a
 * busy engine, a readiness probe, and on workers a startup probe whose budget covers downloading and loading a large
 * model. The canary health check (`DYN_HEALTH_CHECK_*`) sends a minimal request to an idle worker so that a hung
 * engine shows up in `/health`; the operator turns it off by default, a graph can turn it on.
 */
import type { DgdEnv, DgdProbe } from './dgd-types.js';

export const FRONTEND_HTTP_PORT = 8000;
export const WORKER_SYSTEM_PORT = 9090;
export const PLANNER_METRICS_PORT = 9085;
/** Port names the operator gives the containers it builds. */
export const PORT_NAMES = { frontend: 'http', worker: 'system', planner: 'metrics' } as const;

/** Upstream's startup budget for workers (720 checks, 10 s apart): enough for a large model download and load. */
export const DEFAULT_STARTUP_BUDGET_SECONDS = 7200;

export interface CanaryProps {
  /** `DYN_HEALTH_CHECK_ENABLED`. @default false (the operator's default) */
  readonly enabled?: boolean;
  /** `DYN_CANARY_WAIT_TIME`: idle seconds before a canary request. @default 10 */
  readonly waitSeconds?: number;
  /** `DYN_HEALTH_CHECK_REQUEST_TIMEOUT`: seconds a canary request may take. @default 3 */
  readonly requestTimeoutSeconds?: number;
}

/** Timing of one probe; each field falls back to the service's default. */
export interface ProbeTiming {
  /** Seconds between checks. @default 10 */
  readonly periodSeconds?: number;
  /** Seconds one check may take. @default 3 on the frontend, 4 on workers */
  readonly timeoutSeconds?: number;
  /** Failed checks in a row before the kubelet acts (restart or unready). @default 3 */
  readonly failureThreshold?: number;
}

export interface HealthProps {
  /** Seconds a worker may take from start to live (download and load of the model). @default 7200 */
  readonly startupBudgetSeconds?: number;
  readonly canary?: CanaryProps;
  /** Liveness probe timing of the frontend and the workers. @default - the service's defaults */
  readonly liveness?: ProbeTiming;
  /** Readiness probe timing of the frontend and the workers. @default - the service's defaults */
  readonly readiness?: ProbeTiming;
}

const STARTUP_PERIOD = 10;

/** Today's timings: the frontend answers fast (3 s); a worker's system port shares a busy process (4 s). */
const FRONTEND_TIMING = { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 } as const;
const WORKER_TIMING = { periodSeconds: 10, timeoutSeconds: 4, failureThreshold: 3 } as const;

const http = (path: string, port: string, t: Required<ProbeTiming>, initialDelaySeconds?: number): DgdProbe => ({
  httpGet: { path, port },
  ...(initialDelaySeconds !== undefined && { initialDelaySeconds }),
  periodSeconds: t.periodSeconds,
  timeoutSeconds: t.timeoutSeconds,
  failureThreshold: t.failureThreshold,
});

const timing = (base: Required<ProbeTiming>, over: ProbeTiming = {}): Required<ProbeTiming> => ({
  periodSeconds: over.periodSeconds ?? base.periodSeconds,
  timeoutSeconds: over.timeoutSeconds ?? base.timeoutSeconds,
  failureThreshold: over.failureThreshold ?? base.failureThreshold,
});

export interface ServiceProbes {
  readonly livenessProbe: DgdProbe;
  readonly readinessProbe: DgdProbe;
  readonly startupProbe?: DgdProbe;
}

/** The frontend starts in seconds; `/health` stays unready until a worker registers, which is what readiness means. */
export function frontendProbes(h: HealthProps = {}): ServiceProbes {
  return {
    livenessProbe: http('/live', PORT_NAMES.frontend, timing(FRONTEND_TIMING, h.liveness), 15),
    readinessProbe: http('/health', PORT_NAMES.frontend, timing(FRONTEND_TIMING, h.readiness), 10),
  };
}

/**
 * Worker probes. Liveness allows three missed checks (upstream allows one, which restarts a worker whose engine is
 * briefly saturated); the startup probe holds liveness off for the whole startup budget.
 */
export function workerProbes(h: HealthProps = {}): ServiceProbes {
  const budget = h.startupBudgetSeconds ?? DEFAULT_STARTUP_BUDGET_SECONDS;
  return {
    livenessProbe: http('/live', PORT_NAMES.worker, timing(WORKER_TIMING, h.liveness)),
    readinessProbe: http('/health', PORT_NAMES.worker, timing(WORKER_TIMING, h.readiness)),
    startupProbe: http('/live', PORT_NAMES.worker, { periodSeconds: STARTUP_PERIOD, timeoutSeconds: 5, failureThreshold: Math.ceil(budget / STARTUP_PERIOD) }),
  };
}

/** The canary variables of a worker: always explicit, so the graph shows what runs. */
export function canaryEnv(c: CanaryProps = {}): DgdEnv[] {
  const enabled = c.enabled ?? false;
  return [
    { name: 'DYN_HEALTH_CHECK_ENABLED', value: String(enabled) },
    ...(enabled
      ? [
          { name: 'DYN_CANARY_WAIT_TIME', value: String(c.waitSeconds ?? 10) },
          { name: 'DYN_HEALTH_CHECK_REQUEST_TIMEOUT', value: String(c.requestTimeoutSeconds ?? 3) },
        ]
      : []),
  ];
}

/** Problems with health settings (positive whole seconds). */
export function healthProblems(h: HealthProps, field: string): string[] {
  const out: string[] = [];
  const check = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) out.push(`${field}.${name}: must be a whole number of seconds, at least ${min}, got ${v}`);
  };
  check('startupBudgetSeconds', h.startupBudgetSeconds, 60);
  check('canary.waitSeconds', h.canary?.waitSeconds, 1);
  check('canary.requestTimeoutSeconds', h.canary?.requestTimeoutSeconds, 1);
  for (const probe of ['liveness', 'readiness'] as const) {
    const t = h[probe] ?? {};
    check(`${probe}.periodSeconds`, t.periodSeconds, 1);
    check(`${probe}.timeoutSeconds`, t.timeoutSeconds, 1);
    if (t.failureThreshold !== undefined && (!Number.isInteger(t.failureThreshold) || t.failureThreshold < 1)) {
      out.push(`${field}.${probe}.failureThreshold: must be a whole number, at least 1, got ${t.failureThreshold}`);
    }
    const period = t.periodSeconds ?? 10;
    if (t.timeoutSeconds !== undefined && t.timeoutSeconds > period) out.push(`${field}.${probe}.timeoutSeconds: a check must end before the next one starts (at most periodSeconds, ${period}), got ${t.timeoutSeconds}`);
  }
  return out;
}
