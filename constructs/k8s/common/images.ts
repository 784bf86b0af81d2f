/**
 * Private images: one pass over every object of a construct tree that moves each image we emit to a mirror
 * registry (same repository path and tag) and names the pull Secrets where the node identity cannot pull.
 *
 * It works on the synthesized JSON of each `ApiObject` and records JSON patches, so it covers every container of
 * every pod template (Deployment, StatefulSet, Job, CronJob, Pod), the DynamoGraphDeployment services
 * (`extraPodSpec.mainContainer` and the rest of `extraPodSpec`) and the DynamoGraphDeploymentRequest images
 * (`profilerImage`, `workersImage`), including objects added later by other constructs of the same app.
 */
import { ApiObject, JsonPatch } from './cdk8s.cjs';
import type { IConstruct } from 'constructs';
import { rewriteImage } from '../../../spec/images.js';

export { parseImage, rewriteImage } from '../../../spec/images.js';

export interface ImagePolicy {
  /** Registry (host and optional path) every image moves to, e.g. `123456789012.dkr.ecr.us-west-2.amazonaws.com`. */
  readonly registry?: string;
  /** Names of existing `kubernetes.io/dockerconfigjson` Secrets, referenced by every pod (never created here). */
  readonly pullSecrets?: readonly string[];
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const pointer = (segments: readonly (string | number)[]): string => `/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Keys whose string value is an image reference. */
const IMAGE_KEYS = new Set(['image', 'profilerImage', 'workersImage']);

/** Every image field of an object: JSON pointer and reference. */
export function imageFields(obj: Json): { path: string; image: string }[] {
  const out: { path: string; image: string }[] = [];
  const walk = (v: Json, at: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (IMAGE_KEYS.has(k) && typeof x === 'string') out.push({ path: pointer([...at, k]), image: x });
        else walk(x, [...at, k]);
      }
    }
  };
  walk(obj, []);
  return out;
}

/** JSON pointers of the pod specs of an object (where `imagePullSecrets` goes). */
export function podSpecPaths(obj: Json): string[] {
  if (!isObject(obj)) return [];
  const spec = obj['spec'];
  if (!isObject(spec)) return [];
  switch (obj['kind']) {
    case 'Pod':
      return ['/spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return ['/spec/template/spec'];
    case 'CronJob':
      return ['/spec/jobTemplate/spec/template/spec'];
    case 'DynamoGraphDeployment': {
      const services = spec['services'];
      return isObject(services) ? Object.keys(services).sort().filter((s) => isObject((services[s] as Record<string, Json>)['extraPodSpec'])).map((s) => pointer(['spec', 'services', s, 'extraPodSpec'])) : [];
    }
    default:
      return [];
  }
}

const valueAt = (obj: Json, path: string): Json =>
  path
    .split('/')
    .slice(1)
    .reduce<Json>((v, seg) => (isObject(v) ? v[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : Array.isArray(v) ? v[Number(seg)] : undefined), obj);

/** Applies the policy to every ApiObject under `scope`. Idempotent per object only when called once: call it last. */
export function applyImagePolicy(scope: IConstruct, policy: ImagePolicy): void {
  const secrets = policy.pullSecrets ?? [];
  if (!policy.registry && secrets.length === 0) return;
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const json = c.toJson() as Json;
    if (policy.registry) for (const f of imageFields(json)) c.addJsonPatch(JsonPatch.replace(f.path, rewriteImage(f.image, policy.registry)));
    if (secrets.length) {
      for (const p of podSpecPaths(json)) {
        const existing = (valueAt(json, `${p}/imagePullSecrets`) as { name: string }[] | undefined) ?? [];
        const names = [...new Set([...existing.map((s) => s.name), ...secrets])].sort();
        c.addJsonPatch(JsonPatch.add(`${p}/imagePullSecrets`, names.map((name) => ({ name }))));
      }
    }
  }
}
