/**
 * The cloud profile: the facts the Kubernetes layer needs from the cloud layer, derived from the spec by a pure
 * function per cloud. The cdktf stacks and the cdk8s charts import the same values, so a taint key or a storage
 * class name is written once.
 */
import type { Taint, Target } from '../schema.js';

export type { Taint };

/** A Kubernetes toleration (the subset we emit). */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: Taint['effect'];
}

/** The toleration that admits exactly this taint. */
export function tolerationOf(taint: Taint): Toleration {
  return taint.value === undefined
    ? { key: taint.key, operator: 'Exists', effect: taint.effect }
    : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}

/** A StorageClass the Kubernetes layer names. */
export interface StorageClassProfile {
  readonly name: string;
  readonly provisioner: string;
  /**
   * Who creates the class: `cluster` (built into the managed cluster), `k8s` (our charts emit it) or `cloud`
   * (the cloud deploy path creates it, because it needs ids known only after apply, e.g. a file system id).
   */
  readonly createdBy: 'cluster' | 'k8s' | 'cloud';
  readonly parameters: Readonly<Record<string, string>>;
  readonly reclaimPolicy: 'Delete' | 'Retain';
  readonly volumeBindingMode: 'WaitForFirstConsumer' | 'Immediate';
  readonly accessMode: 'ReadWriteOnce' | 'ReadWriteMany';
  readonly mountOptions?: readonly string[];
  /** Node-local and per pod: used as a generic ephemeral volume, never as a shared claim. */
  readonly ephemeral?: boolean;
}

/** How a pod is placed on a pool: the node selector and the tolerations its taints require. */
export interface PoolPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

export interface GpuPoolProfile extends PoolPlacement {
  readonly name: string;
  /** Every taint the pool's nodes carry (the GPU taint, the spot taint, the spec's own). */
  readonly taints: readonly Taint[];
  readonly spot: boolean;
  readonly gpusPerNode: number;
  readonly accelerator: string;
  /** Extended resource of the fast network (EFA, InfiniBand) when the pool has it. */
  readonly fastNetworkResource?: string;
}

export interface CloudProfile {
  readonly target: Target;
  readonly storage: {
    /** Block storage for the platform's own PVCs (NATS JetStream, etcd). @default - the cluster's default class */
    readonly block?: StorageClassProfile;
    /** Shared (ReadWriteMany) model storage. @default - the cluster's default class */
    readonly modelCache?: StorageClassProfile;
    /**
     * What the model-cache claim asks for when the claim itself creates the store (one file system per claim, as
     * the GKE drivers do): the spec's `cluster.modelStorage.size`. @default - workloads.modelCache.size
     */
    readonly modelCacheSize?: string;
    /** Compilation caches. @default - the model cache's class */
    readonly compilationCache?: StorageClassProfile;
  };
  /** Placement on the system pool. Absent on `local`: any node, preferring nodes without GPUs. */
  readonly systemPool?: PoolPlacement;
  /** The node label that marks GPU nodes (set by GPU feature discovery or the cloud). */
  readonly gpuNodeLabel: { readonly key: string; readonly value: string };
  /** The taint every GPU node carries, if the target taints GPU nodes. */
  readonly gpuTaint?: Taint;
  /** The taint every spot node carries, if the target taints spot nodes. */
  readonly spotTaint?: Taint;
  readonly gpuPools: Readonly<Record<string, GpuPoolProfile>>;
  /** Driver directories GPU containers add to the image's PATH and LD_LIBRARY_PATH at start (GKE's /usr/local/nvidia). */
  readonly driverPaths?: DriverPaths;
  /**
   * Tolerations of GPU workers on targets whose pools we do not know (`local`): the taints GPU nodes commonly carry.
   * @default - none (known pools bring the tolerations of exactly their taints)
   */
  readonly gpuTolerations?: readonly Toleration[];
}

/** Directories appended to a container's PATH and LD_LIBRARY_PATH when it starts (never literal values). */
export interface DriverPaths {
  readonly binDirs: readonly string[];
  readonly libraryDirs: readonly string[];
}

/**
 * One toleration per distinct taint that any pool of the target carries: the system pool's, the GPU taint, the spot
 * taint and every GPU pool's own; on a target without known pools (local), the GPU tolerations its GPU workers get
 * (on-prem GPU nodes commonly carry `nvidia.com/gpu`). A pod with these may run on every node of the cluster.
 */
export function everyPoolToleration(profile: CloudProfile): Toleration[] {
  const taints = [profile.gpuTaint, profile.spotTaint, ...Object.values(profile.gpuPools).flatMap((pool) => pool.taints)];
  const all = [...(profile.systemPool?.tolerations ?? []), ...taints.filter((t): t is Taint => t !== undefined).map(tolerationOf), ...(profile.gpuTolerations ?? [])];
  const distinct = new Map(all.map((t) => [JSON.stringify([t.key, t.operator, t.value, t.effect]), t] as const));
  return [...distinct.values()];
}
