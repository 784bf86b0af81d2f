/**
 * The generated parts of README.md, rendered from the code that owns each fact: the version matrix, the
 * prerequisites, and the spec schema with each target's defaults. `npm run docs` writes them; a test fails when the
 * README differs.
 */
import { z } from '../spec/zod.cjs';
import { applyTimeSecrets, externalNamespaces, helmInstallCommand, platformPrerequisites } from '../charts/prerequisites.js';
import { ownStorageClasses, PLATFORM_CHARTS } from '../charts/platform.js';
import { MODEL_STORAGE_CLASS_OUTPUT } from '../constructs/cloud/deploy/model-storage-class.js';
import { exampleRows } from '../spec/examples.js';
import { cloudProfile } from '../spec/profile/index.js';
import { valueAt } from '../spec/errors.js';
import { parseSpecFile, resolveSpecs } from '../spec/load.js';
import { type Spec, specSchema, TARGETS } from '../spec/schema.js';
import { supportRows, versionRows } from '../spec/versions.js';
import { SUPPORT_WARNING_DAYS } from '../spec/kubernetes-support.js';
import { teardownPlan } from '../tools/teardown.js';
import { upgradePlan } from '../tools/upgrade.js';

export const SECTIONS = ['versions', 'install', 'examples', 'upgrade', 'teardown', 'spec'] as const;
export type Section = (typeof SECTIONS)[number];

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderVersions(): string {
  return [
    '| component | artifact | version |',
    '|---|---|---|',
    ...versionRows().map((r) => `| ${cell(r.component)} | \`${cell(r.artifact)}\` | \`${r.version}\` |`),
    '',
    `End of standard support of the pinned Kubernetes minor (\`npm run synth\` warns from ${SUPPORT_WARNING_DAYS} days before it, with the days left, and after it):`,
    '',
    '| cloud | Kubernetes | end of standard support | source |',
    '|---|---|---|---|',
    ...supportRows().map((r) => `| ${r.cloud} | \`${r.minor}\` | ${r.endOfStandardSupport} | ${cell(r.source)} |`),
  ].join('\n');
}

/** What each release needs switched on, for the comment of its command. */
const SWITCH_OF: Readonly<Record<string, string>> = { grove: 'platform.grove.enabled', 'kai-scheduler': 'platform.kai.enabled' };

/**
 * The whole GitOps install of one target with its default spec: the prerequisites the deploy path installs for that
 * target (same charts, versions, namespaces and values), the namespaces and apply-time Secrets, then `dist/<target>/`.
 */
export function renderTargetInstall(spec: Spec): string[] {
  const dist = `dist/${spec.target}`;
  return [
    '```sh',
    ...(ownStorageClasses(cloudProfile(spec)).length
      ? [
          '# 0. our StorageClasses first: claims of the prerequisites use them (the Prometheus volume of kube-prometheus-stack)',
          `kubectl apply -f ${dist}/${PLATFORM_CHARTS.storage}.k8s.yaml`,
        ]
      : []),
    '# 1. prerequisites, pinned by the version matrix, in this order',
    ...platformPrerequisites(spec).map((p) => `${helmInstallCommand(p)}   # ${SWITCH_OF[p.release] ? `with ${SWITCH_OF[p.release]}: ` : ''}${p.reason}`),
    ...(cloudProfile(spec).storage.modelCache?.createdBy === 'cloud'
      ? [`terraform -chdir=cdktf.out/stacks/${spec.target} output -raw ${MODEL_STORAGE_CLASS_OUTPUT} | kubectl apply -f -   # the model StorageClass, with the ids of the storage the stack created`]
      : []),
    '# 2. the namespaces, then the Secrets the manifests name (values from your environment, never from a file here)',
    `kubectl apply -f ${dist}/00-namespace.k8s.yaml -f ${dist}/40-workloads.k8s.yaml`,
    ...externalNamespaces(spec).map((n) => `${n.command}   # ${n.reason}`),
    ...applyTimeSecrets(spec).map((s) => `${s.command}   # ${s.reason}`),
    '# 3. the platform, the KAI queues and the graphs, in file order (00-namespace ... 60-graph-request-*)',
    `kubectl apply -f ${dist}/`,
    '```',
  ];
}

export function renderInstall(): string {
  const specs = resolveSpecs();
  const base = platformPrerequisites(specs.local);
  const withWebhook = platformPrerequisites(resolveSpecs(parseSpecFile('platform: { operator: { webhook: { enabled: true } } }', 'webhook example')).local);
  const webhook = withWebhook.filter((p) => !base.some((b) => b.release === p.release));
  return [
    ...TARGETS.flatMap((t) => [`**\`${t}\`**`, '', ...renderTargetInstall(specs[t]), '']),
    'With `platform.operator.webhook.enabled`, before step 3 on any target:',
    '',
    '```sh',
    ...webhook.map((p) => `${helmInstallCommand(p)}   # ${p.reason}`),
    '```',
  ].join('\n');
}

/** The shipped example graphs. */
export function renderExamples(): string {
  return ['| example | graph |', '|---|---|', ...exampleRows().map((r) => `| \`${r.name}\` | ${cell(r.description)} |`)].join('\n');
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
  default?: unknown;
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
      const localKeys = path[0] === 'cluster' ? 'n/a' : fmt(Object.keys((valueAt(specs.local, path) as object | undefined) ?? {}));
      rows.push(`| \`${path.join('.')}\` | map | ${localKeys} | ${perCloud(keys)} | ${cell(s.description ?? '')} |`);
      walk(s.additionalProperties, [...path, '<name>']);
      return;
    }
    // The value in the first entry of a map that has the field; else the schema's own default.
    const at = (t: (typeof TARGETS)[number]) => {
      const concretes = (i: number, prefix: string[]): string[][] => {
        if (i === path.length) return [prefix];
        if (path[i] !== '<name>') return concretes(i + 1, [...prefix, path[i]!]);
        return Object.keys((valueAt(specs[t], prefix) as object | undefined) ?? {}).flatMap((k) => concretes(i + 1, [...prefix, k]));
      };
      const found = concretes(0, []).map((c) => valueAt(specs[t], c)).find((v) => v !== undefined);
      return found ?? s.default;
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
    case 'examples':
      return renderExamples();
    case 'upgrade':
      return ['```sh', upgradePlan(resolveSpecs().eks), '```'].join('\n');
    case 'teardown':
      return ['```sh', teardownPlan(resolveSpecs().eks), '```'].join('\n');
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
