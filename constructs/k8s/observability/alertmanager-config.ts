/**
 * Alert routing as the Prometheus operator's `AlertmanagerConfig` (monitoring.coreos.com/v1alpha1), which the operator
 * merges into the configuration of the Alertmanager that selects it: grouping by alert, namespace and graph; one
 * route per receiver matching the severities it takes (`continue: true`, so an alert reaches every receiver of its
 * severity); inhibition so that a cause silences its effects (a node down silences the pod and GPU alerts on it; a
 * dead NATS or etcd silences the graphs' alerts; critical silences the same alert's warning).
 *
 * Credentials are Secret references only (`apiURL`, `routingKey`, `urlSecret`, `authPassword`); the operator reads
 * them from the AlertmanagerConfig's namespace. The operator scopes the routes and inhibitions of an
 * AlertmanagerConfig to alerts carrying `namespace="<its namespace>"` unless the Alertmanager sets
 * `alertmanagerConfigMatcherStrategy.type: None`; our alerts carry the graphs' namespaces, so the Alertmanager must
 * run with `None` (the deploy path sets it, see charts/prerequisites.ts). Under `None` nothing scopes the route, so
 * its top level matches our own alerts (`dynamo_iac="true"`, which every rule we emit carries; the operator allows
 * first-level matchers under None) and the inhibitions only ever silence our alerts.
 */
import type { AlertingSpec, ReceiverSpec } from '../../../spec/alerting.js';
import { DYNAMO_ALERT_LABEL } from './alert-rules.js';

interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly matchType: '=' | '=~';
}
const eq = (name: string, value: string): Matcher => ({ name, value, matchType: '=' });
const re = (name: string, value: string): Matcher => ({ name, value, matchType: '=~' });
/** Matches the alerts we emit, and no other alert of the cluster. */
const ours = eq(DYNAMO_ALERT_LABEL.name, DYNAMO_ALERT_LABEL.value);

/** The receiver that takes every alert no route claims: it sends nothing. */
export const DEFAULT_RECEIVER = 'default';

function receiver(r: ReceiverSpec): Record<string, unknown> {
  const secret = { name: r.secret.name, key: r.secret.key };
  switch (r.type) {
    case 'slack':
      return { slackConfigs: [{ apiURL: secret, ...(r.slackChannel && { channel: r.slackChannel }), sendResolved: true, title: '{{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})', text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.runbook_url }}\n{{ end }}' }] };
    case 'pagerduty':
      return { pagerdutyConfigs: [{ routingKey: secret, sendResolved: true }] };
    case 'webhook':
      return { webhookConfigs: [{ urlSecret: secret, sendResolved: true }] };
    case 'email': {
      const e = r.email!;
      return { emailConfigs: [{ to: e.to, from: e.from, smarthost: e.smarthost, authUsername: e.username, authPassword: secret, sendResolved: true }] };
    }
  }
}

/** The `spec` of the AlertmanagerConfig for the spec's receivers. */
export function alertmanagerConfigSpec(a: AlertingSpec): Record<string, unknown> {
  return {
    route: {
      receiver: DEFAULT_RECEIVER,
      matchers: [ours],
      groupBy: ['alertname', 'namespace', 'graph'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: a.repeatInterval,
      routes: a.receivers.map((r) => ({
        receiver: r.name,
        matchers: [r.severities.length === 1 ? eq('severity', r.severities[0]!) : re('severity', [...r.severities].sort().join('|'))],
        continue: true,
      })),
    },
    receivers: [{ name: DEFAULT_RECEIVER }, ...a.receivers.map((r) => ({ name: r.name, ...receiver(r) }))],
    inhibitRules: [
      // The same alert at critical silences its warning.
      { sourceMatch: [eq('severity', 'critical')], targetMatch: [ours, eq('severity', 'warning')], equal: ['alertname', 'namespace', 'graph'] },
      // A node that is down explains every pod and GPU alert on it.
      { sourceMatch: [eq('alertname', 'KubeNodeNotReady')], targetMatch: [ours, re('component', 'worker|gpu|frontend')], equal: ['node'] },
      // Without NATS or etcd the graphs fail: page for the cause, not for every graph.
      { sourceMatch: [re('alertname', 'DynamoNatsDown|DynamoEtcdNoLeader')], targetMatch: [ours, re('component', 'frontend|worker')] },
    ],
  };
}

/** The label our kube-prometheus-stack's Alertmanager selects AlertmanagerConfigs by. */
export const ALERTMANAGER_CONFIG_SELECTOR = { 'dynamo-iac.io/alertmanager-config': 'true' } as const;
