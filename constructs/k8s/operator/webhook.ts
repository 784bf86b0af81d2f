/**
 * The operator's admission webhooks, served on 9443 behind a Service on 443, with the serving certificate issued by
 * cert-manager (a self-signed Issuer) and the CA bundle injected by cert-manager's cainjector.
 *
 * Webhook names, paths and operations are upstream's (Dynamo 0.9.0 platform chart). Upstream's alternative to
 * cert-manager is a Helm hook Job running `bitnami/kubectl:latest`, an unpinned image: we do not offer it.
 */
import { JsonApiObject } from '../common/json-api-object.js';
import { IntOrString, KubeMutatingWebhookConfiguration, KubeService, KubeValidatingWebhookConfiguration } from '../common/kube.cjs';
import type { LabelSelector } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';

export const WEBHOOK_PORT = 9443;
export const WEBHOOK_CERT_SECRET = 'webhook-server-cert';
export const WEBHOOK_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';

const VALIDATED = [
  ['vdynamocomponentdeployment.kb.io', 'dynamocomponentdeployment', 'dynamocomponentdeployments'],
  ['vdynamographdeployment.kb.io', 'dynamographdeployment', 'dynamographdeployments'],
  ['vdynamomodel.kb.io', 'dynamomodel', 'dynamomodels'],
  ['vdynamographdeploymentrequest.kb.io', 'dynamographdeploymentrequest', 'dynamographdeploymentrequests'],
] as const;

export interface OperatorWebhookProps {
  /** Prefix of the webhook objects (the operator's full name). */
  readonly name: string;
  readonly namespace: string;
  /** Pod labels of the operator. */
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  /** @default 'Fail' */
  readonly failurePolicy?: 'Fail' | 'Ignore';
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** Restrict the webhooks to these namespaces. @default - every namespace */
  readonly namespaces?: readonly string[];
}

export class OperatorWebhook extends Construct {
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: OperatorWebhookProps) {
    super(scope, id);
    const { name, namespace, labels } = props;
    this.serviceName = `${name}-webhook-service`;
    const meta = (n: string, extra: Record<string, unknown> = {}) => ({ name: n, namespace, labels, ...extra });

    new KubeService(this, 'Service', {
      metadata: meta(this.serviceName),
      spec: { selector: props.selector, ports: [{ name: 'webhook', port: 443, targetPort: IntOrString.fromString('webhook-server') }] },
    });

    const issuer = new JsonApiObject(this, 'Issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: meta(`${name}-selfsigned-issuer`),
      spec: { selfSigned: {} },
    });
    const certName = `${name}-serving-cert`;
    new JsonApiObject(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(certName),
      spec: {
        secretName: WEBHOOK_CERT_SECRET,
        dnsNames: [`${this.serviceName}.${namespace}.svc`, `${this.serviceName}.${namespace}.svc.cluster.local`],
        duration: '8760h',
        renewBefore: '360h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: { name: issuer.name, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });

    const annotations = { 'cert-manager.io/inject-ca-from': `${namespace}/${certName}` };
    const namespaceSelector: LabelSelector | undefined = props.namespaces?.length
      ? { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...props.namespaces].sort() }] }
      : undefined;
    const common = (path: string) => ({
      admissionReviewVersions: ['v1'],
      clientConfig: { service: { name: this.serviceName, namespace, path, port: 443 } },
      failurePolicy: props.failurePolicy ?? 'Fail',
      sideEffects: 'None',
      timeoutSeconds: props.timeoutSeconds ?? 10,
      ...(namespaceSelector && { namespaceSelector }),
    });
    const suffix = props.namespaces?.length ? `-${namespace}` : '';
    new KubeValidatingWebhookConfiguration(this, 'Validating', {
      metadata: { name: `${name}-validating${suffix}`, labels, annotations },
      webhooks: VALIDATED.map(([webhook, kind, plural]) => ({
        name: webhook,
        ...common(`/validate-nvidia-com-v1alpha1-${kind}`),
        rules: [{ apiGroups: ['nvidia.com'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: [plural] }],
      })),
    });
    new KubeMutatingWebhookConfiguration(this, 'Mutating', {
      metadata: { name: `${name}-mutating${suffix}`, labels, annotations },
      webhooks: [
        {
          name: 'mdynamographdeployment.kb.io',
          ...common('/mutate-nvidia-com-v1alpha1-dynamographdeployment'),
          rules: [{ apiGroups: ['nvidia.com'], apiVersions: ['v1alpha1'], operations: ['CREATE'], resources: ['dynamographdeployments'] }],
        },
      ],
    });
  }
}
