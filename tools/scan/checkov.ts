/**
 * checkov, the scanner behind `npm run scan`: a Python virtual environment under the project holding exactly the
 * pinned version (created and filled on first use, reused while its version matches), and one run of it over one
 * folder with one framework, parsed from its JSON report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKOV } from '../../spec/scanner-version.js';

/** The checkov frameworks we run: cdktf's JSON, the cdk8s manifests, and secrets over both. */
export const FRAMEWORKS = ['terraform_json', 'kubernetes', 'secrets'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** One failed check, as checkov names it. */
export interface Finding {
  readonly check: string;
  readonly name: string;
  /** checkov's resource id: `Kind.namespace.name` (kubernetes), `<block>.<logical id>` (terraform_json), a hash (secrets). */
  readonly resource: string;
  /** The file, relative to the scanned folder (starts with `/`). */
  readonly file: string;
}

export interface CheckovReport {
  readonly passed: number;
  readonly failed: readonly Finding[];
  /** Checks skipped by a `checkov.io/skip` annotation (from checkov's summary: `--quiet` leaves out their details). */
  readonly skipped: number;
  readonly parsingErrors: number;
  /** Kubernetes files PyYAML rejects (counted in parsingErrors): `file: reason`. */
  readonly unparsable?: readonly string[];
}

export const venvDir = (root: string): string => join(root, '.venv-scan');
export const checkovBin = (root: string): string => join(venvDir(root), 'bin', 'checkov');

const run = (cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv) =>
  spawnSync(cmd, [...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, ...env } });

/** The version of the checkov in the project's virtual environment, or undefined when there is none. */
export function installedCheckov(root: string): string | undefined {
  if (!existsSync(checkovBin(root))) return undefined;
  const r = run(checkovBin(root), ['--version']);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Makes sure `.venv-scan/bin/checkov` is the pinned version: reuses it when it is, otherwise creates the virtual
 * environment (python3 -m venv) and pip-installs checkov==<pin> into it. Throws with the step that failed.
 */
export function ensureCheckov(root: string, log: (line: string) => void = () => {}): string {
  if (installedCheckov(root) === CHECKOV.version) return checkovBin(root);
  const python = process.env['PYTHON'] ?? 'python3';
  if (!existsSync(join(venvDir(root), 'bin', 'pip'))) {
    log(`creating ${venvDir(root)} (${python} -m venv)`);
    const v = run(python, ['-m', 'venv', venvDir(root)]);
    if (v.status !== 0) throw new Error(`${python} -m venv ${venvDir(root)} failed: ${(v.stderr || String(v.error)).trim()}`);
  }
  log(`installing ${CHECKOV.package}==${CHECKOV.version} into ${venvDir(root)}`);
  const pip = run(join(venvDir(root), 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `${CHECKOV.package}==${CHECKOV.version}`]);
  if (pip.status !== 0) throw new Error(`pip install ${CHECKOV.package}==${CHECKOV.version} failed: ${(pip.stderr || String(pip.error)).trim()}`);
  const got = installedCheckov(root);
  if (got !== CHECKOV.version) throw new Error(`${checkovBin(root)} reports version ${got ?? '(none)'} after installing ${CHECKOV.version}`);
  return checkovBin(root);
}

interface RawCheck {
  check_id: string;
  check_name?: string;
  resource: string;
  file_path: string;
}
interface RawReport {
  check_type?: string;
  results?: { failed_checks?: RawCheck[] };
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
}

const finding = (c: RawCheck): Finding => ({
  check: c.check_id,
  name: c.check_name ?? '',
  resource: c.resource,
  file: c.file_path,
});

/** Parses `checkov -o json` output: one report object, a list of them, or a bare summary when nothing was scanned. */
export function parseCheckovJson(text: string): CheckovReport {
  const parsed = JSON.parse(text) as RawReport | RawReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  let passed = 0;
  let parsingErrors = 0;
  let skipped = 0;
  const failed: Finding[] = [];
  for (const r of reports) {
    const s = r.summary ?? (r as unknown as RawReport['summary']);
    passed += s.passed ?? 0;
    parsingErrors += s.parsing_errors ?? 0;
    skipped += s.skipped ?? 0;
    failed.push(...(r.results?.failed_checks ?? []).map(finding));
  }
  return { passed, failed, skipped, parsingErrors };
}

/**
 * One checkov run over `dir` with one framework. Offline (`--skip-download`: no guideline or policy download), soft
 * fail (the verdict is ours: the accepted list decides), JSON on stdout.
 */
export function runCheckov(bin: string, dir: string, framework: Framework): CheckovReport {
  const r = run(bin, ['--directory', dir, '--framework', framework, '--output', 'json', '--compact', '--quiet', '--soft-fail', '--skip-download'], {
    // No telemetry or platform calls from a scan of local files.
    BC_SKIP_MAPPING: 'TRUE',
    CHECKOV_ALLOW_ANONYMOUS_TELEMETRY: 'false',
  });
  if (r.status !== 0 || !r.stdout.trim()) throw new Error(`checkov --framework ${framework} ${dir} failed (exit ${r.status}): ${(r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' | ')}`);
  const report = parseCheckovJson(r.stdout);
  if (framework !== 'kubernetes') return report;
  const unparsable = unparsableYaml(join(dirname(bin), 'python3'), dir);
  return { ...report, parsingErrors: report.parsingErrors + unparsable.length, unparsable };
}

/**
 * The YAML files of a directory that PyYAML's safe loader (checkov's parser) rejects. checkov skips such a file
 * without counting a parsing error, so a file it cannot read would silently go unscanned.
 */
export function unparsableYaml(python: string, dir: string): string[] {
  const script = [
    'import sys, os, yaml',
    'for f in sorted(os.listdir(sys.argv[1])):',
    '    if not f.endswith((".yaml", ".yml")): continue',
    '    try: list(yaml.safe_load_all(open(os.path.join(sys.argv[1], f))))',
    '    except Exception as e: print(f + ": " + str(e).splitlines()[0])',
  ].join('\n');
  const r = run(python, ['-c', script, dir]);
  if (r.status !== 0) throw new Error(`PyYAML could not be run over ${dir}: ${(r.stderr || String(r.error)).trim().split('\n').slice(-1)[0]}`);
  return r.stdout.split('\n').filter(Boolean);
}
