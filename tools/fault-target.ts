/**
 * What `fault-test` aims at, found on the cluster: the graph's DynamoGraphDeployment, its frontend Service, and the
 * pod to delete, with the replicas that decide the SLA class. Runtime facts (ai-dynamo/dynamo 0.9.0 operator):
 * - the operator creates one Service for the frontend component, named `<graph>-<service key, lower case>`
 *   (graph.go GetDynamoComponentName), port 8000 named `http` (consts.go DynamoServicePort, DynamoServicePortName),
 *   selecting the frontend's pods; on both the Grove and the Deployment path (GenerateComponentService,
 *   dynamocomponentdeployment_controller.go);
 * - every pod carries `nvidia.com/dynamo-graph-deployment-name` and `nvidia.com/dynamo-component` (the service key)
 *   from generateLabels, which Grove leaves alone (it overwrites only `app.kubernetes.io/*`): verify's
 *   DYNAMO_POD_LABELS;
 * - a service's `componentType` is `frontend`, `worker` (ours, with `subComponentType` prefill or decode), or the
 *   older `prefill` / `decode`; `replicas` defaults to 1.
 */
import { explainFailure, type Kube, ToolError } from './kubectl.js';
import { DYNAMO_POD_LABELS, isNotFound, podProblem, podReady, podsOfService } from './verify.js';

/** The frontend container's port (component_frontend.go: container port `http`, consts.go DynamoServicePort 8000). */
export const OPERATOR_FRONTEND_PORT = 8000;

export const FAULT_KINDS = ['worker', 'frontend'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const WORKER_TYPES = new Set(['worker', 'prefill', 'decode']);

interface DgdService {
  componentType?: string;
  replicas?: number;
}
interface DgdJson {
  metadata: { name: string };
  spec?: { services?: Record<string, DgdService> };
}
export type PodJson = Parameters<typeof podReady>[0];

/** The pods of a graph service (by the component label, as the operator sets it from the service key). */
export { podsOfService } from './verify.js';

/** The `kubectl get` arguments listing a graph's pods. */
export const graphPodsQuery = (namespace: string, graph: string): string[] => ['pods', '-n', namespace, '-l', `${DYNAMO_POD_LABELS.graph}=${graph}`];

export interface FaultTarget {
  readonly graph: string;
  readonly namespace: string;
  /** The operator's Service in front of the frontend pods. */
  readonly frontendService: string;
  /** The frontend's service key (its pods' component label). */
  readonly frontend: string;
  /** Its Ready pods, by name. */
  readonly frontendPods: readonly string[];
  readonly kind: FaultKind;
  /** The DynamoGraphDeployment service (key of `spec.services`) that loses a pod. */
  readonly service: string;
  /** Its `replicas`: 2 or more is the HA class. */
  readonly replicas: number;
  /** The pod to delete. */
  readonly pod: string;
}

const kindOf = (s: DgdService): FaultKind | undefined => (s.componentType === 'frontend' ? 'frontend' : WORKER_TYPES.has(s.componentType ?? '') ? 'worker' : undefined);

function graphOf(k: Kube, namespace: string, graph: string): DgdJson {
  const dgds = k.get<DgdJson>(['dynamographdeployments.nvidia.com', '-n', namespace], 'listing DynamoGraphDeployments')?.items;
  if (dgds === undefined) throw new ToolError('the DynamoGraphDeployment CRD is not installed on this cluster: install the dynamo-crds chart (README, install step 1)');
  const dgd = dgds.find((d) => d.metadata.name === graph);
  if (!dgd) {
    const there = dgds.map((d) => d.metadata.name).sort();
    throw new ToolError(`unknown graph "${graph}": no DynamoGraphDeployment of that name in namespace ${namespace} (${there.length ? `there: ${there.join(', ')}` : 'it has none'})`);
  }
  return dgd;
}

function pickService(graph: string, services: Record<string, DgdService>, kind: FaultKind, wanted: string | undefined): string {
  if (wanted !== undefined) {
    const s = services[wanted];
    if (!s) throw new ToolError(`--service: graph "${graph}" has no service "${wanted}" (it has: ${Object.keys(services).sort().join(', ')})`);
    if (kindOf(s) !== kind) throw new ToolError(`--service: service "${wanted}" of graph "${graph}" is a ${s.componentType ?? 'service without componentType'}, not a ${kind} (--delete ${kind})`);
    return wanted;
  }
  // Alphabetical: decode before prefill for every backend's names (VllmDecodeWorker, decode, TRTLLMDecodeWorker).
  const candidates = Object.keys(services).filter((n) => kindOf(services[n]!) === kind && (services[n]!.replicas ?? 1) > 0).sort();
  if (!candidates.length) throw new ToolError(`graph "${graph}" has no ${kind} service with replicas to delete a pod of`);
  return candidates[0]!;
}

/** The services' pods, Ready; a service short of pods or with a pod not Ready is a ToolError: no fault on a sick graph. */
function readyPodsOf(pods: readonly PodJson[], service: string, want: number, where: string): PodJson[] {
  const mine = podsOfService(pods, service);
  const bad = mine.filter((p) => !podReady(p));
  const ready = mine.length - bad.length;
  if (bad.length || ready < want) {
    const why = bad.length ? `; ${bad[0]!.metadata.name}: ${podProblem(bad[0]!)}` : '';
    throw new ToolError(`service ${service} has ${ready} of ${want} pods ready${why}: fault-test starts only from a healthy graph (nothing was deleted); run \`dynamo-iac verify\` (${where})`);
  }
  return mine.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Finds the graph, its frontend Service, and the first ready pod (by name) of the service to fault. */
export function findFaultTarget(k: Kube, namespace: string, graph: string, o: { kind: FaultKind; service?: string }): FaultTarget {
  const dgd = graphOf(k, namespace, graph);
  const services = dgd.spec?.services ?? {};
  const frontend = Object.keys(services).sort().find((n) => kindOf(services[n]!) === 'frontend');
  if (frontend === undefined) {
    throw new ToolError(`graph "${graph}" has no frontend: none of its services (${Object.keys(services).sort().join(', ') || 'none'}) has componentType frontend, and fault-test sends its requests through the frontend`);
  }
  const frontendService = `${graph}-${frontend.toLowerCase()}`;
  const svc = k.run(['get', 'service', frontendService, '-n', namespace, '-o', 'name'], 'looking up the frontend Service');
  if (!svc.ok) {
    if (isNotFound(svc.stderr)) throw new ToolError(`graph "${graph}" has no frontend Service ${frontendService} in ${namespace} (the operator creates it with the frontend): kubectl -n ${namespace} describe dynamographdeployment ${graph}`);
    throw new ToolError(explainFailure(svc.stderr));
  }
  const service = pickService(graph, services, o.kind, o.service);
  const replicas = services[service]!.replicas ?? 1;
  const pods = (k.get<PodJson>(graphPodsQuery(namespace, graph), `listing the pods of graph ${graph}`)?.items ?? []).filter((p) => !p.metadata.deletionTimestamp);
  const where = `graph ${graph} in ${namespace}`;
  const frontends = readyPodsOf(pods, frontend, services[frontend]!.replicas ?? 1, where);
  const victims = service === frontend ? frontends : readyPodsOf(pods, service, replicas, where);
  if (!victims.length) throw new ToolError(`service ${service} of graph "${graph}" has no pod to delete (replicas: ${replicas})`);
  const frontendPods = frontends.map((p) => p.metadata.name);
  return { graph, namespace, frontendService, frontend, frontendPods, kind: o.kind, service, replicas, pod: victims[0]!.metadata.name };
}
