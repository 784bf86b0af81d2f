/**
 * Dynamo's naming rules, checked at synth time so that a bad name fails here with a clear message instead of in
 * the operator's webhook or, worse, at runtime when a worker registers.
 *
 * - A Dynamo namespace uses only `a-z`, `0-9`, `-` and `_` (the runtime's rule for namespace names).
 * - An endpoint reference is `namespace.component.endpoint`, e.g. `dynamo.backend.generate`; the worker command
 *   line spells it with the `dyn://` scheme.
 * - The operator derives pod names from the graph and service names and its webhook rejects a graph whose names
 *   are too long for that (45 characters, see graphServiceNameProblem).
 */

/** Characters allowed in a Dynamo namespace name. */
export const DYNAMO_NAMESPACE_PATTERN = /^[a-z0-9_-]+$/;

/** Longest `<graph name>-<service name>` the operator accepts. */
export const MAX_GRAPH_SERVICE_NAME = 45;

/** The problem with a Dynamo namespace name, or undefined when it is valid. */
export function dynamoNamespaceProblem(name: string): string | undefined {
  if (name.length === 0) return 'a Dynamo namespace must not be empty';
  if (!DYNAMO_NAMESPACE_PATTERN.test(name)) {
    return `a Dynamo namespace uses only lower-case letters a-z, digits 0-9, '-' and '_', got "${name}"`;
  }
  return undefined;
}

/** A Dynamo namespace derived from a Kubernetes name: lower-cased, every other character replaced by '-'. */
export function toDynamoNamespace(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

export interface EndpointRef {
  readonly namespace: string;
  readonly component: string;
  readonly endpoint: string;
}

const ENDPOINT_SCHEME = 'dyn://';
const PART = /^[A-Za-z0-9_/-]+$/;

/**
 * Parses `namespace.component.endpoint` (optionally prefixed with `dyn://`). Throws an Error naming the reference
 * and the rule it breaks.
 */
export function parseEndpoint(ref: string): EndpointRef {
  const body = ref.startsWith(ENDPOINT_SCHEME) ? ref.slice(ENDPOINT_SCHEME.length) : ref;
  const parts = body.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new Error(`endpoint reference "${ref}" must have the form namespace.component.endpoint (three non-empty parts separated by '.')`);
  }
  const [namespace, component, endpoint] = parts as [string, string, string];
  const nsProblem = dynamoNamespaceProblem(namespace);
  if (nsProblem) throw new Error(`endpoint reference "${ref}": ${nsProblem}`);
  for (const [what, v] of [['component', component], ['endpoint', endpoint]] as const) {
    if (!PART.test(v)) throw new Error(`endpoint reference "${ref}": the ${what} name uses only letters, digits, '_', '-' and '/', got "${v}"`);
  }
  return { namespace, component, endpoint };
}

/** `namespace.component.endpoint`, or with `scheme: true` the `dyn://` form a worker's `--endpoint` flag takes. */
export function formatEndpoint(ref: EndpointRef, o: { scheme?: boolean } = {}): string {
  const text = `${ref.namespace}.${ref.component}.${ref.endpoint}`;
  parseEndpoint(text);
  return o.scheme ? `${ENDPOINT_SCHEME}${text}` : text;
}

/**
 * The problem with a graph and service name pair, or undefined. The operator webhook's rule, exactly: the graph
 * name plus the lower-cased service name is at most 45 characters; a multinode service also adds its leader's name
 * (`<service>-ldr`) to that sum.
 */
export function graphServiceNameProblem(graph: string, service: string, multinode = false): string | undefined {
  const svc = service.toLowerCase();
  const length = graph.length + svc.length + (multinode ? `${svc}-ldr`.length : 0);
  if (length <= MAX_GRAPH_SERVICE_NAME) return undefined;
  const sum = multinode ? `graph name + service name + "${svc}-ldr"` : 'graph name + service name';
  return `${sum} is ${length} characters ("${graph}", "${svc}"); the operator allows at most ${MAX_GRAPH_SERVICE_NAME}: shorten the graph name (${graph.length}) or the service name (${svc.length})`;
}

export const BACKENDS = ['vllm', 'sglang', 'trtllm'] as const;
export type Backend = (typeof BACKENDS)[number];

/** `aggregated` serves prefill and decode in one worker; `prefill` and `decode` split them (disaggregated serving). */
export const WORKER_ROLES = ['aggregated', 'prefill', 'decode'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** Worker service names per backend and role; the disaggregated ones are the names the SLA Planner looks for. */
export const WORKER_SERVICE_NAMES: Readonly<Record<Backend, Readonly<Record<WorkerRole, string>>>> = {
  vllm: { aggregated: 'VllmWorker', prefill: 'VllmPrefillWorker', decode: 'VllmDecodeWorker' },
  sglang: { aggregated: 'worker', prefill: 'prefill', decode: 'decode' },
  trtllm: { aggregated: 'TRTLLMWorker', prefill: 'TRTLLMPrefillWorker', decode: 'TRTLLMDecodeWorker' },
};

/** Multinode services get short names: the operator's name limit counts a multinode service's name twice. */
export const MULTINODE_SERVICE_NAMES: Readonly<Record<WorkerRole, string>> = { aggregated: 'worker', prefill: 'prefill', decode: 'decode' };

export const workerServiceName = (backend: Backend, role: WorkerRole, multinode: boolean): string =>
  multinode ? MULTINODE_SERVICE_NAMES[role] : WORKER_SERVICE_NAMES[backend][role];

export const FRONTEND_SERVICE_NAME = 'Frontend';
export const PLANNER_SERVICE_NAME = 'Planner';

/** How the frontend picks a worker (`DYN_ROUTER_MODE`); `kv` routes by KV-cache overlap (the KV router). */
export const ROUTER_MODES = ['round-robin', 'random', 'kv'] as const;
export type RouterMode = (typeof ROUTER_MODES)[number];
