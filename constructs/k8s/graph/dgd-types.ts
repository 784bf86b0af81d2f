/**
 * The DynamoGraphDeployment (`nvidia.com/v1alpha1`) as JSON, the subset we emit, and the typed escape hatch for the
 * rest of upstream's schema: `extraPodSpec` is a Kubernetes PodSpec plus `mainContainer` (typed with the same
 * Kubernetes types as every other object we emit) and `envs` are Kubernetes EnvVars.
 */
import { toJson_Container, toJson_EnvVar, toJson_PodSpec } from '../common/kube.cjs';
import type { Container, EnvVar, PodSpec } from 'cdk8s-plus-28/lib/imports/k8s.js';

export const DGD_API_VERSION = 'nvidia.com/v1alpha1';

/** JSON as it goes into the manifest. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface DgdEnv {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: JsonObject;
}

export interface DgdProbe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly tcpSocket?: { readonly port: string | number };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export interface DgdVolumeMount {
  /** A PVC declared in the graph's `pvcs`. */
  readonly name: string;
  readonly mountPoint?: string;
  readonly useAsCompilationCache?: boolean;
}

export interface DgdPvc {
  readonly name: string;
  /** The operator creates the claim (and deletes it with the graph). @default false: the claim exists */
  readonly create?: boolean;
  readonly size?: string;
  readonly storageClass?: string;
  readonly volumeAccessMode?: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOncePod';
}

export type ComponentType = 'frontend' | 'worker' | 'planner';

/** One service of a graph, as the CRD spells it. */
export interface DgdService {
  componentType: ComponentType;
  subComponentType?: 'prefill' | 'decode';
  replicas: number;
  envFromSecret?: string;
  envs?: DgdEnv[];
  resources?: {
    requests?: { cpu?: string; memory?: string; gpu?: string; custom?: Record<string, string> };
    limits?: { cpu?: string; memory?: string; gpu?: string; custom?: Record<string, string> };
  };
  multinode?: { nodeCount: number };
  volumeMounts?: DgdVolumeMount[];
  sharedMemory?: { size: string };
  livenessProbe?: DgdProbe;
  readinessProbe?: DgdProbe;
  extraPodMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  extraPodSpec?: JsonObject;
}

/**
 * The escape hatch into the pod of a service: any PodSpec field, and `mainContainer` with any Container field.
 * Merged over what the construct generates: objects merge key by key, lists are appended, scalars replace.
 */
export interface ExtraPodSpec extends Partial<Omit<PodSpec, 'containers'>> {
  readonly containers?: Container[];
  readonly mainContainer?: Partial<Container>;
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge for pod specs: objects merge, lists append, scalars of `over` win. */
export function mergeJson(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (isObject(b) && isObject(v)) out[k] = mergeJson(b, v);
    else if (Array.isArray(b) && Array.isArray(v)) out[k] = [...b, ...v];
    else out[k] = v;
  }
  return out;
}

/** The escape hatch as manifest JSON (Kubernetes types serialized the way cdk8s serializes them). */
export function extraPodSpecJson(x: ExtraPodSpec): JsonObject {
  // Nothing given (most services): no converter run, which would build every PodSpec field only to drop it.
  if (Object.keys(x).length === 0) return {};
  const { mainContainer, containers, ...pod } = x;
  const podJson = (toJson_PodSpec({ ...pod, containers: containers ?? [] }) ?? {}) as JsonObject;
  if (!containers) delete podJson['containers'];
  if (mainContainer) {
    const c = (toJson_Container({ name: '', ...mainContainer }) ?? {}) as JsonObject;
    if (!mainContainer.name) delete c['name'];
    podJson['mainContainer'] = c;
  }
  return podJson;
}

/** Kubernetes EnvVars as DGD `envs`. */
export const envsJson = (envs: readonly EnvVar[]): DgdEnv[] => envs.map((e) => toJson_EnvVar(e) as unknown as DgdEnv);
