/**
 * Charts rendered once per app come out as cdk8s's own `chart.toJson()` renders them: the same objects of each
 * chart (not those of a nested chart), in the same order, with and without dependencies between objects and charts.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { renderCharts } from '../../charts/chart-objects.js';

function app(withDependencies: boolean): App {
  const a = new App();
  const obj = (scope: Construct, name: string) => new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  const first = new Chart(a, 'first', { disableResourceNameHashes: true });
  const group = new Construct(first, 'group');
  const [x, y] = [obj(group, 'x'), obj(first, 'y')];
  const z = obj(first, 'z');
  const nested = new Chart(first, 'nested', { disableResourceNameHashes: true });
  obj(nested, 'inner');
  const second = new Chart(a, 'second', { disableResourceNameHashes: true });
  const w = obj(second, 'w');
  if (withDependencies) {
    x.addDependency(z);
    y.addDependency(x);
    w.node.addDependency(group);
  }
  return a;
}

describe('renderCharts is chart.toJson() for every chart, once per app', () => {
  for (const deps of [false, true]) {
    it(deps ? 'with dependencies' : 'without dependencies', () => {
      const ours = app(deps);
      const rendered = new Map(renderCharts(ours, ours.node.findAll()).map(({ chart, objects }) => [chart.node.path, objects]));
      const theirs = app(deps);
      const expected = new Map(theirs.charts.map((c) => [c.node.path, c.toJson() as unknown[]]));
      expect([...rendered.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, objects] of expected) expect(rendered.get(path)).toEqual(objects);
      const names = (path: string) => (rendered.get(path) as { metadata: { name: string } }[]).map((o) => o.metadata.name);
      expect(names('first')).toEqual(deps ? ['z', 'x', 'y'] : ['x', 'y', 'z']);
    });
  }
});
