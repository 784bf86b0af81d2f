/**
 * Validation of synthesized objects: core Kubernetes kinds against the OpenAPI schemas shipped by the
 * `kubernetes-models` package, custom resources against the upstream CRDs in ../shared/reference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { REFERENCE } from './env.js';
import type { KubeObject } from './synth.js';

type Model = new (data: unknown) => { validate(): void };

/** `apps/v1` + `StatefulSet` -> `kubernetes-models/apps/v1/StatefulSet`; core `v1` has no group folder. */
function modulePath(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const CORE_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io', 'coordination.k8s.io', 'scheduling.k8s.io', 'discovery.k8s.io']);
/** Kinds validated by an OpenAPI model package: Kubernetes itself and the Prometheus operator's. */
export const isCoreKind = (apiVersion: string): boolean => CORE_GROUPS.has(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '') || apiVersion.startsWith('monitoring.coreos.com/');

const models = new Map<string, Model>();
async function modelOf(apiVersion: string, kind: string): Promise<Model> {
  const key = `${apiVersion}/${kind}`;
  let m = models.get(key);
  if (!m) {
    const mod = (await import(modulePath(apiVersion, kind))) as Record<string, Model>;
    m = mod[kind];
    if (!m) throw new Error(`kubernetes-models has no ${key}`);
    models.set(key, m);
  }
  return m;
}

/** Errors of a core object against the Kubernetes OpenAPI schema; empty when valid. */
export async function validateCore(obj: KubeObject): Promise<string[]> {
  const Model = await modelOf(obj.apiVersion, obj.kind);
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${obj.kind}/${obj.metadata.name}: ${(e as Error).message}`];
  }
}

// ------------------------------------------------------------------------------------------------ CRDs

interface CrdVersion { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }
interface Crd { spec: { group: string; names: { kind: string }; versions: CrdVersion[] } }

type Schema = Record<string, unknown>;

/**
 * The API server prunes fields a structural schema does not declare, silently. A pruned field in our output is a
 * bug, so objects with declared properties get `additionalProperties: false` unless the schema preserves unknowns.
 */
function strict(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, strict(s)]));
    } else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') {
      out[k] = strict(v as Schema);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((s) => strict(s as Schema));
    } else {
      out[k] = v;
    }
  }
  if (out['properties'] && out['additionalProperties'] === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out['additionalProperties'] = false;
  }
  return out;
}

let crdIndex: Map<string, Schema> | undefined;
const compiled = new Map<string, ValidateFunction>();

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  const int = (bits: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** (bits - 1) });
  ajv.addFormat('int32', int(32));
  ajv.addFormat('int64', int(64));
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  return ajv;
}
const ajv = newAjv();

/** Every CRD version in ../shared/reference (strict schema, compiled on first use), keyed by `group/version/Kind`. */
export function crdSchemas(): Map<string, Schema> {
  if (crdIndex) return crdIndex;
  crdIndex = new Map();
  for (const dir of readdirSync(REFERENCE)) {
    for (const file of readdirSync(join(REFERENCE, dir)).filter((f) => f.endsWith('.yaml'))) {
      const crd = parse(readFileSync(join(REFERENCE, dir, file), 'utf8')) as Crd;
      for (const v of crd.spec.versions) {
        const root = strict(v.schema.openAPIV3Schema);
        // metadata is validated by the API server's ObjectMeta, not by the CRD.
        (root['properties'] as Record<string, Schema>)['metadata'] = { type: 'object' };
        crdIndex.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, root);
      }
    }
  }
  return crdIndex;
}

/** Errors of a custom resource against its upstream CRD; an object without a CRD in the reference is an error. */
export function validateCustom(obj: KubeObject): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const schema = crdSchemas().get(key);
  if (!schema) return [`${obj.apiVersion} ${obj.kind}/${obj.metadata.name}: no CRD in ../shared/reference`];
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
  const valid: boolean = validate(obj);
  if (valid) return [];
  return (validate.errors ?? []).map((e) => `${obj.kind}/${obj.metadata.name}${e.instancePath}: ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`.trim());
}
