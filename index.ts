/**
 * dynamo-iac: NVIDIA Dynamo on GPU Kubernetes as code.
 *
 * The package root exports the spec, the cloud profile, the cdk8s construct library and the chart composition.
 * The cdktf stacks are not exported here, so importing the package never loads a cloud provider binding.
 */
export * from './spec/index.js';
export * from './constructs/k8s/index.js';
export { addPlatformCharts, controlPlanePlacement, PLATFORM_CHARTS, type PlatformCharts } from './charts/platform.js';
export { addWorkloadCharts, graphWorkers, WORKLOAD_CHARTS, type WorkloadCharts } from './charts/graphs.js';
export { applyTimeSecrets, platformPrerequisites, helmInstallCommand, type ApplyTimeSecret, type HelmPrerequisite } from './charts/prerequisites.js';
export { buildK8sApp, synthK8sTarget, validateApp, type SynthFile } from './charts/synth.js';
