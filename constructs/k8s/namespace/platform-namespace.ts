/**
 * PlatformNamespace: the namespace of the platform, with Pod Security Standard labels (enforced, audited and warned
 * at the same level) and, by default, a NetworkPolicy that denies all ingress to its pods; each component then
 * admits exactly its own peers.
 */
import { KubeNamespace, KubeNetworkPolicy } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { omitNamespaceOfClusterScoped } from '../common/cluster-scoped.js';
import { MANAGED_BY } from '../common/labels.js';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface PlatformNamespaceProps {
  /** @default 'dynamo-system' */
  readonly name?: string;
  /** Pod Security Standard enforced on the namespace. @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** Deny every ingress not admitted by another policy. @default true */
  readonly defaultDenyIngress?: boolean;
  /** Level audited and warned about, when stricter than the enforced one. @default - the enforced level */
  readonly auditLevel?: PodSecurityLevel;
  /** Extra namespace labels. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

export class PlatformNamespace extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'dynamo-system';
    const level = props.podSecurity ?? 'restricted';
    const audit = props.auditLevel ?? level;
    new KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...props.labels,
          'app.kubernetes.io/managed-by': MANAGED_BY,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': audit,
          'pod-security.kubernetes.io/warn': audit,
        },
      },
    });
    if (props.defaultDenyIngress !== false) {
      new KubeNetworkPolicy(this, 'DefaultDenyIngress', {
        metadata: { name: 'default-deny-ingress', namespace: this.name, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      });
    }
    omitNamespaceOfClusterScoped(this);
  }
}
