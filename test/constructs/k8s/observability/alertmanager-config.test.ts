/**
 * Alert routing as it really runs: the AlertmanagerConfig we emit is rendered into Alertmanager configuration the way
 * the Prometheus operator does (pkg/alertmanager/amcfg.go, v0.90: receivers renamed `<namespace>/<name>/<receiver>`,
 * the AlertmanagerConfig's route added as the first child of the base route with `continue: true`, and under the
 * default matcher strategy OnNamespace a `namespace="<its namespace>"` matcher on that route and on every inhibition),
 * merged into kube-prometheus-stack's base configuration; the real `amtool` then checks that effective file and
 * tests where alerts go. Secret references become placeholder files (or a placeholder URL where amtool 0.25 has no
 * `*_file` field): the operator inlines the Secret's value there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unroutedReceiverWarnings } from '../../../../spec/alerting-warnings.js';
import { stringify } from 'yaml';
import { kubePrometheusStackJsonValues, platformPrerequisites } from '../../../../charts/prerequisites.js';
import { ALERTMANAGER_CONFIG_SELECTOR } from '../../../../constructs/k8s/observability/alertmanager-config.js';
import { alertRuleGroups, DYNAMO_ALERT_LABEL, isAlert } from '../../../../constructs/k8s/observability/alert-rules.js';
import { hasBinary } from '../../../support/env.js';
import { validateCore } from '../../../support/kube-validate.js';
import { type KubeObject, one, problemsOf, specsFrom, synthSpec } from '../../../support/synth.js';

const RECEIVERS = `observability:
  alerting:
    receivers:
      - { name: oncall, type: pagerduty, severities: [critical], secret: { name: pagerduty, key: routing-key } }
      - { name: team, type: slack, severities: [critical, warning], secret: { name: slack, key: url }, slackChannel: '#dynamo' }
      - { name: hook, type: webhook, severities: [info], secret: { name: hook, key: url } }
      - name: mail
        type: email
        severities: [critical]
        secret: { name: smtp, key: password }
        email: { to: ops@example.com, from: am@example.com, smarthost: 'smtp.example.com:587', username: am }
`;
const spec = specsFrom(RECEIVERS).eks;
const objects = synthSpec(spec).objects;

interface Matcher { name: string; value: string; matchType: string }
interface AmcRoute { receiver?: string; matchers?: Matcher[]; continue?: boolean; groupBy?: string[]; groupWait?: string; groupInterval?: string; repeatInterval?: string; routes?: AmcRoute[] }
type SecretRef = { name: string; key: string };
interface Amc extends KubeObject {
  spec: {
    route: AmcRoute;
    receivers: ({ name: string } & Record<string, Record<string, unknown>[]>)[];
    inhibitRules: { sourceMatch: Matcher[]; targetMatch: Matcher[]; equal?: string[] }[];
  };
}

/** kube-prometheus-stack's default `alertmanager.config` (chart 88.x), the base the operator merges into. */
const BASE = {
  global: { resolve_timeout: '5m' },
  route: { group_by: ['namespace'], group_wait: '30s', group_interval: '5m', repeat_interval: '12h', receiver: 'null', routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }] },
  receivers: [{ name: 'null' }],
  inhibit_rules: [{ source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['namespace', 'alertname'] }],
};

/** The effective Alertmanager configuration, rendered as the operator does. */
function effective(amc: Amc, strategy: 'OnNamespace' | 'None', dir: string): Record<string, unknown> {
  const ns = amc.metadata.namespace!;
  const prefix = (r: string) => `${ns}/${amc.metadata.name}/${r}`;
  const matcher = (m: Matcher) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`;
  const nsMatcher = strategy === 'OnNamespace' ? [`namespace="${ns}"`] : [];
  const secretFile = (s: SecretRef) => {
    const path = join(dir, `${s.name}-${s.key}`);
    writeFileSync(path, 'placeholder');
    return path;
  };
  const route = (r: AmcRoute, top: boolean): Record<string, unknown> => ({
    ...(r.receiver && { receiver: prefix(r.receiver) }),
    ...(r.groupBy && { group_by: r.groupBy }),
    ...(r.groupWait && { group_wait: r.groupWait }),
    ...(r.groupInterval && { group_interval: r.groupInterval }),
    ...(r.repeatInterval && { repeat_interval: r.repeatInterval }),
    matchers: [...(top ? nsMatcher : []), ...(r.matchers ?? []).map(matcher)],
    ...((top || r.continue) && { continue: true }),
    ...(r.routes && { routes: r.routes.map((c) => route(c, false)) }),
  });
  const receiver = (r: Amc['spec']['receivers'][number]): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: prefix(r.name) };
    const each = (k: string) => (r[k] ?? []) as Record<string, unknown>[];
    if (r['slackConfigs']) out['slack_configs'] = each('slackConfigs').map((c) => ({ api_url_file: secretFile(c['apiURL'] as SecretRef), channel: c['channel'], send_resolved: c['sendResolved'], title: c['title'], text: c['text'] }));
    if (r['pagerdutyConfigs']) out['pagerduty_configs'] = each('pagerdutyConfigs').map((c) => ({ routing_key_file: secretFile(c['routingKey'] as SecretRef), send_resolved: c['sendResolved'] }));
    if (r['webhookConfigs']) out['webhook_configs'] = each('webhookConfigs').map((c) => (secretFile(c['urlSecret'] as SecretRef), { url: 'https://placeholder.invalid/hook', send_resolved: c['sendResolved'] }));
    if (r['emailConfigs']) out['email_configs'] = each('emailConfigs').map((c) => ({ to: c['to'], from: c['from'], smarthost: c['smarthost'], auth_username: c['authUsername'], auth_password_file: secretFile(c['authPassword'] as SecretRef), send_resolved: c['sendResolved'] }));
    return out;
  };
  return {
    ...BASE,
    route: { ...BASE.route, routes: [route(amc.spec.route, true), ...BASE.route.routes] },
    receivers: [...BASE.receivers, ...amc.spec.receivers.map(receiver)],
    inhibit_rules: [
      ...BASE.inhibit_rules,
      ...amc.spec.inhibitRules.map((i) => ({ source_matchers: [...nsMatcher, ...i.sourceMatch.map(matcher)], target_matchers: [...nsMatcher, ...i.targetMatch.map(matcher)], ...(i.equal && { equal: i.equal }) })),
    ],
  };
}

const amc = one(objects, 'AlertmanagerConfig', 'dynamo-alerts') as Amc;

describe('the AlertmanagerConfig', () => {
  it('validates against the Prometheus operator schema, in the observability namespace, with the label our Alertmanager selects', async () => {
    expect(await validateCore(amc)).toEqual([]);
    expect(amc.metadata.namespace).toBe('monitoring');
    expect(amc.metadata.labels).toMatchObject(ALERTMANAGER_CONFIG_SELECTOR);
  });

  it('the deploy path\'s Alertmanager selects it, in its namespace, with matcher strategy None; kube-state-metrics exposes our pod labels', () => {
    const stack = platformPrerequisites(spec).find((p) => p.release === 'kube-prometheus-stack')!;
    const v = stack.jsonValues as Record<string, { matchLabels?: Record<string, string>; type?: string }>;
    expect(amc.metadata.labels).toMatchObject(v['alertmanager.alertmanagerSpec.alertmanagerConfigSelector']!.matchLabels!);
    expect(v['alertmanager.alertmanagerSpec.alertmanagerConfigNamespaceSelector']!.matchLabels).toEqual({ 'kubernetes.io/metadata.name': amc.metadata.namespace });
    expect(v['alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy']).toEqual({ type: 'None' });
    expect(stack.jsonValues).toMatchObject(kubePrometheusStackJsonValues('monitoring'));
    // kube-state-metrics names `dynamo-iac.io/graph` label_dynamo_iac_io_graph, the name the rules join on.
    // Managed control planes cannot be scraped: their monitors (and forever-firing alerts) are off on eks, aks and gke.
    for (const t of ['eks', 'aks', 'gke'] as const) {
      const values = platformPrerequisites(specsFrom(RECEIVERS)[t]).find((p) => p.release === 'kube-prometheus-stack')!.values;
      for (const k of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) expect(values[`${k}.enabled`], `${t} ${k}`).toBe('false');
    }
    expect(v['kube-state-metrics.metricLabelsAllowlist']).toEqual(['pods=[dynamo-iac.io/app,dynamo-iac.io/graph,dynamo-iac.io/component]']);
  });

  it('credentials are Secret references only: the spec refuses an inline URL or key, and no output carries one', () => {
    expect(() => specsFrom('observability: { alerting: { receivers: [{ name: x, type: slack, severities: [critical], secret: { name: s, key: k }, apiURL: "https://hooks.slack.com/services/T/B/X" }] } }')).toThrow(/apiURL|unrecognized|Unrecognized/);
    expect(() => specsFrom('observability: { alerting: { receivers: [{ name: x, type: email, severities: [critical], secret: { name: s, key: k } }] } }')).toThrow(/email\.to/);
    const dumped = JSON.stringify(objects);
    expect(dumped).not.toMatch(/hooks\.slack\.com|events\.pagerduty\.com|"(api_url|routing_key|service_key|url|auth_password)":/);
    for (const r of amc.spec.receivers) {
      for (const c of Object.values(r).flatMap((v) => (Array.isArray(v) ? v : [])) as Record<string, unknown>[]) {
        for (const k of ['apiURL', 'routingKey', 'urlSecret', 'authPassword']) if (k in c) expect(Object.keys(c[k] as object).sort()).toEqual(['key', 'name']);
      }
    }
  });

  it('receivers are written once for every target; synth warns, naming the receivers and the target, where no Prometheus operator routes them', () => {
    expect(problemsOf(RECEIVERS)).toEqual([]);
    // local runs without the operator by default: warned, not refused (the cloud targets route them).
    expect(unroutedReceiverWarnings(specsFrom(RECEIVERS))).toEqual([expect.stringMatching(/^observability\.alerting\.receivers \(oncall, team, hook, mail\) are not routed on target local: its observability\.prometheusOperator is false/)]);
    const eksWithout = specsFrom(`${RECEIVERS}targets: { eks: { observability: { prometheusOperator: false, installStack: false } } }`);
    expect(unroutedReceiverWarnings(eksWithout).map((w) => /on target (\w+)/.exec(w)![1])).toEqual(['local', 'eks']);
    expect(unroutedReceiverWarnings(specsFrom())).toEqual([]);
  });

  it('no receivers (the default): the AlertmanagerConfig still groups and inhibits, routing to a receiver that sends nothing', () => {
    const none = one(synthSpec(specsFrom().eks).objects, 'AlertmanagerConfig', 'dynamo-alerts') as Amc;
    expect(none.spec.receivers).toEqual([{ name: 'default' }]);
    expect(none.spec.route.routes).toEqual([]);
  });
});

describe.skipIf(!hasBinary('amtool', 'prometheus-alertmanager'))('the effective Alertmanager configuration under amtool', () => {
  const write = (strategy: 'OnNamespace' | 'None') => {
    const dir = mkdtempSync(join(tmpdir(), 'amc-'));
    const file = join(dir, 'alertmanager.yaml');
    writeFileSync(file, stringify(effective(amc, strategy, dir)));
    return file;
  };
  const routes = (file: string, labels: string[]) => execFileSync('amtool', ['config', 'routes', 'test', '--config.file', file, ...labels], { encoding: 'utf8' }).trim();

  it('amtool check-config accepts it under both matcher strategies', () => {
    for (const s of ['OnNamespace', 'None'] as const) expect(execFileSync('amtool', ['check-config', write(s)], { encoding: 'utf8' })).toMatch(/SUCCESS/);
  });

  it('with strategy None a graph\'s alert reaches every receiver of its severity; under OnNamespace it would reach none', () => {
    const none = write('None');
    const p = (r: string) => `monitoring/dynamo-alerts/${r}`;
    expect(routes(none, ['alertname=DynamoFrontendDown', 'severity=critical', 'namespace=dynamo-workloads', 'graph=g', 'dynamo_iac=true'])).toBe([p('oncall'), p('team'), p('mail')].join(','));
    expect(routes(none, ['alertname=DynamoWorkerNotReady', 'severity=warning', 'namespace=dynamo-workloads', 'dynamo_iac=true'])).toBe(p('team'));
    expect(routes(none, ['alertname=DynamoGpuIdle', 'severity=info', 'dynamo_iac=true'])).toBe(p('hook'));
    expect(routes(none, ['alertname=Watchdog', 'severity=none'])).toBe('null');
    // The default strategy scopes the route to alerts of the monitoring namespace: the trap the values avoid.
    expect(routes(write('OnNamespace'), ['alertname=DynamoFrontendDown', 'severity=critical', 'namespace=dynamo-workloads', 'dynamo_iac=true'])).toBe('null');
  });

  it('with strategy None only our alerts reach the receivers: another chart\'s critical alert pages nobody', () => {
    const none = write('None');
    const ours = routes(none, ['alertname=DynamoFrontendDown', 'severity=critical', 'namespace=dynamo-workloads', `${DYNAMO_ALERT_LABEL.name}=${DYNAMO_ALERT_LABEL.value}`]);
    expect(ours.split(',')).toContain('monitoring/dynamo-alerts/oncall');
    // kube-prometheus-stack's control-plane alerts fire forever on a managed control plane.
    for (const a of ['KubeControllerManagerDown', 'KubeSchedulerDown', 'KubeProxyDown', 'KubePodCrashLooping']) {
      expect(routes(none, [`alertname=${a}`, 'severity=critical', 'namespace=kube-system'])).toBe('null');
    }
  });

  it('every alert rule we emit carries the label the route matches on', () => {
    const rules = alertRuleGroups({ graphs: [{ name: 'g', ttftP95Ms: 1, itlP95Ms: 1, replicated: true }] }).flatMap((g) => g.rules).filter(isAlert);
    for (const r of rules) expect(r.labels[DYNAMO_ALERT_LABEL.name], r.alert).toBe(DYNAMO_ALERT_LABEL.value);
    expect(amc.spec.route.matchers).toEqual([{ name: DYNAMO_ALERT_LABEL.name, value: DYNAMO_ALERT_LABEL.value, matchType: '=' }]);
  });
});
