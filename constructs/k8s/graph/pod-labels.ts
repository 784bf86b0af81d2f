/**
 * The labels our graph constructs put on every pod of a graph (through the services' `extraPodMetadata`), and the
 * selectors built from them: NetworkPolicies, the exposure Services, the disruption budgets, the spread and the
 * monitors all select graph pods this way.
 *
 * Selectors use keys of our own domain only. The 0.9.0 operator copies `extraPodMetadata.labels` onto the pods, but on
 * the Grove path Grove (v0.1.0-alpha.6) then overwrites `app.kubernetes.io/name`, `/component`, `/managed-by` and
 * `/part-of` on every PodClique and its pods (`podcliqueset/components/podclique/podclique.go` getLabels,
 * `api/common/labels.go`), so a selector on those keys would match no pod. The standard keys stay on the pods as
 * information (they hold on the Deployment path).
 */
import { MANAGED_BY } from '../common/labels.js';

export const GRAPH_APP = 'dynamo-graph';
export type GraphComponent = 'frontend' | 'worker' | 'planner';

/** `dynamo-graph` on every graph pod. */
export const APP_LABEL = 'dynamo-iac.io/app';
/** The graph's name. */
export const GRAPH_LABEL = 'dynamo-iac.io/graph';
/** frontend, worker or planner. */
export const COMPONENT_LABEL = 'dynamo-iac.io/component';
/** The (lower-case) service name, so that one service's pods can be selected. */
export const SERVICE_LABEL = 'dynamo-iac.io/service';

/** Pods of every graph, of one graph, and/or of one component, e.g. `graphPodSelector({ graph: 'g', component: 'frontend' })`. */
export function graphPodSelector(o: { graph?: string; component?: GraphComponent } = {}): Record<string, string> {
  return {
    [APP_LABEL]: GRAPH_APP,
    ...(o.graph !== undefined && { [GRAPH_LABEL]: o.graph }),
    ...(o.component !== undefined && { [COMPONENT_LABEL]: o.component }),
  };
}

/** The labels of objects that belong to a graph (not its pods): name, instance and manager. */
export const graphObjectLabels = (graph: string): Record<string, string> => ({
  'app.kubernetes.io/name': GRAPH_APP,
  'app.kubernetes.io/instance': graph,
  'app.kubernetes.io/managed-by': MANAGED_BY,
});

/** Selects exactly the pods of one service of a graph (spread, anti-affinity, disruption budgets). */
export const servicePodSelector = (graph: string, component: GraphComponent, service: string): Record<string, string> => ({
  ...graphPodSelector({ graph, component }),
  [SERVICE_LABEL]: service.toLowerCase(),
});

/** The labels of one service's pods (applied by the operator from `extraPodMetadata`): the selector keys and the standard ones. */
export const servicePodLabels = (graph: string, component: GraphComponent, service: string): Record<string, string> => ({
  ...graphObjectLabels(graph),
  'app.kubernetes.io/component': component,
  ...servicePodSelector(graph, component, service),
});
