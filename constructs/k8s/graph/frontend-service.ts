/**
 * The Frontend service: the OpenAI-compatible HTTP server (with the KV router when asked), on CPU nodes.
 *
 * The 0.9.0 frontend downloads each model's tokenizer and config itself (the workers publish `hf://` URLs; the
 * frontend's model watcher fetches them into `$HF_HOME/hub`, lib/llm/src/discovery/watcher.rs, lib/llm/src/hub.rs),
 * so it needs a writable hub cache and the hub token. It gets its own small emptyDir for that, not the shared model
 * claim: it only needs a few megabytes, the model claim may be ReadWriteOnce (bound to one GPU node) or a file
 * system the CPU nodes should not have to mount, and each frontend replica refetches in seconds after a restart.
 */
import type { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { FRONTEND_SERVICE_NAME, ROUTER_MODES, type RouterMode } from '../../../spec/naming.js';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { envsJson, type ExtraPodSpec, extraPodSpecJson, mergeJson } from './dgd-types.js';
import { FRONTEND_HTTP_PORT, frontendProbes } from './health.js';
import { servicePodLabels } from './pod-labels.js';
import { RUNTIME_HOME, runtimeScratch } from './runtime-scratch.js';
import { type BuiltService, type ComputeResources, computeResources, containerSecurity, podSecurity, type ServiceContext } from './service-context.js';

/** Where the frontend's own hub cache is mounted (`HF_HOME`), under the image user's home. */
export const FRONTEND_HUB_CACHE_MOUNT = `${RUNTIME_HOME}/.cache/huggingface`;
/** The frontend's hub cache volume (an emptyDir). */
export const FRONTEND_HUB_CACHE_VOLUME = 'hub-cache';

export interface FrontendProps {
  /** Service name. @default 'Frontend' */
  readonly name?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** How the frontend picks a worker (`DYN_ROUTER_MODE`). `kv` routes by KV-cache overlap. @default 'round-robin' */
  readonly router?: RouterMode;
  /** @default - the version matrix's dynamo-frontend image */
  readonly image?: ImageRef;
  /** @default requests 1 CPU / 2Gi, limits 4 CPU / 8Gi */
  readonly resources?: ComputeResources;
  /** Size limit of the frontend's hub cache (tokenizers and configs). @default '1Gi' */
  readonly hubCacheSize?: string;
  readonly envs?: readonly EnvVar[];
  readonly extraPodSpec?: ExtraPodSpec;
}

export function buildFrontend(ctx: ServiceContext, f: FrontendProps): BuiltService {
  const name = f.name ?? FRONTEND_SERVICE_NAME;
  const router = f.router ?? 'round-robin';
  if (!ROUTER_MODES.includes(router)) ctx.problems.push(`frontend.router: must be one of ${ROUTER_MODES.join(', ')}, got "${String(router)}"`);
  const replicas = f.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) ctx.problems.push(`frontend.replicas: must be a whole number, at least 1, got ${replicas}`);
  const res = f.resources ?? { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } };
  const scratch = runtimeScratch();
  return {
    name,
    field: 'frontend',
    component: 'frontend',
    multinode: false,
    spec: {
      componentType: 'frontend',
      replicas,
      ...(ctx.hfTokenSecret && { envFromSecret: ctx.hfTokenSecret }),
      envs: [
        { name: 'HF_HOME', value: FRONTEND_HUB_CACHE_MOUNT },
        ...(router === 'round-robin' ? [] : [{ name: 'DYN_ROUTER_MODE', value: router }]),
        ...envsJson(f.envs ?? []),
      ],
      resources: computeResources(res),
      ...frontendProbes(ctx.health),
      extraPodMetadata: { labels: servicePodLabels(ctx.graph, 'frontend', name) },
      extraPodSpec: mergeJson(
        {
          ...ctx.cpuPod,
          securityContext: podSecurity(),
          volumes: [...scratch.volumes, { name: FRONTEND_HUB_CACHE_VOLUME, emptyDir: { sizeLimit: f.hubCacheSize ?? '1Gi' } }],
          mainContainer: {
            image: imageString(f.image ?? VERSIONS.dynamo.runtimeImages.frontend),
            command: ['python3', '-m', 'dynamo.frontend'],
            args: ['--http-port', String(FRONTEND_HTTP_PORT)],
            securityContext: containerSecurity(),
            volumeMounts: [...scratch.mounts, { name: FRONTEND_HUB_CACHE_VOLUME, mountPath: FRONTEND_HUB_CACHE_MOUNT }],
          },
        },
        extraPodSpecJson(f.extraPodSpec ?? {}),
      ),
    },
  };
}
