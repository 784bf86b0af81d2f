/**
 * Health of a graph, as Dynamo serves it: the frontend answers `/live` and `/health` on its HTTP port (8000); a
 * worker answers the same paths on its system port (`DYN_SYSTEM_PORT`, 9090 as the operator sets it), where
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

export interface HealthProps {
  /** Seconds a worker may take from start to live (download and load of the model). @default 7200 */
  readonly startupBudgetSeconds?: number;
  readonly canary?: CanaryProps;
}

const STARTUP_PERIOD = 10;

const http = (path: string, port: string, periodSeconds: number, timeoutSeconds: number, failureThreshold: number, initialDelaySeconds?: number): DgdProbe => ({
  httpGet: { path, port },
  ...(initialDelaySeconds !== undefined && { initialDelaySeconds }),
  periodSeconds,
  timeoutSeconds,
  failureThreshold,
});

export interface ServiceProbes {
  readonly livenessProbe: DgdProbe;
  readonly readinessProbe: DgdProbe;
  readonly startupProbe?: DgdProbe;
}

/** The frontend starts in seconds; `/health` stays unready until a worker registers, which is what readiness means. */
export function frontendProbes(): ServiceProbes {
  return {
    livenessProbe: http('/live', PORT_NAMES.frontend, 10, 3, 3, 15),
    readinessProbe: http('/health', PORT_NAMES.frontend, 10, 3, 3, 10),
  };
}

/**
 * Worker probes. Liveness allows three missed checks (upstream allows one, which restarts a worker whose engine is
 * briefly saturated); the startup probe holds liveness off for the whole startup budget.
 */
export function workerProbes(h: HealthProps = {}): ServiceProbes {
  const budget = h.startupBudgetSeconds ?? DEFAULT_STARTUP_BUDGET_SECONDS;
  return {
    livenessProbe: http('/live', PORT_NAMES.worker, 10, 4, 3),
    readinessProbe: http('/health', PORT_NAMES.worker, 10, 4, 3),
    startupProbe: http('/live', PORT_NAMES.worker, STARTUP_PERIOD, 5, Math.ceil(budget / STARTUP_PERIOD)),
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
  return out;
}
