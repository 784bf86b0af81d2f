/**
 * FrontendExposure: a graph's frontend behind the cloud's load balancer, internal unless told otherwise, plus the
 * NetworkPolicy that admits the load balancer's traffic through the namespace's default deny.
 *
 * - `aws-alb`: an Ingress of class `alb` for the AWS Load Balancer Controller, targeting pod IPs, health-checked on
 *   `/health`, with `inbound-cidrs` on its security group and HTTPS when a certificate is given. Its backend is
 *   the Service the Dynamo operator creates for the frontend (`<graph>-frontend`, port 8000).
 * - `azure-lb`, `gcp-lb`, `plain-lb`: a `LoadBalancer` Service of our own selecting the frontend pods, with the
 *   cloud's internal annotation, `loadBalancerSourceRanges`, and `externalTrafficPolicy: Local` (client addresses
 *   are preserved, so the source ranges and the NetworkPolicy see the real client).
 *
 * Up to two objects per exposed graph: plain JSON (JsonApiObject), the manifests the Kube* classes would write.
 */
import { KubeIngress, KubeNetworkPolicy, KubeService } from '../common/kube.cjs';
import { JsonApiObject } from '../common/json-api-object.js';
import { Construct } from 'constructs';
import { FRONTEND_HTTP_PORT } from './health.js';
import { graphObjectLabels, graphPodSelector } from './pod-labels.js';

export type LoadBalancerFlavor = 'aws-alb' | 'azure-lb' | 'gcp-lb' | 'plain-lb';

export interface FrontendExposureProps {
  /** The graph (DynamoGraphDeployment) name. */
  readonly graph: string;
  readonly namespace: string;
  readonly flavor: LoadBalancerFlavor;
  /** @default 'internal' */
  readonly scheme?: 'internal' | 'internet-facing';
  /** Client ranges allowed through the load balancer. @default - `networkCidrs` */
  readonly sourceCidrs?: readonly string[];
  /** The cluster network's ranges: where an ALB's own addresses come from, and the default client range. @default - none (any source) */
  readonly networkCidrs?: readonly string[];
  /** `aws-alb`: ACM certificate ARN; the ALB then listens on HTTPS 443 only. */
  readonly certificateArn?: string;
  /** Idle timeout in seconds: the ALB attribute, or the Azure load balancer's TCP idle timeout (whole minutes, 4-100). @default 600 */
  readonly idleTimeoutSeconds?: number;
  /** Emit the NetworkPolicy (when the namespace denies ingress by default). @default true */
  readonly networkPolicy?: boolean;
}

/** The Service the Dynamo operator creates for a graph's frontend (`<graph>-<service name, lower case>`). */
export const operatorFrontendService = (graph: string): string => `${graph}-frontend`;
/** The port the load balancers listen on (HTTPS 443 on an ALB with a certificate). */
export const LOAD_BALANCER_PORT = 80;
/** TLS policy of HTTPS listeners: TLS 1.3 with 1.2 fallback. */
export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const ANY = ['0.0.0.0/0'];

/** The client ranges a load balancer admits: the given ones, else the cluster network's, else any address. */
export const frontendClientCidrs = (sourceCidrs: readonly string[] | undefined, networkCidrs: readonly string[] | undefined): readonly string[] =>
  sourceCidrs?.length ? sourceCidrs : networkCidrs?.length ? networkCidrs : ANY;

export class FrontendExposure extends Construct {
  /** Name of the Ingress or Service. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: FrontendExposureProps) {
    super(scope, id);
    const scheme = props.scheme ?? 'internal';
    const network = props.networkCidrs?.length ? props.networkCidrs : ANY;
    const clients = frontendClientCidrs(props.sourceCidrs, props.networkCidrs);
    const labels = graphObjectLabels(props.graph);
    const frontendPods = graphPodSelector({ graph: props.graph, component: 'frontend' });
    const backendPort = { port: FRONTEND_HTTP_PORT, protocol: 'TCP' };

    if (props.flavor === 'aws-alb') {
      this.name = operatorFrontendService(props.graph);
      const tls = props.certificateArn !== undefined;
      new JsonApiObject(this, 'Ingress', {
        ...KubeIngress.GVK,
        metadata: {
          name: this.name,
          namespace: props.namespace,
          labels,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': scheme,
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/healthcheck-path': '/health',
            'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
            'alb.ingress.kubernetes.io/success-codes': '200',
            'alb.ingress.kubernetes.io/inbound-cidrs': clients.join(','),
            'alb.ingress.kubernetes.io/listen-ports': JSON.stringify([tls ? { HTTPS: 443 } : { HTTP: LOAD_BALANCER_PORT }]),
            'alb.ingress.kubernetes.io/load-balancer-attributes': `idle_timeout.timeout_seconds=${props.idleTimeoutSeconds ?? 600}`,
            ...(tls && { 'alb.ingress.kubernetes.io/certificate-arn': props.certificateArn!, 'alb.ingress.kubernetes.io/ssl-policy': ALB_SSL_POLICY }),
          },
        },
        spec: {
          ingressClassName: 'alb',
          rules: [
            {
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: operatorFrontendService(props.graph), port: { number: FRONTEND_HTTP_PORT } } } }],
              },
            },
          ],
        },
      });
    } else {
      this.name = `${props.graph}-frontend-lb`;
      const internal: Record<LoadBalancerFlavor, Record<string, string>> = {
        'aws-alb': {},
        'azure-lb': { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
        'gcp-lb': { 'networking.gke.io/load-balancer-type': 'Internal' },
        'plain-lb': {},
      };
      const idle: Record<string, string> = props.flavor === 'azure-lb' ? { 'service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout': String(Math.min(100, Math.max(4, Math.ceil((props.idleTimeoutSeconds ?? 600) / 60)))) } : {};
      new JsonApiObject(this, 'Service', {
        ...KubeService.GVK,
        metadata: { name: this.name, namespace: props.namespace, labels, annotations: { ...(scheme === 'internal' ? internal[props.flavor] : {}), ...idle } },
        spec: {
          type: 'LoadBalancer',
          selector: frontendPods,
          ports: [{ name: 'http', port: LOAD_BALANCER_PORT, targetPort: FRONTEND_HTTP_PORT, protocol: 'TCP' }],
          externalTrafficPolicy: 'Local',
          ...(props.sourceCidrs?.length || props.networkCidrs?.length ? { loadBalancerSourceRanges: [...clients] } : {}),
        },
      });
    }

    if (props.networkPolicy ?? true) {
      // An ALB forwards from its own addresses inside the VPC; the TCP load balancers keep the client's address.
      const from = props.flavor === 'aws-alb' ? network : clients;
      new JsonApiObject(this, 'Policy', {
        ...KubeNetworkPolicy.GVK,
        metadata: { name: `${props.graph}-frontend-from-load-balancer`, namespace: props.namespace, labels },
        spec: {
          podSelector: { matchLabels: frontendPods },
          policyTypes: ['Ingress'],
          ingress: [{ from: from.map((c) => ({ ipBlock: { cidr: c } })), ports: [backendPort] }],
        },
      });
    }
  }
}
