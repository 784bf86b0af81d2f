/**
 * The generated parts of README.md, rendered from the code that owns each fact: the version matrix, the
 * prerequisites, and the spec schema with each target's defaults. `npm run docs` writes them; a test fails when the
 * README differs.
 */
import { z } from 'zod';
import { helmInstallCommand, platformPrerequisites } from '../charts/prerequisites.js';
import { valueAt } from '../spec/errors.js';
import { parseSpecFile, resolveSpecs } from '../spec/load.js';
import { specSchema, TARGETS } from '../spec/schema.js';
import { versionRows } from '../spec/versions.js';

export const SECTIONS = ['versions', 'install', 'spec'] as const;
export type Section = (typeof SECTIONS)[number];

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderVersions(): string {
  return [
    '| component | artifact | version |',
    '|---|---|---|',
    ...versionRows().map((r) => `| ${cell(r.component)} | \`${cell(r.artifact)}\` | \`${r.version}\` |`),
  ].join('\n');
}

export function renderInstall(): string {
  const base = platformPrerequisites(resolveSpecs().local);
  const withWebhook = platformPrerequisites(resolveSpecs(parseSpecFile('platform: { operator: { webhook: { enabled: true } } }', 'webhook example')).local);
  const webhook = withWebhook.filter((p) => !base.some((b) => b.release === p.release));
  return [
    '```sh',
    '# 1. prerequisites, pinned by the version matrix',
    ...base.map((p) => `${helmInstallCommand(p)}   # ${p.reason}`),
    ...webhook.map((p) => `${helmInstallCommand(p)}   # only with platform.operator.webhook.enabled: ${p.reason}`),
    '# 2. the platform of one target, in file order (00-namespace ... 30-dynamo-operator)',
    'kubectl apply -f dist/<target>/',
    '```',
  ].join('\n');
}

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
};

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object') return 'map';
  return s.type ?? 'any';
}

const fmt = (v: unknown): string => (v === undefined ? '-' : `\`${JSON.stringify(v)}\``);

/** One value when the three clouds agree, else all three in eks / aks / gke order. */
function perCloud(value: (t: 'eks' | 'aks' | 'gke') => string): string {
  const vs = (['eks', 'aks', 'gke'] as const).map(value);
  return new Set(vs).size === 1 ? vs[0]! : vs.join(' / ');
}

/** One row per leaf field: path, type, default on local, default on the cloud targets, description. */
export function renderSpec(): string {
  const schema = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const cloud = schema.oneOf!.find((o) => o.properties?.['cluster'])!;
  const specs = resolveSpecs();
  const rows: string[] = [];
  const walk = (s: JsonSchema, path: string[]) => {
    if (s.type === 'object' && s.properties) {
      for (const [k, child] of Object.entries(s.properties)) walk(child, [...path, k]);
      return;
    }
    if (s.type === 'object' && typeof s.additionalProperties === 'object' && s.additionalProperties.properties) {
      const keys = (t: 'eks' | 'aks' | 'gke') => fmt(Object.keys((valueAt(specs[t], path) as object | undefined) ?? {}));
      rows.push(`| \`${path.join('.')}\` | map | ${path[0] === 'cluster' ? 'n/a' : '-'} | ${perCloud(keys)} | ${cell(s.description ?? '')} |`);
      walk(s.additionalProperties, [...path, '<name>']);
      return;
    }
    const at = (t: (typeof TARGETS)[number]) => {
      const concrete = path.map((p, i) => (p === '<name>' ? Object.keys((valueAt(specs[t], path.slice(0, i)) as object | undefined) ?? {})[0] ?? p : p));
      return valueAt(specs[t], concrete);
    };
    rows.push(`| \`${path.join('.')}\` | ${typeOf(s)} | ${path[0] === 'cluster' ? 'n/a' : fmt(at('local'))} | ${perCloud((t) => fmt(at(t)))} | ${cell(s.description ?? '')} |`);
  };
  for (const [k, child] of Object.entries(cloud.properties!)) if (k !== 'target') walk(child, [k]);
  return ['| field | type | default: local | default: eks / aks / gke | description |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function renderSection(section: Section): string {
  switch (section) {
    case 'versions':
      return renderVersions();
    case 'install':
      return renderInstall();
    case 'spec':
      return renderSpec();
  }
}

const marker = (section: Section, end: boolean) => `<!-- ${end ? 'END' : 'BEGIN'} GENERATED: ${section} (npm run docs) -->`;

/** The README with every generated section replaced by its current rendering. Throws if a marker is missing. */
export function updateReadme(readme: string): string {
  let out = readme;
  for (const section of SECTIONS) {
    const begin = marker(section, false);
    const end = marker(section, true);
    const i = out.indexOf(begin);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md: missing ${begin} ... ${end}`);
    out = `${out.slice(0, i + begin.length)}\n${renderSection(section)}\n${out.slice(j)}`;
  }
  return out;
}
