/**
 * The Kubernetes API classes and JSON converters of the Kubernetes layer (cdk8s-plus-28's generated imports/k8s.js,
 * 2.7 MB).
 *
 * CommonJS (.cts) on purpose, as every facade of a CommonJS package here: Node then loads the package with require.
 * Imported from an ES module instead, each of its files would first go through Node's module syntax detection and
 * export lexer, which costs more CPU than loading it (README, "Benchmark"). Types are `import type` from the package,
 * erased at run time; test/stacks/imports.test.ts holds the rule.
 */
export {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeConfigMap,
  KubeCronJob,
  KubeDeployment,
  KubeIngress,
  KubeJob,
  KubeMutatingWebhookConfiguration,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePersistentVolumeClaim,
  KubePod,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  KubeService,
  KubeServiceAccount,
  KubeStatefulSet,
  KubeStorageClass,
  KubeValidatingWebhookConfiguration,
  Quantity,
  toJson_Container,
  toJson_EnvVar,
  toJson_PodSpec,
} from 'cdk8s-plus-28/lib/imports/k8s.js';
export { KubeDaemonSet } from 'cdk8s-plus-28/lib/imports/k8s.js';
export { KubeResourceQuota } from 'cdk8s-plus-28/lib/imports/k8s.js';
