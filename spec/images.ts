/**
 * Image references and the mirror list: where each image of the version matrix comes from and where it goes when
 * `platform.images.registry` moves every image to a private registry (same repository path and tag).
 */
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

/** Every image of the version matrix, by where it is used, sorted by reference. */
export function matrixImages(): { use: string; image: string }[] {
  const v = VERSIONS;
  const rows: [string, ImageRef][] = [
    ['Dynamo operator', v.dynamo.operatorImage],
    ...Object.entries(v.dynamo.runtimeImages).map(([k, i]): [string, ImageRef] => [`Dynamo ${k} runtime`, i]),
    ['NATS server', v.nats.image],
    ['NATS exporter', v.nats.exporterImage],
    ['etcd', v.etcd.image],
    ['model-cache access pod', v.tools.accessPod],
    ['nvidia-smi inventory pod', v.tools.cudaBase],
    ['DCGM exporter (GKE)', v.nvidia.dcgmExporterImage],
  ];
  return rows.map(([use, i]) => ({ use, image: imageString(i) })).sort((a, b) => a.image.localeCompare(b.image));
}

/** The copy list: each source image and its destination in `registry`. */
export function mirrorList(registry: string): { use: string; source: string; destination: string }[] {
  return matrixImages().map(({ use, image }) => ({ use, source: image, destination: rewriteImage(image, registry) }));
}

/** Repository paths a mirror registry needs (ECR creates each repository explicitly). */
export const mirrorRepositories = (): string[] => [...new Set(matrixImages().map((i) => parseImage(i.image).path))].sort();
