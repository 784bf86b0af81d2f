import type { CloudSpec } from '../spec/schema.js';

/** Outputs every cloud stack exports, named alike so the deploy path reads them the same way on each cloud. */
export function clusterOutputs(spec: CloudSpec, output: (id: string, value: string) => void): void {
  output('cluster_name', spec.cluster.name);
  output('region', spec.cluster.region);
  output('kubernetes_version', spec.cluster.kubernetesVersion);
}
