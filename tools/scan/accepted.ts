/**
 * The reviewed list of failed checks we accept where checkov has no narrower place for the reason: Terraform JSON
 * (cdktf's output holds no comments, and checkov's terraform_json runner reads no inline skips) and the secrets
 * framework. Kubernetes objects carry theirs as `checkov.io/skip<N>` annotations on the one object instead.
 *
 * Each entry names one check on one resource, the scan targets it applies to, and a one-line reason.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FRAMEWORKS, type Finding, type Framework } from './checkov.js';

export interface Accepted {
  readonly framework: Framework;
  readonly check: string;
  readonly resource: string;
  /** Scan targets (`eks`, `aks`, `gke`, `local`, `dist`, `stacks`) this entry applies to. */
  readonly targets: readonly string[];
  readonly reason: string;
}

const FIELDS = ['framework', 'check', 'resource', 'targets', 'reason'];

/** Reads and checks the accepted list; a malformed entry throws naming the entry, the field and the rule. */
export function parseAccepted(text: string, source: string): Accepted[] {
  const doc = parse(text) as unknown;
  if (!Array.isArray(doc)) throw new Error(`${source}: must be a list of entries`);
  return doc.map((raw: unknown, i) => {
    const at = `${source}[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new Error(`${at}: must be a mapping`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!FIELDS.includes(k)) throw new Error(`${at}: unknown field "${k}" (fields: ${FIELDS.join(', ')})`);
    if (!FRAMEWORKS.includes(e['framework'] as Framework)) throw new Error(`${at}.framework: must be one of ${FRAMEWORKS.join(', ')}, got ${JSON.stringify(e['framework'])}`);
    if (typeof e['check'] !== 'string' || !/^CKV2?_[A-Z0-9_]+$/.test(e['check'])) throw new Error(`${at}.check: must be a checkov id such as CKV_AWS_38, got ${JSON.stringify(e['check'])}`);
    if (typeof e['resource'] !== 'string' || e['resource'] === '' || e['resource'].includes('*')) throw new Error(`${at}.resource: must name one resource exactly (no wildcards), got ${JSON.stringify(e['resource'])}`);
    const targets = e['targets'];
    if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && t !== '')) throw new Error(`${at}.targets: must be a non-empty list of target names`);
    if (typeof e['reason'] !== 'string' || e['reason'].trim().length < 20) throw new Error(`${at}.reason: must say why in at least 20 characters`);
    return { framework: e['framework'] as Framework, check: e['check'], resource: e['resource'], targets: targets as string[], reason: e['reason'].trim() };
  });
}

export const loadAccepted = (file: string): Accepted[] => parseAccepted(readFileSync(file, 'utf8'), file);

/** The verdict on one target's failed checks. */
export interface Verdict {
  readonly open: readonly Finding[];
  readonly accepted: readonly { finding: Finding; entry: Accepted }[];
}

export function judge(framework: Framework, target: string, failed: readonly Finding[], list: readonly Accepted[]): Verdict {
  const open: Finding[] = [];
  const accepted: { finding: Finding; entry: Accepted }[] = [];
  for (const f of failed) {
    const entry = list.find((e) => e.framework === framework && e.check === f.check && e.resource === f.resource && e.targets.includes(target));
    if (entry) accepted.push({ finding: f, entry });
    else open.push(f);
  }
  return { open, accepted };
}
