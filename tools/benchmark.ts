/**
 * `dynamo-iac benchmark-resources`: what the seeds prepare before benchmarking, for a target: a results/model claim
 * (50Gi by default, the target's model storage class) and the access pod, as YAML to pipe into `kubectl apply -f -`.
 * The Hugging Face token Secret is never part of it: it is created from the environment by the documented
 * `kubectl create secret` command.
 */
import { App, Chart, Yaml } from '../constructs/k8s/common/cdk8s.cjs';
import { applyImagePolicy } from '../constructs/k8s/common/images.js';
import { ModelCache } from '../constructs/k8s/graph/model-cache.js';
import { cloudProfile } from '../spec/profile/index.js';
import type { Spec } from '../spec/schema.js';

export interface BenchmarkOptions {
  /** @default '50Gi' */
  readonly size?: string;
  /** @default 'benchmark-cache' */
  readonly claimName?: string;
}

export function benchmarkResources(spec: Spec, o: BenchmarkOptions = {}): string {
  const app = new App();
  const chart = new Chart(app, 'benchmark', { namespace: spec.workloads.namespace, disableResourceNameHashes: true });
  const model = cloudProfile(spec).storage.modelCache;
  new ModelCache(chart, 'cache', {
    claimName: o.claimName ?? 'benchmark-cache',
    namespace: spec.workloads.namespace,
    size: o.size ?? '50Gi',
    ...(model ? { storageClassName: model.name, accessMode: model.accessMode } : { accessMode: 'ReadWriteOnce' }),
  });
  const images = spec.platform.images;
  applyImagePolicy(chart, { ...(images.registry && { registry: images.registry }), pullSecrets: images.pullSecrets });
  return Yaml.stringify(...chart.toJson());
}

/** The documented command that creates the token Secret from the environment (printed, never run with a value). */
export const hfTokenCommand = (spec: Spec): string =>
  `kubectl -n ${spec.workloads.namespace} create secret generic ${spec.workloads.hfTokenSecret ?? 'hf-token-secret'} --from-literal=HF_TOKEN="$HF_TOKEN" --dry-run=client -o yaml | kubectl apply -f -`;
