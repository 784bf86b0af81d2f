/**
 * Exposure of the frontends: private by default, the cloud's own load balancer per target, internet-facing only
 * when the spec says so (with client ranges, and HTTPS on EKS), the ALB's backend is the operator's frontend
 * Service on the HTTP port, and the namespace's default deny lets exactly the load balancer's traffic through.
 */
import { describe, expect, it } from 'vitest';
import { ALB_SSL_POLICY } from '../../../../constructs/k8s/graph/frontend-exposure.js';
import { FRONTEND_HTTP_PORT } from '../../../../constructs/k8s/graph/health.js';
import { CLOUD_TARGETS, TARGETS } from '../../../../spec/schema.js';
import { hasReference } from '../../../support/env.js';
import { isCoreKind, validateCore } from '../../../support/kube-validate.js';
import { byKind, type KubeObject, problemsOf, specsFrom, synthSpec } from '../../../support/synth.js';

type Ingress = KubeObject & { spec: { ingressClassName: string; rules: { http: { paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[] } }[] } };
type Service = KubeObject & { spec: { type: string; externalTrafficPolicy?: string; loadBalancerSourceRanges?: string[]; ports: { port: number; targetPort: number }[]; selector: Record<string, string> } };
type Policy = KubeObject & { spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { ipBlock: { cidr: string } }[]; ports: { port: number }[] }[] } };

const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const VARIANT = `
graphs:
  open: { example: vllm-agg, expose: { mode: load-balancer, scheme: internet-facing, sourceCidrs: [203.0.113.0/24], allowPlainHttp: true } }
  quiet: { example: sglang-agg }
targets:
  eks:
    graphs:
      open: { expose: { certificateArn: "${CERT}", idleTimeoutSeconds: 1200, allowPlainHttp: false } }
  local:
    graphs:
      open: { expose: { scheme: internal, allowPlainHttp: false } }
`;

describe('frontend exposure', () => {
  const defaults = specsFrom();
  const variant = specsFrom(VARIANT);

  it('every frontend Ingress on eks is internal unless the spec says otherwise, and targets the frontend\'s HTTP port', () => {
    for (const specs of [defaults, variant]) {
      const objs = synthSpec(specs.eks).objects;
      const ingresses = byKind(objs, 'Ingress') as Ingress[];
      expect(ingresses.length).toBeGreaterThan(0);
      for (const ing of ingresses) {
        const graph = ing.metadata.labels!['app.kubernetes.io/instance']!;
        const expose = specs.eks.graphs[graph]!.expose;
        expect(ing.metadata.annotations!['alb.ingress.kubernetes.io/scheme']).toBe(expose.scheme);
        expect(ing.spec.ingressClassName).toBe('alb');
        expect(ing.metadata.annotations!['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/health');
        const backends = ing.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service));
        expect(backends).toEqual([{ name: `${graph}-frontend`, port: { number: FRONTEND_HTTP_PORT } }]);
      }
    }
    // The defaults expose one graph, internally, to the VPC only.
    const [agg] = byKind(synthSpec(defaults.eks).objects, 'Ingress') as Ingress[];
    expect(agg!.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/scheme': 'internal', 'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/16', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' });
  });

  it('an internet-facing ALB serves HTTPS only, with the certificate, a TLS 1.3 policy and the allowed client ranges', () => {
    const ing = byKind(synthSpec(variant.eks).objects, 'Ingress', 'open-frontend')[0] as Ingress;
    expect(ing.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/certificate-arn': CERT,
      'alb.ingress.kubernetes.io/ssl-policy': ALB_SSL_POLICY,
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24',
      'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=1200',
    });
    // The ALB forwards from its own addresses in the VPC: the pods admit the VPC, the ALB's security group the clients.
    const policy = byKind(synthSpec(variant.eks).objects, 'NetworkPolicy', 'open-frontend-from-load-balancer')[0] as Policy;
    expect(policy.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: FRONTEND_HTTP_PORT, protocol: 'TCP' }] }]);
  });

  it.each([
    ['aks', 'service.beta.kubernetes.io/azure-load-balancer-internal', 'true'],
    ['gke', 'networking.gke.io/load-balancer-type', 'Internal'],
  ] as const)('%s: an internal LoadBalancer Service by default, the public one only when asked, client addresses preserved', (target, key, value) => {
    const internal = byKind(synthSpec(defaults[target]).objects, 'Service', 'vllm-agg-frontend-lb')[0] as Service;
    // AKS also carries the TCP idle timeout (600 s = 10 minutes); GKE's passthrough load balancer has none.
    expect(internal.metadata.annotations).toEqual({ [key]: value, ...(target === 'aks' && { 'service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout': '10' }) });
    expect(internal.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.0.0/16'], ports: [{ port: 80, targetPort: FRONTEND_HTTP_PORT }] });
    expect(internal.spec.selector).toEqual({ 'dynamo-iac.io/app': 'dynamo-graph', 'dynamo-iac.io/graph': 'vllm-agg', 'dynamo-iac.io/component': 'frontend' });
    expect(byKind(synthSpec(defaults[target]).objects, 'Ingress')).toEqual([]);

    const objs = synthSpec(variant[target]).objects;
    const open = byKind(objs, 'Service', 'open-frontend-lb')[0] as Service;
    expect(Object.keys(open.metadata.annotations ?? {})).not.toContain(key);
    expect(open.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    const policy = byKind(objs, 'NetworkPolicy', 'open-frontend-from-load-balancer')[0] as Policy;
    expect(policy.spec.ingress[0]!.from).toEqual([{ ipBlock: { cidr: '203.0.113.0/24' } }]);
    expect(policy.spec.podSelector.matchLabels['dynamo-iac.io/graph']).toBe('open');
  });

  it('graphs without exposure keep only the operator\'s ClusterIP Service, on every target', () => {
    for (const t of TARGETS) {
      const objs = synthSpec(variant[t]).objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/instance'] === 'quiet');
      expect(objs.filter((o) => ['Ingress', 'Service'].includes(o.kind) || o.metadata.name.includes('load-balancer'))).toEqual([]);
    }
    expect(byKind(synthSpec(defaults.local).objects, 'Service').filter((o) => (o as Service).spec.type === 'LoadBalancer')).toEqual([]);
  });

  it('a local cluster gets a plain LoadBalancer Service without cloud annotations', () => {
    const svc = byKind(synthSpec(variant.local).objects, 'Service', 'open-frontend-lb')[0] as Service;
    expect(svc.metadata.annotations ?? {}).toEqual({});
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
  });

  it.skipIf(!hasReference())('every Ingress, Service and NetworkPolicy validates against the Kubernetes schemas', async () => {
    for (const t of TARGETS) {
      for (const specs of [defaults, variant]) {
        const objs = synthSpec(specs[t]).objects.filter((o) => ['Ingress', 'Service', 'NetworkPolicy'].includes(o.kind));
        for (const o of objs) expect(isCoreKind(o.apiVersion) && (await validateCore(o))).toEqual([]);
      }
    }
  });

  it.each([
    ['internet-facing without client ranges', 'graphs: { g: { example: vllm-agg, expose: { mode: load-balancer, scheme: internet-facing } } }', 'graphs.g.expose.sourceCidrs: an internet-facing frontend needs the client ranges allowed to reach it (write 0.0.0.0/0 to open it to everyone)'],
    ['an internet-facing ALB without a certificate', 'targets: { eks: { graphs: { g: { example: vllm-agg, expose: { mode: load-balancer, scheme: internet-facing, sourceCidrs: [0.0.0.0/0] } } } } }', 'graphs.g.expose.certificateArn: an internet-facing ALB must serve HTTPS (prompts and completions would cross the internet in clear text): set an ACM certificate ARN'],
    ['an ACM certificate on AKS', `targets: { aks: { graphs: { g: { example: vllm-agg, expose: { mode: load-balancer, certificateArn: "${CERT}" } } } } }`, 'targets.aks.graphs.g.expose.certificateArn: an ACM certificate terminates TLS on an AWS ALB; target aks uses a TCP load balancer: terminate TLS in front of it'],
    ['plain HTTP to the internet on GKE', 'targets: { gke: { graphs: { g: { example: vllm-agg, expose: { mode: load-balancer, scheme: internet-facing, sourceCidrs: [0.0.0.0/0] } } } } }', 'graphs.g.expose.allowPlainHttp: an internet-facing TCP load balancer on gke serves plain HTTP (prompts and completions in clear text): put TLS in front and set allowPlainHttp: true, or keep it internal'],
    ['options without a load balancer', 'graphs: { g: { example: vllm-agg, expose: { sourceCidrs: [10.1.0.0/16] } } }', 'graphs.g.expose.mode: scheme, sourceCidrs, certificateArn and allowPlainHttp need mode: load-balancer'],
  ])('rejects %s', (_, text, expected) => {
    expect(problemsOf(text).some((p) => p.startsWith(expected))).toBe(true);
  });

  it('the cloud targets all expose the default aggregated graph privately', () => {
    for (const t of CLOUD_TARGETS) expect(defaults[t].graphs['vllm-agg']!.expose).toMatchObject({ mode: 'load-balancer', scheme: 'internal' });
    expect(defaults.local.graphs['vllm-agg']!.expose.mode).toBe('none');
  });
});
