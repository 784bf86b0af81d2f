/**
 * The steady stream of small requests of `fault-test`: `concurrency` clients, each sending one request, waiting for
 * its answer (at most `timeoutMs`), then sending the next one `intervalMs` after the previous was sent (at once when
 * the answer took longer). At most `maxRequests` in all. Every request becomes a Sample on the run's clock.
 *
 * The clock is injected: the real one for the command, a faster one for tests, so that a test can run a 180 s fault
 * window in a second against the seed's real thresholds.
 */
import type { Sample } from './fault-sla.js';

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleep on timers; ends early on abort. */
export function timerSleep(realMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, realMs));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: Clock = { now: () => performance.now(), sleep: timerSleep };

/** One request's outcome. */
export interface Outcome {
  readonly ok: boolean;
  readonly error?: string;
}
/** Sends one request; must honour `signal` (the timeout). */
export type Send = (signal: AbortSignal) => Promise<Outcome>;

export interface LoadOptions {
  readonly concurrency: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly maxRequests: number;
}

export interface Load {
  /** Every finished request so far, in the order they finished. */
  readonly samples: readonly Sample[];
  /** Stops sending; resolves when the requests in flight have finished (each within its timeout). */
  stop(): Promise<void>;
  /** Stops sending and aborts the requests in flight (Ctrl-C). */
  abort(): Promise<void>;
}

/** Starts the clients at once. */
export function startLoad(send: Send, o: LoadOptions, clock: Clock): Load {
  const samples: Sample[] = [];
  const stopped = new AbortController();
  const killed = new AbortController();
  let started = 0;

  async function one(): Promise<number> {
    const start = clock.now();
    started++;
    const timeout = new AbortController();
    const onKill = () => timeout.abort();
    killed.signal.addEventListener('abort', onKill, { once: true });
    const done = new AbortController();
    void clock.sleep(o.timeoutMs, done.signal).then(() => {
      if (!done.signal.aborted) timeout.abort();
    });
    let outcome: Outcome;
    try {
      outcome = await send(timeout.signal);
    } catch (e) {
      outcome = { ok: false, error: (e as Error).message };
    }
    done.abort();
    killed.signal.removeEventListener('abort', onKill);
    if (timeout.signal.aborted && !outcome.ok) outcome = { ok: false, error: 'timeout' };
    if (!killed.signal.aborted) samples.push({ start, end: clock.now(), ...outcome });
    return start;
  }

  async function client(): Promise<void> {
    while (!stopped.signal.aborted && started < o.maxRequests) {
      const start = await one();
      const wait = start + o.intervalMs - clock.now();
      if (wait > 0) await clock.sleep(wait, stopped.signal);
    }
  }

  const clients = Promise.all(Array.from({ length: o.concurrency }, () => client()));
  return {
    samples,
    async stop() {
      stopped.abort();
      await clients;
    },
    async abort() {
      stopped.abort();
      killed.abort();
      await clients;
    },
  };
}
