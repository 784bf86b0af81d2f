/**
 * A fake Dynamo frontend behind a fake API-server service proxy, on 127.0.0.1, for `fault-test`: it answers only
 * under `/api/v1/namespaces/<ns>/services/<service>:http/proxy` (the path the tool must build from the operator's
 * naming), serves `GET /v1/models` and `POST /v1/chat/completions` as the 0.9.0 frontend does, and, once
 * `deleted()` is called (the recorded kubectl runner calls it when it sees the `delete pod`), fails requests for a
 * while on the test's clock: with the frontend's 503 JSON error, or by resetting the connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, timerSleep } from '../../tools/fault-load.js';

export interface FakeFault {
  /** How long after the delete requests fail, in seconds of the clock. 0: never. */
  readonly seconds: number;
  /** Fail only every n-th request of that period (a flapping graph). @default 1 (all) */
  readonly every?: number;
  /** @default 'http-503' */
  readonly how?: 'http-503' | 'reset';
}

export interface FakeFrontend {
  /** The API proxy's URL (what `kubectl proxy` would print). */
  readonly url: string;
  /** Starts the fault now. */
  deleted(): void;
  /** Chat requests seen, and paths that matched nothing. */
  readonly seen: { chats: number; strayPaths: string[]; badBodies: string[] };
  close(): Promise<void>;
}

/** A clock `factor` times faster than real time: `fault-test`'s real thresholds, in a fraction of the time. */
export const fastClock = (factor: number): Clock => ({
  now: () => performance.now() * factor,
  sleep: (ms, signal) => timerSleep(ms / factor, signal),
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

export async function fakeFrontend(o: { clock: Clock; namespace: string; service: string; model: string; fault: FakeFault; baselineFails?: boolean }): Promise<FakeFrontend> {
  const prefix = `/api/v1/namespaces/${o.namespace}/services/${o.service}:http/proxy`;
  const seen = { chats: 0, strayPaths: [] as string[], badBodies: [] as string[] };
  let deletedAt: number | undefined;
  let inFault = 0;
  const failing = (): boolean => {
    if (o.baselineFails) return true;
    if (deletedAt === undefined || o.clock.now() - deletedAt >= o.fault.seconds * 1000) return false;
    inFault++;
    return inFault % (o.fault.every ?? 1) === 0;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '';
      if (!path.startsWith(`${prefix}/`)) {
        seen.strayPaths.push(path);
        return json(res, 404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
      }
      const route = `${req.method} ${path.slice(prefix.length)}`;
      if (route === 'GET /v1/models') return json(res, 200, { object: 'list', data: [{ id: o.model, object: 'model', created: 1, owned_by: 'nvidia' }] });
      if (route !== 'POST /v1/chat/completions') {
        seen.strayPaths.push(path);
        return json(res, 404, { message: 'Not Found', type: 'Not Found', code: 404 });
      }
      seen.chats++;
      const request = JSON.parse(body) as { model?: string; max_tokens?: number; stream?: boolean; messages?: unknown[] };
      if (request.model !== o.model || !(request.max_tokens! <= 16) || request.stream !== false || !request.messages?.length) seen.badBodies.push(body);
      if (failing()) {
        if (o.fault.how === 'reset') return req.socket.destroy();
        return json(res, 503, { message: 'Service is not ready', type: 'Service Unavailable', code: 503 });
      }
      return json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', model: o.model, choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'length' }] });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deleted: () => {
      deletedAt = o.clock.now();
    },
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
