/**
 * HTTP into one pod for the operations tools: `kubectl port-forward pod/<name> :<port>` on a free loopback port.
 *
 * Why a pod port-forward, not the API server's service proxy (`/api/v1/namespaces/<ns>/services/<svc>/proxy`):
 * the service proxy connects from the API server to the pod, and that traffic comes from wherever the control plane
 * reaches pods from (konnectivity-agent pods in kube-system on GKE and AKS, control-plane ENIs in the VPC on EKS, the
 * node on kind), which our default-deny NetworkPolicies in the workloads namespace drop. A port-forward is served by
 * the kubelet inside the pod's network namespace (kubelet streaming, CRI PortForward): NetworkPolicy never sees it.
 * It reaches one pod and ends with it (kubectl prints `lost connection to pod` and exits), which the caller handles
 * (fault-test's frontend link).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { explainFailure, KUBECTL_MISSING, ToolError } from './kubectl.js';

export interface PortForward {
  /** The pod it reaches. */
  readonly pod: string;
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** Why the forward ended while still in use, or undefined while it runs. */
  failure(): string | undefined;
  /** Ends the forward (idempotent). */
  close(): void;
}

/** Starts a forward to `port` of pod `pod` in `namespace`. */
export type PortForwardStarter = (namespace: string, pod: string, port: number) => Promise<PortForward>;

/** The arguments of the forward: a free local port (`:<port>`), loopback only. */
export const portForwardArgs = (namespace: string, pod: string, port: number): string[] => ['port-forward', '-n', namespace, `pod/${pod}`, `:${port}`, '--address', '127.0.0.1'];

/** kubectl's line once it listens (kubectl/pkg/cmd/portforward, client-go tools/portforward: `Forwarding from 127.0.0.1:<local> -> <remote>`). */
const FORWARDING = /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/;

export interface PortForwardOptions {
  /** @default 'kubectl' */
  readonly command?: string;
  /** Arguments before portForwardArgs (a stand-in program's script). @default none */
  readonly prefixArgs?: readonly string[];
  /** @default 15000 */
  readonly startTimeoutMs?: number;
}

/**
 * `kubectl port-forward`, resolved with the local URL once kubectl prints its `Forwarding from` line. A kubectl that
 * ends or stays silent for `startTimeoutMs` is a ToolError with kubectl's reason.
 */
export function kubectlPortForward(namespace: string, pod: string, port: number, o: PortForwardOptions = {}): Promise<PortForward> {
  const command = o.command ?? 'kubectl';
  const startTimeoutMs = o.startTimeoutMs ?? 15_000;
  const what = `kubectl port-forward pod/${pod}`;
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, [...(o.prefixArgs ?? []), ...portForwardArgs(namespace, pod, port)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    const timer = setTimeout(() => fail(`${what} did not start within ${startTimeoutMs / 1000} s${stderr ? `: ${explainFailure(stderr)}` : ''}`), startTimeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? KUBECTL_MISSING : `${what}: ${e.message}`),
    );
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      // Once ready, later output (`Handling connection for ...`) is not kept or searched.
      if (ready) return;
      stdout += d.toString();
      const m = FORWARDING.exec(stdout);
      if (!m) return;
      ready = true;
      clearTimeout(timer);
      resolve({ pod, url: `http://127.0.0.1:${m[1]}`, failure: () => ended, close });
    });
    child.on('exit', (code, signal) => {
      if (closing) return;
      const why = `${what} ended (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${explainFailure(stderr)}` : ''}`;
      if (ready) ended = why;
      else fail(why);
    });
  });
}
