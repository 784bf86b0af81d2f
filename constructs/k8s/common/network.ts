/**
 * Who may talk to a platform component: the peers of a NetworkPolicy ingress rule, built from namespaces and
 * labels, never from IP blocks.
 */
import { IntOrString, KubeNetworkPolicy } from './kube.cjs';
import type { NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort, ObjectMeta } from 'cdk8s-plus-28/lib/imports/k8s.js';
import type { Construct } from 'constructs';

/** Label that admits a namespace's pods as platform clients (NATS 4222, etcd 2379). */
export const PLATFORM_CLIENT_LABEL = 'dynamo-iac.io/platform-client';

export interface ClientPeers {
  /** Namespaces whose pods are clients, by name. */
  readonly namespaces?: readonly string[];
  /** Also admit every namespace labelled `dynamo-iac.io/platform-client=true`. @default true */
  readonly labelledNamespaces?: boolean;
}

export function namespacesByName(names: readonly string[]): NetworkPolicyPeer[] {
  const sorted = [...new Set(names)].sort();
  return sorted.length ? [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: sorted }] } }] : [];
}

export function clientPeers(ownNamespace: string, c: ClientPeers): NetworkPolicyPeer[] {
  return [
    ...namespacesByName([ownNamespace, ...(c.namespaces ?? [])]),
    ...(c.labelledNamespaces === false ? [] : [{ namespaceSelector: { matchLabels: { [PLATFORM_CLIENT_LABEL]: 'true' } } }]),
  ];
}

export function podsOf(selector: Record<string, string>): NetworkPolicyPeer {
  return { podSelector: { matchLabels: { ...selector } } };
}

export const tcpPort = (port: number): NetworkPolicyPort[] => [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }];

/** An ingress-only NetworkPolicy for the selected pods: exactly these rules are admitted. */
export function addIngressPolicy(scope: Construct, metadata: ObjectMeta, selector: Record<string, string>, ingress: NetworkPolicyIngressRule[]): KubeNetworkPolicy {
  return new KubeNetworkPolicy(scope, 'Ingress', { metadata, spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress } });
}
