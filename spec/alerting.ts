/**
 * Where alerts go: receivers (Slack, PagerDuty, a generic webhook, e-mail), each taking the alerts of some
 * severities. A credential is only ever named by a Secret reference (a Secret in the observability namespace, read by
 * the Prometheus operator when it renders the Alertmanager configuration): no key, URL or password is written in the
 * spec or in any output.
 */
import { z } from './zod.cjs';
import { DNS_LABEL } from './fields.js';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export const RECEIVER_TYPES = ['slack', 'pagerduty', 'webhook', 'email'] as const;

const secretRef = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a Secret name (DNS subdomain)' }).max(253).describe('Secret in the observability namespace.'),
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { message: 'must be a Secret data key' }).describe('Key of the Secret holding the credential.'),
  })
  .describe('The credential: Slack webhook URL, PagerDuty routing key (Events API v2), webhook URL, or SMTP password.');

export const receiverSchema = z
  .strictObject({
    name: z.string().regex(DNS_LABEL, { message: 'must be a DNS label' }).describe('Receiver name (unique).'),
    type: z.enum(RECEIVER_TYPES).describe('slack, pagerduty, webhook or email.'),
    severities: z.array(z.enum(SEVERITIES)).min(1).describe('Severities routed to this receiver (an alert goes to every receiver of its severity).'),
    secret: secretRef,
    slackChannel: z.string().min(1).optional().describe('Slack channel (type slack), e.g. `#dynamo-alerts`.'),
    email: z
      .strictObject({
        to: z.string().email().describe('Recipient.'),
        from: z.string().email().describe('Sender.'),
        smarthost: z.string().regex(/^[^:\s]+:\d+$/, { message: 'must be host:port' }).describe('SMTP server, host:port.'),
        username: z.string().min(1).describe('SMTP user; the password is the Secret.'),
      })
      .optional()
      .describe('SMTP settings (type email).'),
  })
  .superRefine((r, ctx) => {
    if (r.type === 'email' && !r.email) ctx.addIssue({ code: 'custom', path: ['email'], message: `receiver "${r.name}" of type email needs email.to, from, smarthost and username` });
    if (r.type !== 'email' && r.email) ctx.addIssue({ code: 'custom', path: ['email'], message: `receiver "${r.name}" is of type ${r.type}: email settings apply to type email only` });
    if (r.type !== 'slack' && r.slackChannel) ctx.addIssue({ code: 'custom', path: ['slackChannel'], message: `receiver "${r.name}" is of type ${r.type}: slackChannel applies to type slack only` });
  });

export const alertingSchema = z
  .strictObject({
    receivers: z.array(receiverSchema).describe('Receivers, each `{ name, type: slack|pagerduty|webhook|email, severities: [critical|warning|info], secret: { name, key } }` plus `slackChannel` (slack) or `email: { to, from, smarthost, username }` (email); the credential only as a Secret in the observability namespace. None: alerts are visible in Alertmanager but sent nowhere.'),
    repeatInterval: z.string().regex(/^\d+[smh]$/, { message: 'must be a duration such as 4h' }).describe('How often a firing alert is sent again.'),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.receivers.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `receiver name "${r.name}" is used twice` });
      seen.add(r.name);
    });
  })
  .describe('Alert routing: loaded by Alertmanager as an AlertmanagerConfig (grouping and inhibition built in, routes by severity).');

/** The runbooks file of this repository (docs/runbooks.md). */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/dynamo-iac/dynamo-iac/blob/main/docs/runbooks.md';

export type AlertingSpec = z.output<typeof alertingSchema>;
export type ReceiverSpec = z.output<typeof receiverSchema>;
