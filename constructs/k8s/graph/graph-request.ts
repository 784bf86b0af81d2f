/**
 * DynamoGraphDeploymentRequest: SLA-driven deployment. The operator runs a profiling job that sweeps
 * configurations of the backend for the model against the SLA (input and output sequence lengths, time to first
 * token, inter-token latency), stores the recommended graph, and with `autoApply` deploys it.
 *
 * The profiler and worker images come from the version matrix (upstream's example names `my-tag`).
 */
import { Chart } from '../common/cdk8s.cjs';
import { JsonApiObject } from '../common/json-api-object.js';
import type { Toleration } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { imageString, type ImageRef } from '../../../spec/versions.js';
import { MANAGED_BY } from '../common/labels.js';
import { type Backend, RUNTIMES } from './backends.js';
import { DGD_API_VERSION, type JsonObject } from './dgd-types.js';

export interface SlaTargets {
  /** Input sequence length, tokens. */
  readonly isl: number;
  /** Output sequence length, tokens. */
  readonly osl: number;
  /** Time to first token, milliseconds. */
  readonly ttftMs: number;
  /** Inter-token latency, milliseconds. */
  readonly itlMs: number;
}

export interface DynamoGraphDeploymentRequestProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  readonly model: string;
  readonly backend: Backend;
  readonly sla: SlaTargets;
  /** @default - the backend's runtime image (it carries the profiler) */
  readonly profilerImage?: ImageRef;
  /** Image of the workers of the trial and the final graphs. @default - the backend's runtime image */
  readonly workersImage?: ImageRef;
  /** Deploy the recommended graph when profiling completes. @default false: only store it */
  readonly autoApply?: boolean;
  /** Name of the graph `autoApply` creates. @default - the request's name */
  readonly deploymentName?: string;
  /** Estimate with NVIDIA AI Configurator instead of measuring on GPUs. @default false */
  readonly useAiConfigurator?: boolean;
  /** Let the profiler read GPU facts from the nodes (cluster-wide operator only). @default false */
  readonly enableGpuDiscovery?: boolean;
  /** Further profiler configuration, merged over the generated `sweep` and `sla` keys. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Tolerations of the profiling job. @default - none */
  readonly tolerations?: readonly Toleration[];
}

export class DynamoGraphDeploymentRequest extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DynamoGraphDeploymentRequestProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const problems: string[] = [];
    this.node.addValidation({ validate: () => problems.map((p) => `DynamoGraphDeploymentRequest ${this.name}: ${p}`) });
    if (!props.model) problems.push('model: required, got ""');
    for (const [k, v] of Object.entries(props.sla)) {
      if (typeof v !== 'number' || !(v > 0)) problems.push(`sla.${k}: must be a positive number, got ${String(v)}`);
    }
    for (const k of ['isl', 'osl'] as const) {
      if (!Number.isInteger(props.sla[k])) problems.push(`sla.${k}: a token count is a whole number, got ${props.sla[k]}`);
    }
    const runtime = RUNTIMES[props.backend].image;
    const profiler = props.profilerImage ?? runtime;
    const workers = props.workersImage ?? runtime;

    const config: JsonObject = {
      sweep: { useAiConfigurator: props.useAiConfigurator ?? false },
      sla: { isl: props.sla.isl, osl: props.sla.osl, ttft: props.sla.ttftMs, itl: props.sla.itlMs },
      ...(JSON.parse(JSON.stringify(props.config ?? {})) as JsonObject),
    };
    new JsonApiObject(this, 'Resource', {
      apiVersion: DGD_API_VERSION,
      kind: 'DynamoGraphDeploymentRequest',
      metadata: { name: this.name, namespace: this.namespace, labels: { 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': MANAGED_BY } },
      spec: {
        model: props.model,
        backend: props.backend,
        autoApply: props.autoApply ?? false,
        enableGpuDiscovery: props.enableGpuDiscovery ?? false,
        profilingConfig: {
          profilerImage: imageString(profiler),
          config,
          ...(props.tolerations?.length && { tolerations: props.tolerations.map((t) => ({ ...t })) }),
        },
        deploymentOverrides: { workersImage: imageString(workers), ...(props.deploymentName && { name: props.deploymentName }) },
      },
    });
  }
}
