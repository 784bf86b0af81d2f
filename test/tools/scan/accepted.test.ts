import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, parseAccepted } from '../../../tools/scan/accepted.js';
import { parseCheckovJson } from '../../../tools/scan/checkov.js';
import { ROOT } from '../../support/env.js';

const entry = (over: Record<string, unknown> = {}) =>
  JSON.stringify([{ framework: 'terraform_json', check: 'CKV_AWS_38', resource: 'resource.cluster_1', targets: ['eks'], reason: 'a reason that is long enough', ...over }]);

describe('accepted list', () => {
  it('the project list parses, and every entry names one resource of one check', () => {
    const list = parseAccepted(readFileSync(join(ROOT, 'security', 'checkov-accepted.yaml'), 'utf8'), 'accepted');
    expect(list.length).toBeGreaterThan(0);
    const keys = list.map((e) => `${e.framework} ${e.check} ${e.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    [{ resource: 'resource.*' }, /resource: must name one resource exactly/],
    [{ reason: 'short' }, /reason: must say why/],
    [{ framework: 'helm' }, /framework: must be one of/],
    [{ check: 'K8S_1' }, /check: must be a checkov id/],
    [{ targets: [] }, /targets: must be a non-empty list/],
    [{ scope: 'all' }, /unknown field "scope"/],
  ])('rejects %j', (over, msg) => {
    expect(() => parseAccepted(entry(over), 'f')).toThrow(msg);
  });

  it('accepts a finding only for its framework, check, resource and target', () => {
    const list = parseAccepted(entry(), 'f');
    const f = { check: 'CKV_AWS_38', name: '', resource: 'resource.cluster_1', file: '/cdk.tf.json' };
    expect(judge('terraform_json', 'eks', [f], list).accepted).toHaveLength(1);
    expect(judge('terraform_json', 'aks', [f], list).open).toHaveLength(1);
    expect(judge('terraform_json', 'eks', [{ ...f, resource: 'resource.cluster_2' }], list).open).toHaveLength(1);
    expect(judge('terraform_json', 'eks', [{ ...f, check: 'CKV_AWS_39' }], list).open).toHaveLength(1);
  });
});

describe('checkov JSON', () => {
  it('reads one report, a list of reports, and the bare summary of an empty scan', () => {
    const report = { check_type: 'kubernetes', results: { failed_checks: [{ check_id: 'CKV_K8S_16', check_name: 'privileged', resource: 'Pod.a.b', file_path: '/x.yaml' }] }, summary: { passed: 3, failed: 1, skipped: 2, parsing_errors: 0 } };
    expect(parseCheckovJson(JSON.stringify(report))).toEqual({ passed: 3, skipped: 2, parsingErrors: 0, failed: [{ check: 'CKV_K8S_16', name: 'privileged', resource: 'Pod.a.b', file: '/x.yaml' }] });
    expect(parseCheckovJson(JSON.stringify([report, report])).passed).toBe(6);
    expect(parseCheckovJson(JSON.stringify({ passed: 0, failed: 0, skipped: 0, parsing_errors: 1 })).parsingErrors).toBe(1);
  });
});
