/**
 * A GPU worker service: the backend's engine (`python3 -m dynamo.<backend>`) for one role, placed on the GPU pools
 * that fit it, with the model cache (`HF_HOME`) and compilation cache mounted, the hub token by reference, the
 * worker probes, and on GKE the driver directories added to the image's paths at start (driver-paths.ts).
 */
import type { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { yamlText } from '../common/yaml-text.js';
import { workerServiceName } from '../../../spec/naming.js';
import { imageString, type ImageRef } from '../../../spec/versions.js';
import { checksum } from '../common/checksum.js';
import { RUNTIMES, TRTLLM_ENGINE_DIR, trtllmEngineConfig, workerCommand, type WorkerRole } from './backends.js';
import { type DgdEnv, envsJson, type ExtraPodSpec, extraPodSpecJson, type JsonObject, mergeJson } from './dgd-types.js';
import { operatorKeepsCommand, withDriverPaths } from './driver-paths.js';
import { type GpuPlacement, renderGpuPlacement } from './gpu-placement.js';
import { canaryEnv, workerProbes } from './health.js';
import { servicePodLabels } from './pod-labels.js';
import { runtimeScratch } from './runtime-scratch.js';
import { type BuiltService, type ComputeResources, computeResources, containerSecurity, podSecurity, type ServiceContext } from './service-context.js';

export interface WorkerProps {
  /** @default 'aggregated' */
  readonly role?: WorkerRole;
  /** Service name. @default - the backend's name for the role, e.g. VllmDecodeWorker */
  readonly name?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** GPUs per pod (per node for a multinode worker). @default 1 */
  readonly gpus?: number;
  /** Nodes one replica spans (multinode); at least 2. @default - single node */
  readonly nodeCount?: number;
  /** @default gpus x nodeCount */
  readonly tensorParallelSize?: number;
  /** GPU pools, taints, driver paths and fast network, from the cloud profile (see gpuPlacement). @default - any GPU node */
  readonly placement?: GpuPlacement;
  /** Appended to the generated arguments. */
  readonly extraArgs?: readonly string[];
  readonly envs?: readonly EnvVar[];
  /** CPU and memory. @default - none (the GPU limit is always set) */
  readonly resources?: ComputeResources;
  /** Size of /dev/shm. @default - the operator's (8Gi) */
  readonly sharedMemorySize?: string;
  /** TRT-LLM: keys merged over the generated engine configuration. */
  readonly engineConfig?: Readonly<Record<string, unknown>>;
  /** @default - the version matrix's runtime image of the backend */
  readonly image?: ImageRef;
  readonly extraPodSpec?: ExtraPodSpec;
}

export interface BuiltWorker extends BuiltService {
  /** TRT-LLM: the engine configuration file (name, content) the worker reads. */
  readonly engineFile?: { readonly name: string; readonly content: string };
}

export function buildWorker(ctx: ServiceContext, w: WorkerProps, i: number, kvEvents: boolean): BuiltWorker {
  const field = `workers[${i}]`;
  const role = w.role ?? 'aggregated';
  const runtime = RUNTIMES[ctx.backend];
  const multinode = w.nodeCount !== undefined;
  // Multinode services get short names: the operator's name limit counts the service name twice for them.
  const name = w.name ?? workerServiceName(ctx.backend, role, multinode);
  const gpus = w.gpus ?? 1;
  const nodes = w.nodeCount ?? 1;
  if (!Number.isInteger(gpus) || gpus < 1) ctx.problems.push(`${field}.gpus: GPU counts are positive integers, got ${gpus}`);
  if (multinode && (!Number.isInteger(w.nodeCount) || nodes < 2)) {
    ctx.problems.push(`${field}.nodeCount: a multinode worker spans at least 2 nodes (omit nodeCount for one node), got ${w.nodeCount}`);
  }
  const replicas = w.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) ctx.problems.push(`${field}.replicas: must be a whole number, at least 0, got ${replicas}`);
  const tp = w.tensorParallelSize ?? gpus * nodes;
  if (!Number.isInteger(tp) || tp < 1) ctx.problems.push(`${field}.tensorParallelSize: must be a positive integer, got ${tp}`);

  const placed = renderGpuPlacement(w.placement ?? { pools: [] });
  // The operator's multinode TRT-LLM worker creates /run/sshd before starting sshd (runtime-scratch.ts).
  const scratch = runtimeScratch({ sshd: ctx.backend === 'trtllm' && multinode });
  const volumes: JsonObject[] = [...scratch.volumes];
  const mounts: JsonObject[] = [...scratch.mounts];
  const cacheEnv: DgdEnv[] = ctx.modelCacheMountPoint ? [{ name: 'HF_HOME', value: ctx.modelCacheMountPoint }] : [];
  const eph = ctx.ephemeralCache;
  if (eph?.mountPoint) {
    volumes.push({
      name: 'compilation-cache',
      ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: eph.storageClass, resources: { requests: { storage: eph.size } } } } },
    });
    mounts.push({ name: 'compilation-cache', mountPath: eph.mountPoint });
    if (ctx.backend === 'vllm') cacheEnv.push({ name: 'VLLM_CACHE_ROOT', value: eph.mountPoint });
  }
  let engineFile: BuiltWorker['engineFile'];
  const annotations: Record<string, string> = {};
  if (ctx.backend === 'trtllm') {
    const content = yamlText(trtllmEngineConfig({ role, tensorParallelSize: tp, trustRemoteCode: ctx.trustRemoteCode, ...(w.engineConfig && { overrides: w.engineConfig }) }));
    engineFile = { name: `${name.toLowerCase()}.yaml`, content };
    volumes.push({ name: 'engine-config', configMap: { name: `${ctx.graph}-engine-config` } });
    mounts.push({ name: 'engine-config', mountPath: TRTLLM_ENGINE_DIR, readOnly: true });
    annotations['checksum/engine-config'] = checksum(content);
  }
  const args = [
    ...runtime.args({
      model: ctx.model,
      ...(ctx.servedModelName && { servedModelName: ctx.servedModelName }),
      tensorParallelSize: tp,
      role,
      kvEvents,
      trustRemoteCode: ctx.trustRemoteCode,
      ...(ctx.backend === 'trtllm' && { extraEngineArgs: `${TRTLLM_ENGINE_DIR}/${name.toLowerCase()}.yaml` }),
    }),
    ...(w.extraArgs ?? []),
  ];
  const probes = workerProbes(ctx.health);
  const basePod: JsonObject = {
    ...placed.podSpec,
    securityContext: podSecurity(),
    volumes,
    mainContainer: {
      image: imageString(w.image ?? runtime.image),
      workingDir: runtime.workingDir,
      ...withDriverPaths(workerCommand(ctx.backend), args, placed.driverPaths, operatorKeepsCommand(ctx.backend, multinode)),
      ...(probes.startupProbe && { startupProbe: probes.startupProbe as unknown as JsonObject }),
      securityContext: containerSecurity(placed.addCapabilities),
      volumeMounts: mounts,
    },
  };
  const res = computeResources(w.resources ?? {});
  const gpu = String(gpus);
  const custom = Object.keys(placed.customResources).length ? { custom: placed.customResources } : {};
  return {
    name,
    field,
    component: 'worker',
    multinode,
    ...(engineFile && { engineFile }),
    spec: {
      componentType: 'worker',
      ...(role !== 'aggregated' && { subComponentType: role }),
      replicas,
      ...(ctx.hfTokenSecret && { envFromSecret: ctx.hfTokenSecret }),
      envs: [...canaryEnv(ctx.health.canary), ...cacheEnv, ...envsJson(w.envs ?? [])],
      resources: { requests: { ...res.requests, gpu, ...custom }, limits: { ...res.limits, gpu, ...custom } },
      ...(multinode && { multinode: { nodeCount: nodes } }),
      ...(ctx.cacheMounts.length && { volumeMounts: [...ctx.cacheMounts] }),
      ...(w.sharedMemorySize && { sharedMemory: { size: w.sharedMemorySize } }),
      livenessProbe: probes.livenessProbe,
      readinessProbe: probes.readinessProbe,
      extraPodMetadata: { labels: servicePodLabels(ctx.graph, 'worker', name), ...(Object.keys(annotations).length && { annotations }) },
      extraPodSpec: mergeJson(basePod, extraPodSpecJson(w.extraPodSpec ?? {})),
    },
  };
}
