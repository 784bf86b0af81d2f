/**
 * The frontends a spec puts behind a load balancer, with the client ranges and ports each admits: the one place the
 * Kubernetes objects (FrontendExposure) and the cloud network (the AKS node subnet's security group) read them from.
 */
import { frontendClientCidrs, LOAD_BALANCER_PORT } from '../constructs/k8s/graph/frontend-exposure.js';
import type { ExposureSpec } from '../spec/exposure.js';
import type { Spec } from '../spec/schema.js';

export interface ExposedFrontend {
  /** The graph (DynamoGraphDeployment) name. */
  readonly graph: string;
  readonly expose: ExposureSpec;
  /** The cluster network's ranges (none on local clusters). */
  readonly networkCidrs: readonly string[];
  /** The client ranges the load balancer admits. */
  readonly clientCidrs: readonly string[];
  /** The TCP load balancer's listening port (a `LoadBalancer` Service's `port`). */
  readonly port: number;
}

/** Each enabled graph exposed through a load balancer, by graph name. */
export function exposedFrontends(spec: Spec): ExposedFrontend[] {
  const networkCidrs = spec.target === 'local' ? [] : [spec.cluster.network.cidr];
  return Object.entries(spec.graphs)
    .filter(([, g]) => g.enabled && g.expose.mode === 'load-balancer')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([graph, g]) => ({ graph, expose: g.expose, networkCidrs, clientCidrs: frontendClientCidrs(g.expose.sourceCidrs, networkCidrs), port: LOAD_BALANCER_PORT }));
}
