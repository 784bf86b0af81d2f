/**
 * The labels our graph constructs put on every pod of a graph (through the services' `extraPodMetadata`), and the
 * selectors built from them: NetworkPolicies, the exposure Services and the monitors all select graph pods this way.
 */
import { MANAGED_BY } from '../common/labels.js';

export const GRAPH_APP = 'dynamo-graph';
export type GraphComponent = 'frontend' | 'worker' | 'planner';

/** Pods of every graph, of one graph, and/or of one component, e.g. `graphPodSelector({ graph: 'g', component: 'frontend' })`. */
export function graphPodSelector(o: { graph?: string; component?: GraphComponent } = {}): Record<string, string> {
  return {
    'app.kubernetes.io/name': GRAPH_APP,
    ...(o.graph !== undefined && { 'app.kubernetes.io/instance': o.graph }),
    ...(o.component !== undefined && { 'app.kubernetes.io/component': o.component }),
  };
}

/** The labels of objects that belong to a graph (not its pods): name, instance and manager. */
export const graphObjectLabels = (graph: string): Record<string, string> => ({ ...graphPodSelector({ graph }), 'app.kubernetes.io/managed-by': MANAGED_BY });

/** Label with the (lower-case) service name, so that one service's pods can be selected. */
export const SERVICE_LABEL = 'dynamo-iac.io/service';

/** The labels of one service's pods (applied by the operator from `extraPodMetadata`). */
export const servicePodLabels = (graph: string, component: GraphComponent, service: string): Record<string, string> => ({
  ...graphPodSelector({ graph, component }),
  'app.kubernetes.io/managed-by': MANAGED_BY,
  [SERVICE_LABEL]: service.toLowerCase(),
});

/** Selects exactly the pods of one service of a graph (spread constraints, disruption budgets). */
export const servicePodSelector = (graph: string, component: GraphComponent, service: string): Record<string, string> => ({
  ...graphPodSelector({ graph, component }),
  [SERVICE_LABEL]: service.toLowerCase(),
});
