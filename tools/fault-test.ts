/**
 * `dynamo-iac fault-test <graph>`: the fault-tolerance SLA of seed 004, measured on the current kubectl context.
 *
 * 1. Finds the graph, its frontend Service and pods, and one ready pod of a worker service (`--delete frontend`: of
 *    the frontend); refuses a graph that is not healthy. The SLA class comes from that service's replicas.
 * 2. Port-forwards to a ready frontend pod that is not the one to delete (the only one with a single frontend
 *    replica; frontend-link.ts re-forwards to its replacement): not the API server's service proxy, whose traffic
 *    our default-deny NetworkPolicies drop (port-forward.ts); learns the model from `/v1/models` (or `--model`).
 * 3. Sends the steady stream (fault-load.ts) for `--warmup` seconds; any failure there ends the run before anything
 *    is deleted.
 * 4. Deletes the pod (`--grace-period=0 --force`, as upstream's fault tests do: a crash, not a drain; `--graceful`
 *    keeps the pod's grace period), asynchronously, and keeps sending for the SLA's recovery limit (the fault window)
 *    and the time `--confirm` requests take after it.
 * 5. Judges the run against the SLA (fault-sla.ts has the definitions) and prints a table or `--json`.
 * Exit 0: within the SLA; 2: outside it; 1: an error (bad input, unknown graph, no frontend, a sick graph, kubectl
 * or a port-forward failing, Ctrl-C), with a one-line message.
 */
import { parseArgs } from 'node:util';
import { SpecError } from '../spec/errors.js';
import { loadSpecs } from '../spec/load.js';
import { TARGETS, type Target } from '../spec/schema.js';
import { frontendLink } from './frontend-link.js';
import { kubectlPortForward, type PortForwardStarter } from './port-forward.js';
import { type Clock, type Load, type LoadOptions, startLoad, systemClock } from './fault-load.js';
import { confirmSeconds, FAULT_SLA, failureReasons, judge, measureWindow, type Sample, type Sla, SLA_CLASS_NAMES, type SlaCheck, type SlaClass, slaClass, type WindowMeasurement } from './fault-sla.js';
import { FAULT_KINDS, type FaultKind, type FaultTarget, findFaultTarget, graphPodsQuery, OPERATOR_FRONTEND_PORT, type PodJson, podsOfService } from './fault-target.js';
import { asAsync, explainFailure, kube, type Kube, type KubectlAsyncRunner, type KubectlRunner, systemKubectl, systemKubectlAsync, ToolError } from './kubectl.js';
import { chatProbe, listModels } from './openai-client.js';
import { table } from './report.js';
import { podReady } from './verify.js';

export const FAULT_TEST_USAGE =
  'usage: dynamo-iac fault-test GRAPH [--delete worker|frontend] [--service NAME] [--model NAME] [--concurrency 4] [--interval 1] [--timeout 30] [--warmup 10] [--confirm 10] [--max-requests 5000] [--graceful] [--target T] [--json]';

/** `fault-test --help`: the usage, each flag with its default and range, and what is measured. */
export function faultTestHelp(): string {
  const flags = Object.entries(FAULT_TEST_FLAGS).map(([name, f]) => `  --${name.padEnd(13)} ${f.unit}; default ${f.default}, ${f.min} to ${f.max}`);
  const sla = (c: SlaClass) => `${SLA_CLASS_NAMES[c]}: success ratio >= ${FAULT_SLA[c].minSuccessRatio * 100} %, recovery < ${FAULT_SLA[c].maxRecoverySeconds} s`;
  return [
    FAULT_TEST_USAGE,
    '',
    'Sends a steady stream of small chat completions to the graph\'s frontend (`kubectl port-forward` to a frontend pod',
    'that is not deleted), deletes one pod, and measures against the fault-tolerance SLA of the seeds:',
    `  ${sla('ha')} (the service that loses a pod has 2 or more replicas)`,
    `  ${sla('single')}`,
    'The fault window runs from the delete for the recovery limit (60 s or 180 s); the success ratio counts the',
    'requests sent in it (and those in flight at the delete); recovery is the first success after the last failure,',
    'confirmed by --confirm successes in a row, sent before the limit: the requests go on after the window for as long',
    'as --confirm of them take. With a single frontend and --delete frontend the port-forward ends with the pod; until',
    'its replacement is Ready and forwarded to, every request fails (the Service has no endpoint then either).',
    'Nothing is deleted unless every request before the fault succeeded.',
    '',
    '  --delete        worker (default: a pod of the alphabetically first worker service) or frontend',
    '  --service       the DynamoGraphDeployment service to take a pod from (of the --delete kind)',
    '  --model         the served model to ask; default: the first of GET /v1/models',
    ...flags,
    '  --graceful      delete with the pod\'s grace period (default: --grace-period=0 --force, a crash)',
    '  --target        the spec target whose workloads namespace holds the graph (default: DYNAMO_IAC_TARGET or local)',
    '  --json          the report as JSON',
    'exit 0: within the SLA; 2: outside it; 1: an error (nothing measured). Ctrl-C stops the requests and the port-forward.',
  ].join('\n');
}

interface NumberFlag {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly unit: string;
}
/** The numeric flags: default and range. Seconds may be fractional. */
export const FAULT_TEST_FLAGS = {
  concurrency: { default: 4, min: 1, max: 64, integer: true, unit: 'clients sending at once' },
  interval: { default: 1, min: 0.1, max: 60, integer: false, unit: 'seconds between the requests of one client' },
  timeout: { default: 30, min: 1, max: 300, integer: false, unit: 'seconds a request may take' },
  warmup: { default: 10, min: 1, max: 600, integer: false, unit: 'seconds of requests before the delete' },
  confirm: { default: 10, min: 1, max: 1000, integer: true, unit: 'successes in a row that confirm recovery' },
  'max-requests': { default: 5000, min: 1, max: 100_000, integer: true, unit: 'requests in all' },
} as const satisfies Record<string, NumberFlag>;
type NumberFlagName = keyof typeof FAULT_TEST_FLAGS;

export interface FaultTestOptions {
  readonly graph: string;
  readonly kind: FaultKind;
  readonly service?: string;
  readonly model?: string;
  readonly concurrency: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly warmupSeconds: number;
  readonly confirm: number;
  readonly maxRequests: number;
  readonly graceful: boolean;
}

function numberFlag(name: NumberFlagName, raw: string | undefined): number {
  const f: NumberFlag = FAULT_TEST_FLAGS[name];
  if (raw === undefined) return f.default;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (f.integer && !Number.isInteger(n)) || n < f.min || n > f.max) {
    throw new FaultTestUsageError(`--${name}: must be ${f.integer ? 'a whole number' : 'a number'} from ${f.min} to ${f.max} (${f.unit}), got "${raw}"`);
  }
  return n;
}

/** Bad input on the command line; `usage`: print the usage after the message. */
export class FaultTestUsageError extends ToolError {
  constructor(message: string, readonly usage = true) {
    super(message);
  }
}

/**
 * The command line of fault-test: options, the spec target and `--json`. Bad input is a FaultTestUsageError naming
 * the flag, the value and the rule; the target first, as every command checks it.
 */
export function parseFaultTestArgs(args: readonly string[], env: NodeJS.ProcessEnv): { options: FaultTestOptions; target: Target; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        json: { type: 'boolean' },
        delete: { type: 'string' },
        service: { type: 'string' },
        model: { type: 'string' },
        graceful: { type: 'boolean' },
        ...Object.fromEntries(Object.keys(FAULT_TEST_FLAGS).map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (e) {
    throw new FaultTestUsageError((e as Error).message);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  const target = ((values['target'] as string | undefined) ?? env['DYNAMO_IAC_TARGET'] ?? 'local') as Target;
  if (!TARGETS.includes(target)) throw new FaultTestUsageError(`--target: must be one of ${TARGETS.join(', ')}, got "${target}"`, false);
  if (positionals.length !== 1) throw new FaultTestUsageError(`fault-test needs exactly one GRAPH (a DynamoGraphDeployment name), got ${positionals.length ? positionals.map((p) => `"${p}"`).join(' ') : 'none'}`);
  const kind = (values['delete'] as string | undefined) ?? 'worker';
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultTestUsageError(`--delete: must be one of ${FAULT_KINDS.join(', ')}, got "${kind}"`);
  const num = (name: NumberFlagName) => numberFlag(name, values[name] as string | undefined);
  const text = (name: string): string | undefined => {
    const v = values[name] as string | undefined;
    if (v !== undefined && v.trim() === '') throw new FaultTestUsageError(`--${name}: must not be empty`);
    return v;
  };
  const service = text('service');
  const model = text('model');
  return {
    options: {
      graph: positionals[0]!,
      kind: kind as FaultKind,
      ...(service !== undefined && { service }),
      ...(model !== undefined && { model }),
      concurrency: num('concurrency'),
      intervalSeconds: num('interval'),
      timeoutSeconds: num('timeout'),
      warmupSeconds: num('warmup'),
      confirm: num('confirm'),
      maxRequests: num('max-requests'),
      graceful: values['graceful'] === true,
    },
    target,
    json: values['json'] === true,
  };
}

/** Checks that the run fits `--max-requests`: warmup, window and the confirmation time after it. */
function checkBudget(o: FaultTestOptions, windowSeconds: number, confirmSeconds: number): void {
  const perClient = Math.floor((o.warmupSeconds + windowSeconds + confirmSeconds) / o.intervalSeconds) + 1;
  const most = o.concurrency * perClient;
  if (most > o.maxRequests) {
    throw new ToolError(
      `--max-requests ${o.maxRequests}: the run may send ${most} requests (--concurrency ${o.concurrency} clients, one per --interval ${o.intervalSeconds} s, for --warmup ${o.warmupSeconds} s, the ${windowSeconds} s fault window and ${confirmSeconds} s that may confirm a recovery at its end, --confirm ${o.confirm}); raise --max-requests, or lower --concurrency or --confirm, or raise --interval`,
    );
  }
}

export interface FaultReport {
  readonly graph: string;
  readonly namespace: string;
  readonly frontendService: string;
  /** The frontend pods the requests went to, through a port-forward each, in order. */
  readonly frontendPods: readonly string[];
  readonly model: string;
  readonly deleted: { readonly kind: FaultKind; readonly service: string; readonly replicas: number; readonly pod: string; readonly graceful: boolean };
  readonly slaClass: SlaClass;
  readonly sla: Sla;
  readonly load: { readonly concurrency: number; readonly intervalSeconds: number; readonly timeoutSeconds: number; readonly warmupSeconds: number; readonly confirm: number; readonly maxRequests: number };
  /** The requests answered before the delete (all succeeded, or nothing was deleted); those in flight at the delete count in neither. */
  readonly baseline: { readonly sent: number; readonly succeeded: number };
  /** `seconds`: the limit (the success ratio counts the requests of it); `confirmSeconds`: the requests after it that may confirm a recovery. */
  readonly window: WindowMeasurement & { readonly seconds: number; readonly confirmSeconds: number };
  readonly checks: readonly SlaCheck[];
  readonly withinSla: boolean;
}

export interface FaultTestDeps {
  /** The lookups before the load starts. */
  readonly kube: Kube;
  /** kubectl while the requests run (the delete, the replacement frontend pod): never blocking them. */
  readonly kubectl: KubectlAsyncRunner;
  readonly portForward: PortForwardStarter;
  readonly clock: Clock;
  /** Ctrl-C. */
  readonly signal?: AbortSignal;
  readonly progress: (line: string) => void;
}

const reasons = (failures: readonly { reason: string; count: number }[]): string => failures.map((f) => `${f.reason} x${f.count}`).join(', ');

/** Stops the load (aborting what is in flight) and throws `e`. */
async function abandon(load: Load, e: ToolError): Promise<never> {
  await load.abort();
  throw e;
}

/** Why the requests before the fault do not allow one, or undefined: none answered, or one failed. */
function baselineProblem(before: readonly Sample[], o: FaultTestOptions): ToolError | undefined {
  if (before.length === 0) return new ToolError(`no request finished in the ${o.warmupSeconds} s before the fault (--warmup; --timeout ${o.timeoutSeconds} s): nothing was deleted`);
  const failed = failureReasons(before);
  if (!failed.length) return undefined;
  const n = failed.reduce((sum, f) => sum + f.count, 0);
  return new ToolError(`${n} of ${before.length} requests failed before the fault (${reasons(failed)}): the graph does not serve steadily, so nothing was deleted; run \`dynamo-iac verify\``);
}

/** A signal that aborts on Ctrl-C or after `ms` on the run's clock. */
function withTimeout(d: FaultTestDeps, ms: number): { signal: AbortSignal; clear: () => void } {
  const timeout = new AbortController();
  const done = new AbortController();
  void d.clock.sleep(ms, done.signal).then(() => {
    if (!done.signal.aborted) timeout.abort(new DOMException('timeout', 'TimeoutError'));
  });
  return { signal: d.signal ? AbortSignal.any([d.signal, timeout.signal]) : timeout.signal, clear: () => done.abort() };
}

/** A Ready frontend pod of the graph that is not in `exclude` (nor being deleted), or undefined. */
async function readyFrontendPod(d: FaultTestDeps, t: FaultTarget, exclude: readonly string[]): Promise<string | undefined> {
  const r = await d.kubectl(['get', ...graphPodsQuery(t.namespace, t.graph), '-o', 'json']);
  if (!r.ok) throw new ToolError(explainFailure(r.stderr));
  const pods = (JSON.parse(r.stdout) as { items: PodJson[] }).items;
  return podsOfService(pods, t.frontend)
    .filter((p) => !p.metadata.deletionTimestamp && podReady(p) && !exclude.includes(p.metadata.name))
    .map((p) => p.metadata.name)
    .sort()[0];
}

/** Waits for the requests in flight; a Ctrl-C meanwhile aborts them at once. */
async function finish(load: Load, signal: AbortSignal | undefined): Promise<void> {
  const onAbort = () => void load.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await load.stop();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Runs the test. Throws a ToolError for every outcome that is not a measurement. */
export async function faultTest(namespace: string, o: FaultTestOptions, d: FaultTestDeps): Promise<FaultReport> {
  const t: FaultTarget = findFaultTarget(d.kube, namespace, o.graph, { kind: o.kind, ...(o.service !== undefined && { service: o.service }) });
  const cls = slaClass(t.replicas);
  const sla = FAULT_SLA[cls];
  const windowMs = sla.maxRecoverySeconds * 1000;
  const confirmMs = confirmSeconds(o.confirm, o.concurrency, o.intervalSeconds) * 1000;
  checkBudget(o, sla.maxRecoverySeconds, confirmMs / 1000);
  // A frontend pod that survives the fault when there is one; the only one otherwise (frontend-link.ts).
  const first = t.frontendPods.find((p) => p !== t.pod) ?? t.frontendPods[0];
  if (first === undefined) throw new ToolError(`graph "${o.graph}" has no ready frontend pod to send the requests to`);
  d.progress(`… kubectl port-forward pod/${first} :${OPERATOR_FRONTEND_PORT}`);
  const link = await frontendLink(first, { forward: (pod) => d.portForward(namespace, pod, OPERATOR_FRONTEND_PORT), readyPod: (exclude) => readyFrontendPod(d, t, exclude), clock: d.clock });
  let deleted = false;
  const interrupted = () => new ToolError(`interrupted (Ctrl-C): ${deleted ? `pod ${t.pod} was deleted; the operator recreates it` : 'nothing was deleted'}`);
  /** A Ctrl-C or a forward that ended unexpectedly ends the run. */
  const stopIfBroken = async (load: Load): Promise<void> => {
    if (d.signal?.aborted) await abandon(load, interrupted());
    const lost = link.failure();
    if (lost) await abandon(load, new ToolError(`${lost}: ${deleted ? `the measurement is void (requests failed for that reason, not the graph's); pod ${t.pod} was deleted` : 'nothing was deleted'}`));
  };
  try {
    const ask = withTimeout(d, o.timeoutSeconds * 1000);
    const served = await listModels(link.base()!, ask.signal)
      .catch((e: unknown) => {
        throw d.signal?.aborted ? interrupted() : e;
      })
      .finally(ask.clear);
    const model = o.model ?? served[0];
    if (model === undefined) throw new ToolError(`the frontend of graph "${o.graph}" serves no model (GET /v1/models is empty): its workers have not registered; run \`dynamo-iac verify\``);
    if (!served.includes(model)) throw new ToolError(`--model: the frontend serves no model "${model}" (it serves: ${served.join(', ') || 'none'})`);
    const loadOptions: LoadOptions = { concurrency: o.concurrency, intervalMs: o.intervalSeconds * 1000, timeoutMs: o.timeoutSeconds * 1000, maxRequests: o.maxRequests };
    d.progress(`… ${o.concurrency} clients asking ${model} through pod ${first}: ${o.warmupSeconds} s before the fault`);
    const load = startLoad(chatProbe(() => link.base(), model), loadOptions, d.clock);
    await d.clock.sleep(o.warmupSeconds * 1000, d.signal);
    await stopIfBroken(load);
    const before = [...load.samples];
    const problem = baselineProblem(before, o);
    if (problem) await abandon(load, problem);
    d.progress(`… deleting pod ${t.pod}`);
    // Asynchronously: the requests go on while kubectl runs.
    const del = await d.kubectl(['delete', 'pod', t.pod, '-n', namespace, ...(o.graceful ? [] : ['--grace-period=0', '--force']), '--wait=false']);
    if (!del.ok) await abandon(load, new ToolError(`deleting pod ${t.pod}: ${explainFailure(del.stderr)}`));
    deleted = true;
    const deletedAt = d.clock.now();
    link.deleted(t.pod);
    d.progress(`… deleted pod ${t.pod} (${t.service}); measuring for ${sla.maxRecoverySeconds} s, then ${confirmMs / 1000} s that may confirm a recovery`);
    // The window and the confirmation time, a second at a time: a Ctrl-C or a forward that ended stops it at once.
    const endAt = deletedAt + windowMs + confirmMs;
    while (d.clock.now() < endAt && !d.signal?.aborted && !link.failure()) await d.clock.sleep(Math.min(1000, endAt - d.clock.now()), d.signal);
    await stopIfBroken(load);
    await finish(load, d.signal);
    if (d.signal?.aborted) throw interrupted();
    const window = measureWindow(load.samples, deletedAt, windowMs, o.confirm);
    const checks = judge(window, sla);
    return {
      graph: o.graph,
      namespace,
      frontendService: t.frontendService,
      frontendPods: [...link.pods],
      model,
      deleted: { kind: t.kind, service: t.service, replicas: t.replicas, pod: t.pod, graceful: o.graceful },
      slaClass: cls,
      sla,
      load: { concurrency: o.concurrency, intervalSeconds: o.intervalSeconds, timeoutSeconds: o.timeoutSeconds, warmupSeconds: o.warmupSeconds, confirm: o.confirm, maxRequests: o.maxRequests },
      baseline: { sent: before.length, succeeded: before.length },
      window: { seconds: sla.maxRecoverySeconds, confirmSeconds: confirmMs / 1000, ...window },
      checks,
      withinSla: checks.every((c) => c.status === 'PASS'),
    };
  } finally {
    link.close();
  }
}

/** The table: the two SLA rows, then what was deleted and what failed. */
export function renderFaultReport(r: FaultReport): string {
  const d = r.deleted;
  const w = r.window;
  return [
    `fault-test ${r.graph} (namespace ${r.namespace}): deleted ${d.kind} pod ${d.pod} of service ${d.service} (${d.replicas} replica${d.replicas === 1 ? '' : 's'}: ${SLA_CLASS_NAMES[r.slaClass]} SLA)`,
    '',
    table(['CHECK', 'STATUS', 'MEASURED', 'SLA'], r.checks.map((c) => [c.name, c.status, c.measured, c.sla])),
    '',
    `fault window: ${w.seconds} s from the delete (then ${w.confirmSeconds} s that may confirm a recovery); ${w.sent - w.succeeded} failed${w.failures.length ? ` (${reasons(w.failures)})` : ''}`,
    `before the delete: ${r.baseline.succeeded} of ${r.baseline.sent} succeeded`,
    `load: ${r.load.concurrency} clients, one chat completion of ${r.model} per ${r.load.intervalSeconds} s each through a port-forward to pod ${r.frontendPods.join(', then ')}, ${r.load.timeoutSeconds} s timeout; recovery confirmed by ${r.load.confirm} successes in a row`,
    `verdict: ${r.withinSla ? 'within' : 'OUTSIDE'} the SLA`,
  ].join('\n');
}

/** The report as JSON; a recovery that did not happen is null. */
export const faultReportJson = (r: FaultReport): string => JSON.stringify({ ...r, window: { ...r.window, recoverySeconds: r.window.recoverySeconds ?? null } }, null, 2);

export interface FaultTestIo {
  readonly runner: KubectlRunner;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** @default the runner, asynchronously (the system kubectl: spawned) */
  readonly asyncRunner?: KubectlAsyncRunner;
  /** @default kubectl port-forward */
  readonly portForward?: PortForwardStarter;
  /** @default the system clock */
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
}

/** The command: exit 0 within the SLA, 2 outside, 1 on any error. */
export async function faultTestCommand(args: readonly string[], io: FaultTestIo): Promise<number> {
  let parsed: ReturnType<typeof parseFaultTestArgs>;
  try {
    parsed = parseFaultTestArgs(args, io.env);
  } catch (e) {
    if (!(e instanceof FaultTestUsageError)) throw e;
    // As the other commands print their usage errors: the message, then the usage.
    io.err(e.usage ? `${e.message}\n${FAULT_TEST_USAGE}` : e.message);
    return 1;
  }
  const json = parsed.json;
  try {
    const namespace = loadSpecs(io.env)[parsed.target].workloads.namespace;
    const progress = (line: string) => {
      if (!json) io.err(line);
    };
    const report = await faultTest(namespace, parsed.options, {
      kube: kube(io.runner, progress),
      kubectl: io.asyncRunner ?? (io.runner === systemKubectl ? systemKubectlAsync : asAsync(io.runner)),
      portForward: io.portForward ?? ((ns, pod, port) => kubectlPortForward(ns, pod, port)),
      clock: io.clock ?? systemClock,
      ...(io.signal && { signal: io.signal }),
      progress,
    });
    io.out(json ? faultReportJson(report) : renderFaultReport(report));
    return report.withinSla ? 0 : 2;
  } catch (e) {
    if (e instanceof ToolError || e instanceof SpecError) {
      io.err(`dynamo-iac fault-test: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
