/**
 * Private images: references move to the mirror registry with the same repository path and tag; with an override,
 * no container of any target points anywhere else and no source reference of the version matrix is left in any
 * file; pull Secrets are referenced by every pod; the copy list covers every image we emit.
 */
import { describe, expect, it } from 'vitest';
import { parseImage, rewriteImage } from '../../../../constructs/k8s/common/images.js';
import { matrixImages, mirrorList } from '../../../../spec/images.js';
import { TARGETS } from '../../../../spec/schema.js';
import { problemsOf, specsFrom, synthSpec } from '../../../support/synth.js';

const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com/mirror';
const SPEC = `
platform: { images: { registry: "${REGISTRY}", pullSecrets: [mirror-pull] } }
graphs:
  sg: { example: sglang-disagg }
  trt: { example: trtllm-agg }
`;

/** Every container anywhere in an object: pod templates, Pods, CronJobs and the DGD services' main containers. */
function containers(v: unknown, out: { image?: unknown }[] = []): { image?: unknown }[] {
  if (Array.isArray(v)) v.forEach((x) => containers(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(x)) out.push(...(x as { image?: unknown }[]));
      if (k === 'mainContainer') out.push(x as { image?: unknown });
      containers(x, out);
    }
  }
  return out;
}
/** Pod specs: every object holding `containers`. */
function podSpecs(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(v)) v.forEach((x) => podSpecs(x, out));
  else if (v && typeof v === 'object') {
    if (Array.isArray((v as Record<string, unknown>)['containers'])) out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) podSpecs(x, out);
  }
  return out;
}

describe('image references', () => {
  it.each([
    ['nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.9.0', 'r.example/nvidia/ai-dynamo/vllm-runtime:0.9.0'],
    ['nats:2.10.21-alpine', 'r.example/library/nats:2.10.21-alpine'],
    ['natsio/prometheus-nats-exporter:0.16.0', 'r.example/natsio/prometheus-nats-exporter:0.16.0'],
    ['gcr.io/etcd-development/etcd:v3.5.21', 'r.example/etcd-development/etcd:v3.5.21'],
    ['localhost:5000/team/app@sha256:abc', 'r.example/team/app@sha256:abc'],
    ['registry.local:5000/app:1', 'r.example/app:1'],
  ])('%s -> %s', (from, to) => {
    expect(rewriteImage(from, 'r.example/')).toBe(to);
  });

  it('is idempotent: an image already in the registry stays', () => {
    const once = rewriteImage('nats:2.10.21-alpine', 'r.example/mirror');
    expect(rewriteImage(once, 'r.example/mirror')).toBe(once);
  });

  it('parses host, path and tag', () => {
    expect(parseImage('python:3.12')).toEqual({ host: 'docker.io', path: 'library/python', suffix: ':3.12' });
    expect(parseImage('nvcr.io/nvidia/cuda:12.8.1-base-ubuntu24.04')).toEqual({ host: 'nvcr.io', path: 'nvidia/cuda', suffix: ':12.8.1-base-ubuntu24.04' });
  });

  it('rejects a registry that is not a host with a path', () => {
    expect(problemsOf('platform: { images: { registry: "https://r.example" } }')[0]).toMatch(/^platform\.images\.registry: must be a registry host with an optional path/);
  });
});

describe('with a registry override', () => {
  const specs = specsFrom(SPEC);
  it.each(TARGETS)('no container of %s points anywhere else, and no source reference is left', (target) => {
    const { files, objects } = synthSpec(specs[target]);
    const found = objects.flatMap((o) => containers(o));
    expect(found.length).toBeGreaterThan(8);
    for (const c of found) expect(String(c.image)).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/`));
    const text = files.map((f) => f.content).join('\n');
    // A source reference as a whole value (the mirrored one ends with it, after the registry path).
    for (const { image } of matrixImages()) expect(text).not.toMatch(new RegExp(`(^|[\\s"'=])${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    // The DynamoGraphDeploymentRequest's profiler and worker images too.
    if (target !== 'local' || text.includes('DynamoGraphDeploymentRequest')) expect(text).toMatch(new RegExp(`profilerImage: ${REGISTRY.replace(/\./g, '\\.')}/`));
  });

  it.each(TARGETS)('every pod of %s references the pull Secret', (target) => {
    const { objects } = synthSpec(specs[target]);
    const pods = objects.flatMap((o) => podSpecs(o));
    expect(pods.length).toBeGreaterThan(3);
    for (const p of pods) expect(p['imagePullSecrets']).toEqual([{ name: 'mirror-pull' }]);
    // DGD services carry it in extraPodSpec (which holds mainContainer, not containers).
    const dgds = objects.filter((o) => o.kind === 'DynamoGraphDeployment') as unknown as { spec: { services: Record<string, { extraPodSpec: Record<string, unknown> }> } }[];
    for (const d of dgds) for (const s of Object.values(d.spec.services)) expect(s.extraPodSpec['imagePullSecrets']).toEqual([{ name: 'mirror-pull' }]);
  });

  it('without an override, the upstream references stay and no pull Secret is named', () => {
    const { files } = synthSpec(specsFrom().eks);
    const text = files.map((f) => f.content).join('\n');
    expect(text).toContain('image: nvcr.io/nvidia/ai-dynamo/kubernetes-operator:0.9.0');
    expect(text).not.toContain('imagePullSecrets');
  });

  it('the copy list covers every image any target emits', () => {
    // A digest-pinned image is copied by its digest (copy tools refuse tag and digest together) to its tag.
    const byDigest = (image: string) => image.replace(/:[^:/@]+@(sha256:)/, '@$1');
    for (const t of TARGETS) {
      const listed = mirrorList(REGISTRY, t);
      const { objects } = synthSpec(specsFrom(SPEC.replace(/registry: "[^"]+", /, ''))[t]);
      for (const c of objects.flatMap((o) => containers(o))) expect(listed.map((r) => r.source), `${t}: ${String(c.image)}`).toContain(byDigest(String(c.image)));
    }
    const dcgm = mirrorList(REGISTRY, 'gke').find((r) => r.source.includes('dcgm-exporter'))!;
    expect(dcgm.source).toMatch(/^nvcr\.io\/nvidia\/k8s\/dcgm-exporter@sha256:[0-9a-f]{64}$/);
    expect(dcgm.destination).toBe(`${REGISTRY}/nvidia/k8s/dcgm-exporter:4.4.2-4.7.0-distroless`);
    // Only the target that runs it copies it.
    expect(mirrorList(REGISTRY, 'eks').map((r) => r.source).filter((s) => s.includes('dcgm-exporter'))).toEqual([]);
    expect(mirrorList(REGISTRY).find((r) => r.source === 'nats:2.10.21-alpine')!.destination).toBe(`${REGISTRY}/library/nats:2.10.21-alpine`);
  });
});
