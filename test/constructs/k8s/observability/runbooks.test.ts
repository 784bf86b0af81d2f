/**
 * Runbooks: every alert links `<observability.runbookBaseUrl>#<anchor>`, the default base is this repository's
 * docs/runbooks.md, and that file has the anchor (GitHub's heading slug) with the three parts of a runbook: what it
 * means, the first three commands, the fix. No section is left for an alert that no longer exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRuleGroups, isAlert, type AlertRule } from '../../../../constructs/k8s/observability/alert-rules.js';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../../../spec/alerting.js';
import { ROOT } from '../../../support/env.js';
import { one, specsFrom, synthSpec } from '../../../support/synth.js';

const FILE = join(ROOT, 'docs', 'runbooks.md');
const text = readFileSync(FILE, 'utf8');
/** GitHub's anchor of a heading: lower case, punctuation other than '-' and '_' removed, spaces as '-'. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const sections = new Map(text.split(/^## /m).slice(1).map((s) => [slug(s.split('\n')[0]!), s] as const));
const rulesOf = (yaml?: string) => {
  const rule = one(synthSpec(specsFrom(yaml).eks).objects, 'PrometheusRule', 'dynamo-alerts') as unknown as { spec: { groups: { rules: AlertRule[] }[] } };
  return rule.spec.groups.flatMap((g) => g.rules).filter(isAlert);
};

describe('runbooks', () => {
  const alerts = [...new Set(alertRuleGroups({ graphs: [{ name: 'g', ttftP95Ms: 1000, itlP95Ms: 50, replicated: true }] }).flatMap((g) => g.rules).filter(isAlert).map((r) => r.alert))];

  it('the default runbook base is this repository\'s docs/runbooks.md, and every emitted alert links into it', () => {
    expect(DEFAULT_RUNBOOK_BASE_URL).toMatch(/\/blob\/main\/docs\/runbooks\.md$/);
    const rules = rulesOf();
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) {
      const [base, anchor] = r.annotations.runbook_url.split('#');
      expect(base).toBe(DEFAULT_RUNBOOK_BASE_URL);
      expect(sections.has(anchor!), `${r.alert}: #${anchor} in docs/runbooks.md`).toBe(true);
    }
  });

  it('observability.runbookBaseUrl moves every link', () => {
    for (const r of rulesOf('observability: { runbookBaseUrl: "https://wiki.example.com/dynamo/runbooks" }')) {
      expect(r.annotations.runbook_url).toBe(`https://wiki.example.com/dynamo/runbooks#${r.alert.toLowerCase()}`);
    }
    expect(() => specsFrom('observability: { runbookBaseUrl: "not a url" }')).toThrow(/runbookBaseUrl/);
  });

  it('every alert has a section with what it means, the first three commands and the fix; no section without an alert', () => {
    for (const a of alerts) {
      const s = sections.get(slug(a));
      expect(s, `section for ${a}`).toBeDefined();
      expect(s).toContain('**What it means.**');
      expect(s).toContain('**The fix.**');
      const commands = /\*\*First three commands\.\*\*\n```sh\n([\s\S]*?)\n```/.exec(s!)?.[1]?.split('\n') ?? [];
      expect(commands, `${a}: three commands`).toHaveLength(3);
    }
    expect([...sections.keys()].sort()).toEqual(alerts.map(slug).sort());
  });
});
