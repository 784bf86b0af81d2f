/**
 * JsonApiObject: an ApiObject whose body is plain JSON (maps, lists, strings, numbers, booleans, null), rendered
 * without cdk8s's generic value resolution, to the same result.
 *
 * `ApiObject.toJson` resolves every value of the body through the app's resolvers (with a context object, a key
 * path and a walk up to the app per value), then sanitizes the result: map keys sorted, null and undefined dropped
 * from maps and turned into undefined in lists. cdk8s's built-in resolvers leave plain JSON as it is (they act on
 * `Lazy` values, objects with a `resolve` method and number-or-string union classes), so for plain JSON the result
 * is the sanitized copy alone, which this class makes in one pass, or leaves to a YAML writer that sanitizes as it
 * writes (`plainManifest`). The metadata, the JSON patches and the order of the top-level keys are cdk8s's own.
 * Anything else takes cdk8s's path: an app with resolvers of its own, a value that is not plain JSON (a class
 * instance, a function, a map with a `constructor` key), CDK8S_DISABLE_SORT.
 */
import type { Construct } from 'constructs';
import type { ApiObjectProps } from 'cdk8s';
import { ApiObject, App, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver } from './cdk8s.cjs';

class NotPlain extends Error {}

const BUILT_IN_RESOLVERS = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

/** The app has only cdk8s's built-in resolvers, in their order (App's constructor appends them to its own). */
function builtInResolversOnly(obj: ApiObject): boolean {
  const { resolvers } = App.of(obj) as Partial<App>;
  return resolvers !== undefined && resolvers.length === BUILT_IN_RESOLVERS.length && resolvers.every((r, i) => r.constructor === BUILT_IN_RESOLVERS[i]);
}

/**
 * cdk8s's `sanitizeValue(resolve(value))` for plain JSON; NotPlain for anything else. `filterEmpty` is sanitizeValue's
 * `filterEmptyArrays` and `filterEmptyObjects` (how cdk8s sanitizes metadata): empty lists and maps, also those left
 * empty by sanitizing, are dropped.
 */
export function sanitizedJson(value: unknown, filterEmpty = false): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') throw new NotPlain();
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    return filterEmpty && list.length === 0 ? undefined : list.map((x) => sanitizedJson(x, filterEmpty));
  }
  if (proto !== Object.prototype || Object.hasOwn(value as object, 'constructor')) throw new NotPlain();
  const map = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key of Object.keys(map).sort()) {
    const v = sanitizedJson(map[key], filterEmpty);
    if (v !== undefined) {
      out[key] = v;
      empty = false;
    }
  }
  return filterEmpty && empty ? undefined : out;
}

/**
 * What cdk8s's ApiObjectMetadataDefinition keeps (its private fields, cdk8s 2.70), read for `metadataJson`; its
 * `toJson()` renders `{ ...additional attributes, name, namespace, annotations, finalizers, ownerReferences, labels }`.
 * test/constructs/k8s/common/json-api-object.test.ts compares the two on every object of every target.
 */
interface MetadataState {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly _additionalAttributes?: unknown;
}

/** ApiObject.toJson's order of the top-level keys: apiVersion, kind and metadata first, the rest as they come. */
function apiOrder(json: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (k in json) result[k] = json[k];
  return result;
}

export class JsonApiObject extends ApiObject {
  /** `JsonApiObject`, the class itself: `instanceof` answers for every ApiObject (cdk8s's Symbol.hasInstance). */
  public static isJsonApiObject(x: unknown): x is JsonApiObject {
    return x instanceof ApiObject && typeof (x as Partial<JsonApiObject>).plainManifest === 'function';
  }

  /** The JSON patches, as ApiObject keeps them (privately). */
  private readonly ops: JsonPatch[] = [];

  /** `body` is held, not copied, as ApiObject holds it: what changes in it before synthesis is rendered. */
  constructor(scope: Construct, id: string, private readonly body: ApiObjectProps) {
    super(scope, id, body);
  }

  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.ops.push(...ops);
  }

  /**
   * The rendered metadata, as `metadata.toJson()` renders it: for plain JSON by `sanitizedJson` (cdk8s resolves
   * every value with a context object per value first, which leaves plain JSON as it is), else by cdk8s.
   */
  private metadataJson(): unknown {
    const m = this.metadata as unknown as MetadataState;
    const extra = m._additionalAttributes;
    if (extra === null || typeof extra !== 'object' || Object.getPrototypeOf(extra) !== Object.prototype) return this.metadata.toJson();
    const { name, namespace, annotations, finalizers, ownerReferences, labels } = m;
    try {
      return sanitizedJson({ ...extra, name, namespace, annotations, finalizers, ownerReferences, labels }, true);
    } catch (e) {
      if (e instanceof NotPlain) return this.metadata.toJson();
      throw e;
    }
  }

  /** Whether this object renders by its own pass (see the file's comment). */
  private plain(): boolean {
    return !process.env['CDK8S_DISABLE_SORT'] && builtInResolversOnly(this);
  }

  /**
   * The object before sanitizing, for a writer that sanitizes as it writes (yaml-text.ts, sanitizedManifestYaml):
   * the body with the rendered metadata, its top-level keys in ApiObject.toJson's order (sorted, then apiVersion, kind
   * and metadata first); undefined when the object has JSON patches or takes cdk8s's path.
   */
  public plainManifest(): Record<string, unknown> | undefined {
    if (this.ops.length > 0 || !this.plain()) return undefined;
    const data: Record<string, unknown> = { ...this.body, metadata: this.metadataJson() };
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(data).sort()) sorted[k] = data[k];
    return apiOrder(sorted);
  }

  public override toJson(): unknown {
    if (!this.plain()) return super.toJson();
    try {
      return this.plainJson();
    } catch {
      // Not plain JSON, or a patch that does not apply: cdk8s's path gives its result or its error, with the path.
      return super.toJson();
    }
  }

  private plainJson(): Record<string, unknown> {
    const json = sanitizedJson({ ...this.body, metadata: this.metadataJson() });
    return apiOrder(JsonPatch.apply(json, ...this.ops) as Record<string, unknown>);
  }
}
