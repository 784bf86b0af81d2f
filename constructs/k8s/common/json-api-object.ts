/**
 * JsonApiObject: an ApiObject whose body is plain JSON (maps, lists, strings, numbers, booleans, null), rendered
 * without cdk8s's generic value resolution, to the same result.
 *
 * `ApiObject.toJson` resolves every value of the body through the app's resolvers (with a context object, a key
 * path and a walk up to the app per value), then sanitizes the result: map keys sorted, null and undefined dropped
 * from maps and turned into undefined in lists. cdk8s's built-in resolvers leave plain JSON as it is (they act on
 * `Lazy` values, objects with a `resolve` method and number-or-string union classes), so for plain JSON the result
 * is the sanitized copy alone, which this class makes in one pass. The metadata, the JSON patches and the order of
 * the top-level keys are cdk8s's own. Anything else takes cdk8s's path: an app with resolvers of its own, a value
 * that is not plain JSON (a class instance, a function, a map with a `constructor` key), CDK8S_DISABLE_SORT.
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

/** cdk8s's `sanitizeValue(resolve(value))` for plain JSON; NotPlain for anything else. */
export function sanitizedJson(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') throw new NotPlain();
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return (value as unknown[]).map(sanitizedJson);
  if (proto !== Object.prototype || Object.hasOwn(value as object, 'constructor')) throw new NotPlain();
  const map = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map).sort()) {
    const v = sanitizedJson(map[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export class JsonApiObject extends ApiObject {
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

  public override toJson(): unknown {
    if (process.env['CDK8S_DISABLE_SORT'] || !builtInResolversOnly(this)) return super.toJson();
    try {
      return this.plainJson();
    } catch {
      // Not plain JSON, or a patch that does not apply: cdk8s's path gives its result or its error, with the path.
      return super.toJson();
    }
  }

  private plainJson(): Record<string, unknown> {
    const json = sanitizedJson({ ...this.body, metadata: this.metadata.toJson() });
    const patched = JsonPatch.apply(json, ...this.ops) as Record<string, unknown>;
    // As ApiObject.toJson: apiVersion, kind and metadata first, the rest in order.
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
    return result;
  }
}
