/**
 * The SLA Planner service: scales prefill and decode workers from the profiling results (a ConfigMap, mounted
 * read-only) and Prometheus metrics, on CPU nodes. It downloads nothing from the hub, so it has no hub cache.
 */
import type { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { PLANNER_SERVICE_NAME } from '../../../spec/naming.js';
import { imageString } from '../../../spec/versions.js';
import { RUNTIMES } from './backends.js';
import { envsJson, type ExtraPodSpec, extraPodSpecJson, mergeJson } from './dgd-types.js';
import { servicePodLabels } from './pod-labels.js';
import { runtimeScratch } from './runtime-scratch.js';
import { type BuiltService, computeResources, containerSecurity, nonEmpty, podSecurity, type ServiceContext } from './service-context.js';

/** Where the Planner reads the profiling results (upstream's path). */
export const PLANNER_PROFILE_DIR = '/workspace/profiling_results';
/** The ConfigMap the SLA profiler writes and the Planner reads. */
export const PLANNER_PROFILE_CONFIGMAP = 'planner-profile-data';

export interface PlannerProps {
  /** Seconds between scaling decisions. @default 60 */
  readonly adjustmentIntervalSeconds?: number;
  /** ConfigMap with the profiling results. @default 'planner-profile-data' */
  readonly profileDataConfigMap?: string;
  /** Prometheus the Planner reads metrics from. @default - the operator's `--prometheus-endpoint` */
  readonly prometheusEndpoint?: string;
  readonly extraArgs?: readonly string[];
  readonly envs?: readonly EnvVar[];
  readonly extraPodSpec?: ExtraPodSpec;
}

export function buildPlanner(ctx: ServiceContext, p: PlannerProps, roles: ReadonlySet<string>): BuiltService {
  const interval = p.adjustmentIntervalSeconds ?? 60;
  if (!Number.isInteger(interval) || interval < 10) ctx.problems.push(`planner.adjustmentIntervalSeconds: must be a whole number of seconds, at least 10, got ${interval}`);
  if (!roles.has('prefill') || !roles.has('decode')) ctx.problems.push('planner: the SLA Planner scales prefill and decode workers; the graph has none of one or both');
  const configMap = p.profileDataConfigMap ?? PLANNER_PROFILE_CONFIGMAP;
  const scratch = runtimeScratch();
  return {
    name: PLANNER_SERVICE_NAME,
    field: 'planner',
    component: 'planner',
    multinode: false,
    spec: {
      componentType: 'planner',
      replicas: 1,
      ...nonEmpty('envs', [...(p.prometheusEndpoint ? [{ name: 'PROMETHEUS_ENDPOINT', value: p.prometheusEndpoint }] : []), ...envsJson(p.envs ?? [])]),
      resources: computeResources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
      extraPodMetadata: { labels: servicePodLabels(ctx.graph, 'planner', PLANNER_SERVICE_NAME) },
      extraPodSpec: mergeJson(
        {
          ...ctx.cpuPod,
          securityContext: podSecurity(),
          volumes: [...scratch.volumes, { name: 'profile-data', configMap: { name: configMap } }],
          mainContainer: {
            image: imageString(RUNTIMES[ctx.backend].image),
            workingDir: '/workspace/components/src/dynamo/planner',
            command: ['python3', '-m', 'planner_sla'],
            args: [
              '--environment=kubernetes',
              `--backend=${ctx.backend}`,
              `--adjustment-interval=${interval}`,
              `--profile-results-dir=${PLANNER_PROFILE_DIR}`,
              ...(p.extraArgs ?? []),
            ],
            securityContext: containerSecurity(),
            volumeMounts: [...scratch.mounts, { name: 'profile-data', mountPath: PLANNER_PROFILE_DIR, readOnly: true }],
          },
        },
        extraPodSpecJson(p.extraPodSpec ?? {}),
      ),
    },
  };
}
