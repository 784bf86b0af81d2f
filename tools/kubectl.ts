/**
 * The one way the operations tools talk to a cluster: `kubectl`, behind an interface so tests inject recorded
 * `kubectl get ... -o json` output. Failures become a ToolError with a one-line hint (no stack traces): kubectl
 * missing, no current context, the cluster unreachable.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface KubectlResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with arguments and optional stdin. */
export type KubectlRunner = (args: readonly string[], input?: string) => KubectlResult;

/** An error meant for the user: one line, what happened and what to do. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** What a missing kubectl binary is told. */
export const KUBECTL_MISSING = 'kubectl not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster';

/** The real kubectl. A missing binary is a ToolError, not a spawn stack trace. */
export const systemKubectl: KubectlRunner = (args, input) => {
  const r = spawnSync('kubectl', [...args], { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ToolError(KUBECTL_MISSING);
  }
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

/** Runs kubectl without blocking the event loop (fault-test: its requests go on meanwhile). */
export type KubectlAsyncRunner = (args: readonly string[]) => Promise<KubectlResult>;

/** The real kubectl, asynchronously. A missing binary is a ToolError. */
export const systemKubectlAsync: KubectlAsyncRunner = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn('kubectl', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new ToolError(KUBECTL_MISSING) : e),
    );
    child.on('close', (code) => resolve({ ok: code === 0, stdout, stderr }));
  });

/** A synchronous runner (recorded answers) as an asynchronous one. */
export const asAsync = (runner: KubectlRunner): KubectlAsyncRunner => async (args) => runner(args);

/** Translates kubectl's typical failures into one actionable line. */
export function explainFailure(stderr: string): string {
  if (/current-context is not set|no configuration has been provided|localhost:8080/i.test(stderr)) {
    return 'no current kubectl context: run `kubectl config use-context <name>` or the cloud stack\'s kubeconfig_command output';
  }
  if (/connection refused|no such host|i\/o timeout|Unable to connect/i.test(stderr)) {
    const line = stderr.trim().split('\n').reverse().find((l) => /Unable to connect|refused|no such host|timeout/i.test(l)) ?? '';
    return `the cluster is unreachable (${line.replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] /, '').slice(0, 160)}): check the network, VPN, or the API server's allowed CIDRs`;
  }
  if (/forbidden/i.test(stderr)) return `access denied (${stderr.trim().split('\n')[0]}): your identity needs read access to the cluster`;
  return stderr.trim().split('\n')[0] ?? 'kubectl failed';
}

export interface KubeList<T> {
  readonly items: T[];
}

export interface Kube {
  /** `kubectl get <what> -o json` parsed; undefined when the resource type does not exist (e.g. a missing CRD). */
  get<T>(what: readonly string[], label: string): KubeList<T> | undefined;
  run(args: readonly string[], label: string, input?: string): KubectlResult;
}

/** A kubectl client that reports progress (to `progress`) and fails with one-line hints. */
export function kube(runner: KubectlRunner, progress: (line: string) => void = () => {}): Kube {
  const run = (args: readonly string[], label: string, input?: string): KubectlResult => {
    progress(`… ${label}`);
    return runner(args, input);
  };
  return {
    run,
    get<T>(what: readonly string[], label: string): KubeList<T> | undefined {
      const r = run(['get', ...what, '-o', 'json'], label);
      if (!r.ok) {
        if (/the server doesn't have a resource type|no matches for kind/i.test(r.stderr)) return undefined;
        throw new ToolError(explainFailure(r.stderr));
      }
      try {
        return JSON.parse(r.stdout) as KubeList<T>;
      } catch {
        throw new ToolError(`kubectl ${what.join(' ')} returned output that is not JSON`);
      }
    },
  };
}
