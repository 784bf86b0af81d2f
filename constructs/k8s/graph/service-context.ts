/**
 * What every service builder of a graph shares: the graph's identity, its claims and caches, the pod and container
 * security settings, the CPU placement, and the problem list the construct validates at synth time.
 */
import type { Backend } from './backends.js';
import type { DgdService, DgdVolumeMount, JsonObject } from './dgd-types.js';
import type { HealthProps } from './health.js';
import type { GraphComponent } from './pod-labels.js';

/** The image user of Dynamo's runtime images (`dynamo`, uid 1000, group 0). */
export const RUNTIME_UID = 1000;

/** A named, validated service of the graph. */
export interface BuiltService {
  readonly name: string;
  readonly field: string;
  readonly component: GraphComponent;
  readonly multinode: boolean;
  readonly spec: DgdService;
}

export interface ServiceContext {
  readonly graph: string;
  readonly backend: Backend;
  readonly model: string;
  readonly servedModelName?: string;
  readonly trustRemoteCode: boolean;
  readonly health: HealthProps;
  /** Secret with HF_TOKEN, referenced by name by every service that downloads from the hub. */
  readonly hfTokenSecret?: string;
  /** The model cache mount point, when the graph mounts the shared model cache. */
  readonly modelCacheMountPoint?: string;
  /** Claim mounts of the workers (model cache, compilation cache). */
  readonly cacheMounts: readonly DgdVolumeMount[];
  /** A per-pod compilation cache volume instead of a claim. */
  readonly ephemeralCache?: { readonly size: string; readonly storageClass: string; readonly mountPoint?: string };
  readonly cpuPod: JsonObject;
  readonly problems: string[];
}

export const podSecurity = (): JsonObject => ({ runAsNonRoot: true, runAsUser: RUNTIME_UID, fsGroup: RUNTIME_UID, seccompProfile: { type: 'RuntimeDefault' } });

/** The main container's settings: no escalation, every capability dropped, a read-only root (see runtime-scratch.ts). */
export const containerSecurity = (add: readonly string[] = []): JsonObject => ({
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'], ...(add.length && { add: [...add] }) },
});

export const nonEmpty = <K extends string, T>(key: K, list: T[]): { [k in K]?: T[] } => (list.length ? ({ [key]: list } as { [k in K]: T[] }) : {});

/** Container requests and limits (CPU and memory; GPUs are counted by `gpus`). */
export interface ComputeResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export function computeResources(r: ComputeResources): { requests: Record<string, string>; limits: Record<string, string> } {
  const pick = (l?: { cpu?: string; memory?: string }) => Object.fromEntries(Object.entries(l ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { requests: pick(r.requests), limits: pick(r.limits) };
}
