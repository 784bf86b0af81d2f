/**
 * Image references and the mirror list: where each image of the version matrix comes from and where it goes when
 * `platform.images.registry` moves every image to a private registry (same repository path and tag).
 */
import type { Target } from './schema.js';
import { type ImageRef, imageString, VERSIONS } from './versions.js';

/** Docker Hub's implicit host and `library/` namespace, made explicit. */
const DOCKER_HUB = 'docker.io';

/** Splits an image reference into registry host, repository path and the tag or digest suffix (`:tag`, `@sha256:...`). */
export function parseImage(ref: string): { host: string; path: string; suffix: string } {
  const at = ref.indexOf('@');
  const beforeDigest = at >= 0 ? ref.slice(0, at) : ref;
  const lastSlash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.lastIndexOf(':');
  const tagStart = colon > lastSlash ? colon : -1;
  const name = tagStart >= 0 ? beforeDigest.slice(0, tagStart) : beforeDigest;
  const suffix = ref.slice(name.length);
  const [first, ...rest] = name.split('/');
  const hasHost = rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
  if (hasHost) return { host: first!, path: rest.join('/'), suffix };
  return { host: DOCKER_HUB, path: rest.length ? name : `library/${name}`, suffix };
}

/** The same image in another registry: `nvcr.io/nvidia/x:1` -> `<registry>/nvidia/x:1`, `nats:2` -> `<registry>/library/nats:2`. */
export function rewriteImage(ref: string, registry: string): string {
  const target = registry.replace(/\/+$/, '');
  // Idempotent: an image already in the registry stays (constructs may apply the policy before the app does).
  if (ref.startsWith(`${target}/`)) return ref;
  const { path, suffix } = parseImage(ref);
  return `${target}/${path}${suffix}`;
}

/** Every image of the version matrix (or only those `target` emits), by where it is used, sorted by reference. */
export function matrixImages(target?: Target): { use: string; image: string }[] {
  const v = VERSIONS;
  type Row = [use: string, image: ImageRef, only?: readonly Target[]];
  const rows: Row[] = [
    ['Dynamo operator', v.dynamo.operatorImage],
    ...Object.entries(v.dynamo.runtimeImages).map(([k, i]): Row => [`Dynamo ${k} runtime`, i]),
    ['NATS server', v.nats.image],
    ['NATS exporter', v.nats.exporterImage],
    ['etcd', v.etcd.image],
    ['model-cache access pod', v.tools.accessPod],
    ['nvidia-smi inventory pod', v.tools.cudaBase],
    // Only GKE runs our DCGM exporter (EKS and AKS run the GPU Operator's).
    ['DCGM exporter', v.nvidia.dcgmExporterImage, ['gke']],
  ];
  return rows
    .filter(([, , only]) => target === undefined || only === undefined || only.includes(target))
    .map(([use, i]) => ({ use, image: imageString(i) }))
    .sort((a, b) => a.image.localeCompare(b.image));
}

/**
 * The copy list: each source image and its destination in `registry`. An image pinned by digest is copied by its
 * digest to its tag (`skopeo copy --all` keeps the digest; copy tools refuse a reference with both).
 */
export function mirrorList(registry: string, target?: Target): { use: string; source: string; destination: string }[] {
  return matrixImages(target).map(({ use, image }) => {
    const digest = /^(.*):([^:/@]+)@(sha256:[0-9a-f]{64})$/.exec(image);
    if (!digest) return { use, source: image, destination: rewriteImage(image, registry) };
    return { use, source: `${digest[1]}@${digest[3]}`, destination: rewriteImage(`${digest[1]}:${digest[2]}`, registry) };
  });
}

/** Repository paths a mirror registry of `target` needs (ECR creates each repository explicitly). */
export const mirrorRepositories = (target?: Target): string[] => [...new Set(matrixImages(target).map((i) => parseImage(i.image).path))].sort();
