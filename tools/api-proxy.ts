/**
 * HTTP into the cluster for the operations tools: one `kubectl proxy` on a free loopback port, and Service URLs
 * through the API server's service proxy (`/api/v1/namespaces/<ns>/services/<name>:<port>/proxy/...`, the path
 * `verify` asks Prometheus through).
 *
 * Why not `kubectl port-forward svc/...`: it resolves the Service to ONE pod when it starts and forwards to that pod
 * only, so it dies with that pod and never sees the other replicas (kubernetes/kubectl#686,
 * kubernetes-client/javascript#435). The service proxy picks a ready endpoint of the Service for every request
 * (k8s.io/apiserver pkg/util/proxy ResolveEndpoint: a random ready address, or 503 "no endpoints available for
 * service"), as a client inside the cluster would see it: exactly what a fault test must measure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { explainFailure, ToolError } from './kubectl.js';

export interface ApiProxy {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** Why the proxy ended while still in use, or undefined while it runs. */
  failure(): string | undefined;
  /** Ends the proxy (idempotent). */
  close(): void;
}

/** Starts an API proxy; the command takes the place of `kubectl proxy`. */
export type ApiProxyStarter = () => Promise<ApiProxy>;

/** The base URL of a Service port through the API server's service proxy. */
export const serviceProxyUrl = (api: string, namespace: string, service: string, port: string | number): string =>
  `${api}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;

const SERVING = /Starting to serve on (127\.0\.0\.1|localhost|\[::1\]):(\d+)/;

/**
 * `kubectl proxy --port=0` (a free port, printed as `Starting to serve on 127.0.0.1:<port>`), on loopback only.
 * A kubectl that ends or stays silent for `startTimeoutMs` is a ToolError with kubectl's reason.
 */
export function kubectlProxy(o: { command?: string; args?: readonly string[]; startTimeoutMs?: number } = {}): Promise<ApiProxy> {
  const command = o.command ?? 'kubectl';
  const args = o.args ?? ['proxy', '--port=0', '--address=127.0.0.1'];
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      reject(new ToolError(`cannot start ${command}: ${(e as Error).message}`));
      return;
    }
    let stdout = '';
    let stderr = '';
    let ended: string | undefined;
    let closing = false;
    let ready = false;
    const close = () => {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    const fail = (why: string) => {
      clearTimeout(timer);
      close();
      reject(new ToolError(why));
    };
    const timer = setTimeout(() => fail(`kubectl proxy did not start within ${(o.startTimeoutMs ?? 15_000) / 1000} s${stderr ? `: ${explainFailure(stderr)}` : ''}`), o.startTimeoutMs ?? 15_000);
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? 'kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster' : `kubectl proxy: ${e.message}`),
    );
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = SERVING.exec(stdout);
      if (!m || ready) return;
      ready = true;
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${m[2]}`, failure: () => ended, close });
    });
    child.on('exit', (code, signal) => {
      if (closing) return;
      const why = `kubectl proxy ended (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${explainFailure(stderr)}` : ''}`;
      if (ready) ended = why;
      else fail(why);
    });
  });
}
