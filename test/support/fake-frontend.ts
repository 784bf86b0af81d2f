/**
 * A fake Dynamo frontend pod on 127.0.0.1, for `fault-test`, and a stand-in `kubectl port-forward` that really
 * forwards to it. The frontend serves `GET /v1/models` and `POST /v1/chat/completions` at the root, as the 0.9.0
 * frontend does on its container port (a port-forward reaches the pod itself: any other path, such as the API
 * server's service proxy, is a stray path), and, once `deleted()` is called (the recorded kubectl runner calls it
 * when it sees the `delete pod`), fails requests for a while on the test's clock: with the frontend's 503 JSON error,
 * by resetting the connection, or by never answering.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, timerSleep } from '../../tools/fault-load.js';
import { kubectlPortForward, type PortForwardStarter } from '../../tools/port-forward.js';

export interface FakeFault {
  /** How long after the delete requests fail, in seconds of the clock. 0: never. */
  readonly seconds: number;
  /** Fail only the first n requests of that period (a short outage). @default all of them */
  readonly requests?: number;
  /** Fail only every n-th request of that period (a flapping graph). @default 1 (all) */
  readonly every?: number;
  /** @default 'http-503' */
  readonly how?: 'http-503' | 'reset' | 'hang';
}

export interface FakeFrontend {
  /** Where it listens (what a port-forward reaches). */
  readonly port: number;
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

export async function fakeFrontend(o: { clock: Clock; model: string; fault: FakeFault; baselineFails?: boolean; modelsHang?: boolean }): Promise<FakeFrontend> {
  const seen = { chats: 0, strayPaths: [] as string[], badBodies: [] as string[] };
  let deletedAt: number | undefined;
  let inFault = 0;
  const failing = (): boolean => {
    if (o.baselineFails) return true;
    if (deletedAt === undefined || o.clock.now() - deletedAt >= o.fault.seconds * 1000) return false;
    inFault++;
    if (o.fault.requests !== undefined && inFault > o.fault.requests) return false;
    return inFault % (o.fault.every ?? 1) === 0;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? '';
      const route = `${req.method} ${path}`;
      if (route === 'GET /v1/models' && o.modelsHang) return;
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
        if (o.fault.how === 'hang') return;
        return json(res, 503, { message: 'Service is not ready', type: 'Service Unavailable', code: 503 });
      }
      return json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', model: o.model, choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'length' }] });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
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

/**
 * The stand-in kubectl of port-forward: a node program taking kubectl's arguments that listens on a free loopback
 * port, prints kubectl's `Forwarding from 127.0.0.1:<port> -> <remote>` line and pipes every connection to the fake
 * frontend; once its pod is deleted (a marker file the recorded runner writes), it ends as kubectl does
 * (`lost connection to pod`), and it refuses to start for a deleted pod.
 */
const STAND_IN = `
import { createConnection, createServer } from 'node:net';
import { appendFileSync, existsSync } from 'node:fs';
const [dir, upstream, ...args] = process.argv.slice(2);
appendFileSync(dir + '/calls', JSON.stringify(args) + '\\n');
const pod = args[args.indexOf('port-forward') + 3].replace('pod/', '');
const remote = args.find((a) => a.startsWith(':')).slice(1);
const gone = () => existsSync(dir + '/deleted-' + pod);
if (gone()) { process.stderr.write('Error from server (NotFound): pods "' + pod + '" not found\\n'); process.exit(1); }
const sockets = new Set();
const server = createServer((c) => {
  const up = createConnection(Number(upstream), '127.0.0.1');
  sockets.add(c); sockets.add(up);
  c.pipe(up); up.pipe(c);
  c.on('error', () => up.destroy()); up.on('error', () => c.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write('Forwarding from 127.0.0.1:' + server.address().port + ' -> ' + remote + '\\n'));
setInterval(() => {
  if (!gone()) return;
  for (const s of sockets) s.destroy();
  process.stderr.write('E1130 portforward.go:413] an error occurred forwarding: lost connection to pod\\n');
  process.exit(1);
}, 5);
process.on('SIGTERM', () => process.exit(0));
`;

export interface StandInPortForward {
  readonly starter: PortForwardStarter;
  /** The kubectl arguments of every forward started. */
  calls(): string[][];
  /** The pod is gone: its forwards end. */
  deleted(pod: string): void;
}

/** Port-forwards that really reach `frontend`, through kubectlPortForward and the stand-in program. */
export function standInPortForward(frontend: FakeFrontend): StandInPortForward {
  const dir = mkdtempSync(join(tmpdir(), 'port-forward-'));
  const script = join(dir, 'kubectl.mjs');
  writeFileSync(script, STAND_IN);
  writeFileSync(join(dir, 'calls'), '');
  return {
    starter: (ns, pod, port) => kubectlPortForward(ns, pod, port, { command: process.execPath, prefixArgs: [script, dir, String(frontend.port)] }),
    calls: () => readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]),
    deleted: (pod) => {
      if (!existsSync(join(dir, `deleted-${pod}`))) appendFileSync(join(dir, `deleted-${pod}`), 'x');
    },
  };
}
