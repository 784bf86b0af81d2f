/**
 * JsonApiObject renders what cdk8s's ApiObject renders for the same body, key order included: for plain JSON by its
 * own pass, for anything else by cdk8s's path (custom resolvers, Lazy values, class instances, CDK8S_DISABLE_SORT),
 * with metadata changes and JSON patches applied as cdk8s applies them.
 */
import { ApiObject, type ApiObjectProps, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext, Yaml } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonApiObject } from '../../../../constructs/k8s/common/json-api-object.js';
import { sanitizedManifestYaml } from '../../../../constructs/k8s/common/yaml-text.js';

const BODY = {
  apiVersion: 'example.com/v1',
  kind: 'Thing',
  metadata: { name: 'thing', labels: { b: '2', a: '1' }, annotations: {} },
  zeta: 1,
  spec: {
    z: 'last',
    a: null,
    m: undefined,
    '10': 'ten',
    '2': 'two',
    B: 'upper',
    'é': 'accent',
    list: [3, null, undefined, { y: 1, x: [], w: {} }, [], 'é', false, 0, -1.5],
    empty: {},
    emptyList: [],
    nested: { c: { b: { a: 'deep' } }, d: [{ b: null, a: true }] },
    text: 'multi\nline',
  },
};

/** The JSON text of a body rendered by cdk8s's ApiObject and by JsonApiObject, in apps set up alike. */
function both(body: () => ApiObjectProps, setup: (o: ApiObject) => void = () => undefined, app: () => App = () => new App()): [string, string] {
  return [ApiObject, JsonApiObject].map((Kind) => {
    const chart = new Chart(app(), 'c', { namespace: 'ns', labels: { chart: 'label' } });
    const o = new Kind(chart, 'o', body());
    setup(o);
    return JSON.stringify(o.toJson());
  }) as [string, string];
}

describe('JsonApiObject renders as ApiObject', () => {
  afterEach(() => {
    delete process.env['CDK8S_DISABLE_SORT'];
  });

  it('plain JSON: keys sorted (integer-like keys too), null and undefined dropped from maps and kept as holes in lists', () => {
    const [slow, fast] = both(() => structuredClone(BODY));
    expect(fast).toBe(slow);
    expect(fast.indexOf('"apiVersion"')).toBe(1);
  });

  it("plain JSON does not go through cdk8s's resolution", () => {
    const generic = vi.spyOn(ApiObject.prototype, 'toJson');
    try {
      new JsonApiObject(new Chart(new App(), 'c'), 'o', structuredClone(BODY)).toJson();
      expect(generic).not.toHaveBeenCalled();
    } finally {
      generic.mockRestore();
    }
  });

  it('metadata changed after construction, and JSON patches', () => {
    const [slow, fast] = both(
      () => structuredClone(BODY),
      (o) => {
        o.metadata.addLabel('added', 'yes');
        o.metadata.addAnnotation('note', 'n');
        o.addJsonPatch(JsonPatch.add('/spec/added', { b: 1, a: 2 }), JsonPatch.remove('/metadata/namespace'), JsonPatch.replace('/spec/z', 'first'));
      },
    );
    expect(fast).toBe(slow);
    expect(fast).toContain('"added":{"b":1,"a":2}');
  });

  it('the body as it is at synthesis, not at construction', () => {
    const spec = { items: ['a'] };
    const o = new JsonApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'Thing', spec });
    spec.items.push('b');
    expect(o.toJson()).toMatchObject({ spec: { items: ['a', 'b'] } });
  });

  it('values that are not plain JSON take cdk8s path: Lazy, class instances, a map with a constructor key', () => {
    class Port {
      constructor(public readonly value: number) {}
    }
    for (const spec of [{ lazy: Lazy.any({ produce: () => ({ b: 1, a: 2 }) }) }, { port: new Port(80) }, { m: { resolve: () => 'resolved' } }]) {
      const [slow, fast] = both(() => ({ apiVersion: 'v1', kind: 'Thing', spec }));
      expect(fast).toBe(slow);
    }
    // cdk8s cannot render a map with a constructor key; neither does JsonApiObject, with cdk8s's message.
    const bad = new JsonApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'Thing', spec: { constructor: 'x' } });
    expect(() => bad.toJson()).toThrow(/Failed serializing construct at path 'c\/o'/);
  });

  it("an app's own resolvers, and CDK8S_DISABLE_SORT, take cdk8s's path", () => {
    const upper: IResolver = {
      resolve: (ctx: ResolutionContext) => {
        if (typeof ctx.value === 'string' && ctx.value !== ctx.value.toUpperCase()) ctx.replaceValue(ctx.value.toUpperCase());
      },
    };
    const [slow, fast] = both(() => structuredClone(BODY), undefined, () => new App({ resolvers: [upper] }));
    expect(fast).toBe(slow);
    expect(fast).toContain('"LAST"');
    process.env['CDK8S_DISABLE_SORT'] = '1';
    const [slowUnsorted, fastUnsorted] = both(() => structuredClone(BODY));
    expect(fastUnsorted).toBe(slowUnsorted);
    expect(fastUnsorted.indexOf('"z":"last"')).toBeLessThan(fastUnsorted.indexOf('"B":"upper"'));
  });
});

describe('plainManifest, written by sanitizedManifestYaml (the manifests of a synthesis)', () => {
  /** BODY without its null and undefined list items, which sanitizing turns into undefined (then toJson() is written). */
  const body = () => {
    const b = structuredClone(BODY);
    b.spec.list = b.spec.list.filter((x) => x !== null && x !== undefined);
    return b;
  };
  const make = (Kind: typeof ApiObject) => new Kind(new Chart(new App(), 'c', { namespace: 'ns' }), 'o', body());

  it('is the YAML of ApiObject.toJson', () => {
    const o = make(JsonApiObject) as JsonApiObject;
    o.metadata.addAnnotation('note', 'n');
    const reference = make(ApiObject);
    reference.metadata.addAnnotation('note', 'n');
    expect(sanitizedManifestYaml(o.plainManifest()!)).toBe(Yaml.stringify(reference.toJson()));
    const withNulls = new JsonApiObject(new Chart(new App(), 'c'), 'o', structuredClone(BODY));
    expect(sanitizedManifestYaml(withNulls.plainManifest()!)).toBeUndefined();
  });

  it('is undefined with JSON patches, so the object is written from toJson()', () => {
    const o = make(JsonApiObject) as JsonApiObject;
    o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    expect(o.plainManifest()).toBeUndefined();
    expect(JsonApiObject.isJsonApiObject(o)).toBe(true);
    expect(JsonApiObject.isJsonApiObject(make(ApiObject))).toBe(false);
  });
});

describe('metadata is rendered as cdk8s renders it', () => {
  const metadataOf = (o: JsonApiObject) => (o as unknown as { metadataJson(): unknown }).metadataJson();

  it('every field: additional attributes, empty and nested-empty lists and maps, finalizers, owner references', () => {
    const shapes = [
      { name: 'a' },
      { name: 'a', labels: {}, annotations: {}, finalizers: [], ownerReferences: [] },
      { generateName: 'x-', labels: { z: '1', a: '2' }, finalizers: ['f/2', 'f/1'], extra: { empty: {}, list: [] } },
      { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u', controller: true }], annotations: { 'b/x': '', a: 'y' } },
      { name: 'a', extra: { deep: { emptier: { empty: [] } } }, list: [[], {}, 'x'] },
    ];
    for (const metadata of shapes) {
      const o = new JsonApiObject(new Chart(new App(), 'c', { namespace: 'ns', labels: { chart: 'label' } }), 'o', { apiVersion: 'v1', kind: 'Thing', metadata });
      o.metadata.addLabel('added', 'yes');
      expect(JSON.stringify(metadataOf(o)), JSON.stringify(metadata)).toBe(JSON.stringify(o.metadata.toJson()));
    }
  });

  it('on every object of every target', async () => {
    const { buildK8sApp } = await import('../../../../charts/synth.js');
    const { resolveSpecs } = await import('../../../../spec/load.js');
    const { TARGETS } = await import('../../../../spec/schema.js');
    const specs = resolveSpecs();
    let compared = 0;
    for (const t of TARGETS) {
      for (const c of buildK8sApp(specs[t]).node.findAll()) {
        if (!JsonApiObject.isJsonApiObject(c)) continue;
        expect(JSON.stringify(metadataOf(c)), c.node.path).toBe(JSON.stringify(c.metadata.toJson()));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('a Lazy value in the metadata takes cdk8s path', () => {
    const o = new JsonApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'a', extra: Lazy.any({ produce: () => ({ b: 1 }) }) } });
    expect(metadataOf(o)).toEqual({ name: 'a', extra: { b: 1 } });
  });
});
