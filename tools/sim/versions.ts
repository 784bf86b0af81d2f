/**
 * What the simulated cluster is built from: Go modules from the module proxy, pinned. The Kubernetes minor is the one
 * the cloud stacks pin (spec/versions.ts); a test keeps the two together. The cache key names every version, so a
 * new pin builds into a new directory and old binaries are never reused by mistake.
 */
export const SIM_VERSIONS = {
  /** k8s.io/kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler and kubectl. */
  kubernetes: 'v1.35.4',
  /** sigs.k8s.io/kwok: fake kubelets for the simulated nodes. */
  kwok: 'v0.8.0',
} as const;

/**
 * Components the issue asks for that the Go module proxy reachable here refuses (HTTP 403 "This module version is
 * not available" for every version, checked 2026-11-30). They are reported in every run, never replaced by fakes.
 */
export const REFUSED_MODULES: readonly { module: string; version: string; role: string }[] = [
  { module: 'github.com/ai-dynamo/dynamo/deploy/operator', version: '233a1e9ad0bf (0.9.0)', role: 'the Dynamo operator: reconciles DynamoGraphDeployments into pods' },
  { module: 'github.com/ai-dynamo/grove/operator', version: 'v0.1.0-alpha.6', role: 'Grove: PodCliqueSets into pods on the cloud targets' },
  { module: 'github.com/NVIDIA/KAI-scheduler', version: 'v0.9.4', role: 'KAI: gang scheduling of graph pods on the cloud targets' },
];

/**
 * The directory name of a build: one per set of versions and per content of our Go module (go.mod and go.sum: a
 * changed pin or replace builds anew).
 */
export const cacheKey = (goModule: string): string => `k8s-${SIM_VERSIONS.kubernetes}_kwok-${SIM_VERSIONS.kwok}_${goModule.slice(0, 12)}`;
