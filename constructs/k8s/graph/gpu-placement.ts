/**
 * Where a GPU worker runs, from the cloud profile: exactly the pools that fit it (enough GPUs per node, the wanted
 * capacity and accelerator), the tolerations of exactly their taints, node affinity to them, the GKE driver
 * directories (added to the image's paths at start, see driver-paths.ts), and the fast-network device (EFA, InfiniBand) with IPC_LOCK when every one of the pools has it.
 */
import type { CloudProfile, DriverPaths, GpuPoolProfile, Toleration } from '../../../spec/profile/types.js';
import { commonFastNetwork, fitGpuPools, type GpuRequest, poolSelector, tolerationsFor } from '../../../spec/profile/gpu-fit.js';
import type { JsonObject } from './dgd-types.js';

export interface GpuPlacement {
  /** Pools the worker may run on. Empty: any node with a free GPU (targets without known pools). */
  readonly pools: readonly GpuPoolProfile[];
  /** Driver directories the GPU containers add to the image's PATH and LD_LIBRARY_PATH at start. @default - none */
  readonly driverPaths?: DriverPaths;
  /** Tolerations beyond the pools' taints (targets without known pools, e.g. `local`). @default - none */
  readonly tolerations?: readonly Toleration[];
  /** Request the pools' fast-network resource. @default true, when every pool has the same one */
  readonly fastNetwork?: boolean;
  /** Fast-network devices per pod. @default 1 */
  readonly fastNetworkDevices?: number;
}

/** The placement of a request on a target; throws with the pools' sizes when none fits. */
export function gpuPlacement(profile: CloudProfile, req: GpuRequest, o: Pick<GpuPlacement, 'fastNetwork' | 'fastNetworkDevices'> = {}): GpuPlacement {
  const fit = fitGpuPools(profile, req);
  if (!fit.ok) throw new Error(fit.problem);
  return {
    pools: fit.pools,
    ...(profile.driverPaths && { driverPaths: profile.driverPaths }),
    ...(fit.pools.length === 0 && profile.gpuTolerations?.length && { tolerations: profile.gpuTolerations }),
    ...o,
  };
}

export interface RenderedPlacement {
  /** Pod spec fields: tolerations and node affinity. */
  readonly podSpec: JsonObject;
  readonly driverPaths?: DriverPaths;
  /** Extended resources (the fast network) per pod. */
  readonly customResources: Record<string, string>;
  /** Capabilities the main container adds (IPC_LOCK for RDMA memory registration). */
  readonly addCapabilities: string[];
}

export function renderGpuPlacement(p: GpuPlacement): RenderedPlacement {
  const podSpec: JsonObject = {};
  const tolerations = [...tolerationsFor(p.pools), ...(p.tolerations ?? [])];
  if (tolerations.length) podSpec['tolerations'] = tolerations.map((t) => ({ ...t }));
  const selector = poolSelector(p.pools);
  if (Object.keys(selector).length) {
    podSpec['affinity'] = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: Object.entries(selector).map(([key, values]) => ({ key, operator: 'In', values })) }],
        },
      },
    };
  }
  const net = p.fastNetwork === false ? undefined : commonFastNetwork(p.pools);
  return {
    podSpec,
    ...(p.driverPaths && { driverPaths: p.driverPaths }),
    customResources: net ? { [net]: String(p.fastNetworkDevices ?? 1) } : {},
    addCapabilities: net ? ['IPC_LOCK'] : [],
  };
}
