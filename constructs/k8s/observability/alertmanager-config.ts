/**
 * The Alertmanager configuration template: routes by severity (critical pages, warning to the team channel, info
 * nowhere), grouping by alert, namespace and graph, and inhibition so that a cause silences its effects (a node
 * down silences the pod and GPU alerts on it; a dead NATS or etcd silences the graphs' errors; critical silences the
 * same alert's warning). Receivers (PagerDuty for critical, Slack for the team) read their keys and URLs from files
 * (mounted Secrets): no secret is written here.
 */
export interface AlertmanagerConfigProps {
  /** File holding the PagerDuty routing key (a mounted Secret). @default '/etc/alertmanager/secrets/pagerduty/routing-key' */
  readonly pagerKeyFile?: string;
  /** File holding the Slack webhook URL (a mounted Secret). @default '/etc/alertmanager/secrets/slack/url' */
  readonly slackUrlFile?: string;
  /** @default '#dynamo-alerts' */
  readonly slackChannel?: string;
  /** @default '4h' */
  readonly repeatInterval?: string;
}

export function alertmanagerConfig(p: AlertmanagerConfigProps = {}): Record<string, unknown> {
  return {
    route: {
      receiver: 'default',
      group_by: ['alertname', 'namespace', 'graph'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: p.repeatInterval ?? '4h',
      routes: [
        { receiver: 'pager', matchers: ['severity="critical"'], continue: true },
        { receiver: 'team', matchers: ['severity=~"critical|warning"'] },
        { receiver: 'default', matchers: ['severity="info"'] },
      ],
    },
    inhibit_rules: [
      // The same alert at critical silences its warning.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace', 'graph'] },
      // A node that is down explains every pod and GPU alert on it.
      { source_matchers: ['alertname="KubeNodeNotReady"'], target_matchers: ['component=~"worker|gpu|frontend"'], equal: ['node'] },
      // Without NATS or etcd the graphs fail: page for the cause, not for every graph.
      { source_matchers: ['alertname=~"DynamoNatsDown|DynamoEtcdNoLeader"'], target_matchers: ['component=~"frontend|worker"'] },
    ],
    receivers: [
      { name: 'default' },
      { name: 'pager', pagerduty_configs: [{ routing_key_file: p.pagerKeyFile ?? '/etc/alertmanager/secrets/pagerduty/routing-key', send_resolved: true }] },
      {
        name: 'team',
        slack_configs: [{ api_url_file: p.slackUrlFile ?? '/etc/alertmanager/secrets/slack/url', channel: p.slackChannel ?? '#dynamo-alerts', send_resolved: true, title: '{{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})', text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}' }],
      },
    ],
  };
}
