/**
 * The request stream of fault-test, with a fake `send` on a fast clock: pacing per client, the request budget, the
 * per-request timeout (a hung request becomes a `timeout` sample, on the clock), `stop` waiting for what is in
 * flight and `abort` dropping it.
 */
import { describe, expect, it } from 'vitest';
import { type Send, startLoad } from '../../tools/fault-load.js';
import { fastClock } from '../support/fake-frontend.js';

const clock = fastClock(100);
const instant: Send = async () => ({ ok: true });
/** Never answers until aborted (as fetch does with its signal). */
const hangs: Send = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));

describe('startLoad', () => {
  it('each client sends one request per interval: 2 clients over 10 s at 1 s send about 20', async () => {
    const load = startLoad(instant, { concurrency: 2, intervalMs: 1000, timeoutMs: 30_000, maxRequests: 1000 }, clock);
    await clock.sleep(10_000);
    await load.stop();
    expect(load.samples.length).toBeGreaterThanOrEqual(8);
    expect(load.samples.length).toBeLessThanOrEqual(22);
    expect(load.samples.every((s) => s.ok && s.end >= s.start)).toBe(true);
  });

  it('never sends more than maxRequests', async () => {
    const load = startLoad(instant, { concurrency: 4, intervalMs: 100, timeoutMs: 30_000, maxRequests: 7 }, clock);
    await clock.sleep(5_000);
    await load.stop();
    expect(load.samples).toHaveLength(7);
  });

  it('a hung request ends at the timeout as a failed `timeout` sample; stop waits for it', async () => {
    const load = startLoad(hangs, { concurrency: 1, intervalMs: 1000, timeoutMs: 5_000, maxRequests: 100 }, clock);
    await clock.sleep(100);
    await load.stop();
    expect(load.samples).toHaveLength(1);
    const [s] = load.samples;
    expect(s).toMatchObject({ ok: false, error: 'timeout' });
    expect(s!.end - s!.start).toBeGreaterThanOrEqual(4_900);
  });

  it('abort (Ctrl-C) drops the requests in flight at once', async () => {
    const load = startLoad(hangs, { concurrency: 3, intervalMs: 1000, timeoutMs: 300_000, maxRequests: 100 }, clock);
    await clock.sleep(100);
    const t0 = performance.now();
    await load.abort();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(load.samples).toEqual([]);
  });
});
