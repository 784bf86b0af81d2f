/**
 * NetworkPolicy of a workload namespace (with the namespace's default deny): the pods of the graphs talk to each
 * other freely (request plane, NIXL KV transfer, multinode rendezvous: ports the engines choose), the frontends
 * accept HTTP from the namespaces that call them, and monitoring scrapes the frontend, worker and planner ports.
 */
import type { NetworkPolicyPeer } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { KubeNetworkPolicy } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { MANAGED_BY } from '../common/labels.js';
import { namespacesByName, tcpPort } from '../common/network.js';
import { FRONTEND_HTTP_PORT, PLANNER_METRICS_PORT, WORKER_SYSTEM_PORT } from './health.js';
import { graphPodSelector } from './pod-labels.js';

export interface GraphNetworkPolicyProps {
  readonly namespace: string;
  /** Namespaces whose pods may call the frontends (HTTP 8000). @default - none besides the own namespace */
  readonly frontendClientNamespaces?: readonly string[];
  /** Namespaces allowed to scrape metrics (8000, 9090, 9085). @default - none */
  readonly monitoringNamespaces?: readonly string[];
}

export class GraphNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: GraphNetworkPolicyProps) {
    super(scope, id);
    const meta = (name: string) => ({ name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } });
    const sameNamespace: NetworkPolicyPeer = { podSelector: {} };
    new KubeNetworkPolicy(this, 'WithinNamespace', {
      metadata: meta('allow-within-namespace'),
      // Every pod of the namespace, also those of graphs the profiler creates (which carry none of our labels).
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [sameNamespace] }] },
    });
    const clients = namespacesByName(props.frontendClientNamespaces ?? []);
    if (clients.length) {
      new KubeNetworkPolicy(this, 'FrontendClients', {
        metadata: meta('graph-frontends-from-clients'),
        spec: {
          podSelector: { matchLabels: graphPodSelector({ component: 'frontend' }) },
          policyTypes: ['Ingress'],
          ingress: [{ from: clients, ports: tcpPort(FRONTEND_HTTP_PORT) }],
        },
      });
    }
    const monitoring = namespacesByName(props.monitoringNamespaces ?? []);
    if (monitoring.length) {
      new KubeNetworkPolicy(this, 'Monitoring', {
        metadata: meta('graph-metrics-from-monitoring'),
        spec: {
          podSelector: { matchLabels: graphPodSelector() },
          policyTypes: ['Ingress'],
          ingress: [{ from: monitoring, ports: [...tcpPort(FRONTEND_HTTP_PORT), ...tcpPort(WORKER_SYSTEM_PORT), ...tcpPort(PLANNER_METRICS_PORT)] }],
        },
      });
    }
  }
}
