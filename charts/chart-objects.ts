/**
 * The objects of every chart of an app, in cdk8s's order, with one pass over the app.
 *
 * `Chart.toJson()` re-resolves the dependencies of the whole app and re-runs every validation of the whole app for
 * each chart it renders (cdk8s `App._synthChart`), which is quadratic in the number of charts. Here the same
 * dependency resolution runs once per app, in the same order (so the same object order comes out), and each chart
 * is then ordered on its own dependency graph, as `_synthChart` does. Validation is the caller's, once.
 */
import { ApiObject, Chart, DependencyGraph } from '../constructs/k8s/common/cdk8s.cjs';
import type { App } from 'cdk8s';
import type { IConstruct } from 'constructs';

interface Dependency {
  readonly source: IConstruct;
  readonly target: IConstruct;
}

const dependenciesOf = (all: readonly IConstruct[]): Dependency[] => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));

/** cdk8s's `resolveDependencies`: nested charts, then chart edges from construct edges, then object edges. */
function resolveDependencies(all: readonly IConstruct[]): void {
  for (const parent of all.filter(Chart.isChart)) {
    for (const child of parent.node.children.filter(Chart.isChart)) parent.node.addDependency(child);
  }
  for (const { source, target } of dependenciesOf(all)) {
    const [from, to] = [Chart.of(source), Chart.of(target)];
    if (from !== to) from.node.addDependency(to);
  }
  const under = new Map<IConstruct, readonly IConstruct[]>();
  const objectsOf = (c: IConstruct, chart: Chart): ApiObject[] => {
    if (!under.has(c)) under.set(c, c.node.findAll());
    return under.get(c)!.filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  };
  // Read again: the chart edges added above take part, as in cdk8s.
  for (const { source, target } of dependenciesOf(all)) {
    const targets = objectsOf(target, Chart.of(target));
    const sources = objectsOf(source, Chart.of(source));
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
}

/** A chart's own objects (not those of nested charts), dependencies first: cdk8s's `chartToKube`. */
const chartObjects = (chart: Chart): ApiObject[] =>
  new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);

/**
 * Without any dependency edge, cdk8s's order (DependencyGraph.topology) is the order of `findAll`: every vertex is
 * a root, visited as inserted. Then the charts and each chart's objects come from the one walk of the app; with an
 * edge anywhere, from cdk8s's own graphs.
 */
function chartsInOrder(app: App, all: readonly IConstruct[]): { chart: Chart; objects: ApiObject[] }[] {
  if (all.some((c) => c.node.dependencies.length > 0)) return app.charts.map((chart) => ({ chart, objects: chartObjects(chart) }));
  const byChart = new Map<Chart, ApiObject[]>();
  for (const c of all) {
    if (Chart.isChart(c)) byChart.set(c, []);
    else if (c instanceof ApiObject) byChart.get(Chart.of(c))!.push(c);
  }
  return [...byChart].map(([chart, objects]) => ({ chart, objects }));
}

/** Every chart of `app` with its objects, in the order of `chart.toJson()`. `all` is `app.node.findAll()`. */
export function orderedCharts(app: App, all: readonly IConstruct[]): { chart: Chart; objects: ApiObject[] }[] {
  resolveDependencies(all);
  return chartsInOrder(app, all);
}

/** Every chart of `app` with the JSON of its objects, as `chart.toJson()` gives it. `all` is `app.node.findAll()`. */
export function renderCharts(app: App, all: readonly IConstruct[]): { chart: Chart; objects: unknown[] }[] {
  return orderedCharts(app, all).map(({ chart, objects }) => ({ chart, objects: objects.map((o) => o.toJson() as unknown) }));
}
