/**
 * How a graph's frontend is reached from outside the cluster. Private by default: `none` keeps the operator's
 * ClusterIP Service (reach it with `kubectl port-forward`); `load-balancer` puts the cloud's own load balancer in
 * front of it, internal unless the spec says `internet-facing`:
 *
 * | target | what we emit                                                                                   |
 * |--------|------------------------------------------------------------------------------------------------|
 * | eks    | an `alb` Ingress (AWS Load Balancer Controller, installed by the deploy path), health check `/health`, HTTPS from an ACM certificate |
 * | aks    | a `LoadBalancer` Service on the Azure Standard Load Balancer (`azure-load-balancer-internal`)   |
 * | gke    | a `LoadBalancer` Service on a passthrough Network Load Balancer (`networking.gke.io/load-balancer-type: Internal`) |
 * | local  | a plain `LoadBalancer` Service (MetalLB, kind's cloud provider, ...)                             |
 *
 * Upstream's DGD `services.<name>.ingress` field is not used: the operator always writes a host rule
 * (`<host>.<suffix>`, suffix `local` by default), so an ALB reached by its own DNS name would never match, and it
 * cannot express a `LoadBalancer` Service with the AKS and GKE internal annotations. Our own objects are validated
 * offline against the Kubernetes schemas like everything else we emit.
 */
import { z } from './zod.cjs';
import { cidr } from './fields.js';

export const EXPOSURE_MODES = ['none', 'load-balancer'] as const;
export const EXPOSURE_SCHEMES = ['internal', 'internet-facing'] as const;


export const exposureSchema = z
  .strictObject({
    mode: z.enum(EXPOSURE_MODES).default('none').describe('`none`: ClusterIP only (port-forward). `load-balancer`: the cloud\'s load balancer in front of the frontend (see the exposure table).'),
    scheme: z.enum(EXPOSURE_SCHEMES).default('internal').describe('`internal`: reachable from the cluster\'s network only. `internet-facing` needs `sourceCidrs` (and on EKS a `certificateArn`).'),
    sourceCidrs: z.array(cidr).default([]).describe('Client ranges allowed through the load balancer and the NetworkPolicy. @default - the cluster network (`cluster.network.cidr`)'),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f-]+$/, { message: 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)' })
      .optional()
      .describe('EKS: ACM certificate of an HTTPS listener (443, TLS 1.3 policy); without it the ALB listens on HTTP 80.'),
    idleTimeoutSeconds: z.number().int().min(60).max(4000).default(600).describe('Idle timeout, so that long generations are not cut: the ALB attribute on EKS, the TCP idle timeout in minutes on AKS (GKE\'s passthrough load balancer has none).'),
    allowPlainHttp: z.boolean().default(false).describe('Accept an internet-facing frontend without TLS on AKS and GKE (e.g. TLS terminated by a proxy in front). Off: refused.'),
  })
  .default({ mode: 'none', scheme: 'internal', sourceCidrs: [], idleTimeoutSeconds: 600, allowPlainHttp: false })
  .describe('Exposure of the frontend outside the cluster; private by default.');

export type ExposureSpec = z.output<typeof exposureSchema>;

/** Problems of a graph's exposure on a target: each names the field (relative to the graph) and the rule. */
export function exposureProblems(e: ExposureSpec, target: string): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (e.mode === 'none') {
    if (e.scheme !== 'internal' || e.sourceCidrs.length || e.certificateArn || e.allowPlainHttp) {
      out.push({ path: ['expose', 'mode'], message: 'scheme, sourceCidrs, certificateArn and allowPlainHttp need mode: load-balancer' });
    }
    return out;
  }
  if (e.scheme === 'internet-facing' && e.sourceCidrs.length === 0) {
    out.push({ path: ['expose', 'sourceCidrs'], message: 'an internet-facing frontend needs the client ranges allowed to reach it (write 0.0.0.0/0 to open it to everyone)' });
  }
  if (e.certificateArn && target !== 'eks') {
    out.push({ path: ['expose', 'certificateArn'], message: `an ACM certificate terminates TLS on an AWS ALB; target ${target} uses a TCP load balancer: terminate TLS in front of it` });
  }
  if (target === 'eks' && e.scheme === 'internet-facing' && !e.certificateArn) {
    out.push({ path: ['expose', 'certificateArn'], message: 'an internet-facing ALB must serve HTTPS (prompts and completions would cross the internet in clear text): set an ACM certificate ARN' });
  }
  if ((target === 'aks' || target === 'gke') && e.scheme === 'internet-facing' && !e.allowPlainHttp) {
    out.push({ path: ['expose', 'allowPlainHttp'], message: `an internet-facing TCP load balancer on ${target} serves plain HTTP (prompts and completions in clear text): put TLS in front and set allowPlainHttp: true, or keep it internal` });
  }
  if (target === 'local' && e.scheme === 'internet-facing') {
    out.push({ path: ['expose', 'scheme'], message: 'on local clusters the load balancer is whatever the cluster provides; internet-facing applies to the cloud targets only' });
  }
  return out;
}
