/** Recommended Kubernetes labels, and the selector subset that never changes after creation. */

export const MANAGED_BY = 'dynamo-iac';

export interface AppLabels {
  /** `app.kubernetes.io/name`, e.g. `nats`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: the object name, unique per namespace. */
  readonly instance: string;
  /** `app.kubernetes.io/component`, e.g. `event-plane`. */
  readonly component: string;
  /** `app.kubernetes.io/version`. */
  readonly version: string;
}

export function selectorLabels(l: Pick<AppLabels, 'name' | 'instance'>): Record<string, string> {
  return { 'app.kubernetes.io/name': l.name, 'app.kubernetes.io/instance': l.instance };
}

export function appLabels(l: AppLabels): Record<string, string> {
  return {
    ...selectorLabels(l),
    'app.kubernetes.io/component': l.component,
    'app.kubernetes.io/version': l.version,
    'app.kubernetes.io/part-of': 'dynamo-platform',
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
