/**
 * Where a GPU worker runs, from the cloud profile: exactly the pools that fit it (enough GPUs per node, the wanted
 * capacity and accelerator), the tolerations of exactly their taints, node affinity to them, the GKE driver-path
 * prelude, and the fast-network device (EFA, InfiniBand) with IPC_LOCK when every one of the pools has it.
 */
import type { CloudProfile, GpuPoolProfile } from '../../../spec/profile/types.js';
import { commonFastNetwork, fitGpuPools, type GpuRequest, poolSelector, tolerationsFor } from '../../../spec/profile/gpu-fit.js';
import type { DgdEnv, JsonObject } from './dgd-types.js';

export interface GpuPlacement {
  /** Pools the worker may run on. Empty: any node with a free GPU (targets without known pools). */
  readonly pools: readonly GpuPoolProfile[];
  /** Environment the GPU containers need to find the driver. @default - none */
  readonly driverEnv?: Readonly<Record<string, string>>;
  /** Request the pools' fast-network resource. @default true, when every pool has the same one */
  readonly fastNetwork?: boolean;
  /** Fast-network devices per pod. @default 1 */
  readonly fastNetworkDevices?: number;
}

/** The placement of a request on a target; throws with the pools' sizes when none fits. */
export function gpuPlacement(profile: CloudProfile, req: GpuRequest, o: Pick<GpuPlacement, 'fastNetwork' | 'fastNetworkDevices'> = {}): GpuPlacement {
  const fit = fitGpuPools(profile, req);
  if (!fit.ok) throw new Error(fit.problem);
  return { pools: fit.pools, ...(profile.driverEnv && { driverEnv: profile.driverEnv }), ...o };
}

export interface RenderedPlacement {
  /** Pod spec fields: tolerations and node affinity. */
  readonly podSpec: JsonObject;
  readonly env: DgdEnv[];
  /** Extended resources (the fast network) per pod. */
  readonly customResources: Record<string, string>;
  /** Capabilities the main container adds (IPC_LOCK for RDMA memory registration). */
  readonly addCapabilities: string[];
}

export function renderGpuPlacement(p: GpuPlacement): RenderedPlacement {
  const podSpec: JsonObject = {};
  const tolerations = tolerationsFor(p.pools);
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
    env: Object.entries(p.driverEnv ?? {}).map(([name, value]) => ({ name, value })),
    customResources: net ? { [net]: String(p.fastNetworkDevices ?? 1) } : {},
    addCapabilities: net ? ['IPC_LOCK'] : [],
  };
}
