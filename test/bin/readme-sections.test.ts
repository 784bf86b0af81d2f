/**
 * The GitOps install commands the README prints for a target install exactly what the deploy path of that target
 * installs: for every `helm_release` of each cloud stack's Terraform JSON, the target's README block has a command
 * with the same chart, version, namespace and values; and each GPU node gets its driver from exactly one installer
 * (the node image or GKE, else the GPU Operator).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderInstall, renderTargetInstall } from '../../bin/readme-sections.js';
import { MODEL_STORAGE_CLASS_OUTPUT } from '../../constructs/cloud/deploy/model-storage-class.js';
import { buildTerraformApp } from '../../stacks/app.js';
import { CLOUD_TARGETS, type CloudTarget, type Target } from '../../spec/schema.js';
import { ROOT } from '../support/env.js';
import { specsFrom } from '../support/synth.js';

type Resource = Record<string, unknown>;
interface TfJson {
  resource: Record<string, Record<string, Resource>>;
  output: Record<string, { value: unknown }>;
}
interface HelmRelease {
  name: string;
  namespace: string;
  create_namespace?: boolean;
  chart: string;
  repository?: string;
  version?: string;
  set?: { name: string; value: string }[];
  values?: string[];
}

/** Spec variants that switch on every optional release of the deploy path (EFA, Lustre, local NVMe, webhook). */
const VARIANTS: Record<string, string | undefined> = {
  defaults: undefined,
  everything: `
platform: { operator: { webhook: { enabled: true } } }
observability: { tracing: { enabled: true, install: true } }
targets:
  eks: { cluster: { gpuPools: { gpu: { fastNetwork: true, instanceType: p5.48xlarge, gpusPerNode: 8, accelerator: nvidia-h100-80gb } } } }
  aks: { cluster: { modelStorage: { compilationCache: local } } }
  gke: { cluster: { modelStorage: { kind: lustre, size: 36000Gi } } }
`,
};

function synthStacks(yaml: string | undefined): Record<CloudTarget, TfJson> {
  const out = mkdtempSync(join(tmpdir(), 'readme-install-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return Object.fromEntries(CLOUD_TARGETS.map((t) => [t, JSON.parse(readFileSync(join(out, 'stacks', t, 'cdk.tf.json'), 'utf8')) as TfJson])) as Record<CloudTarget, TfJson>;
}

/** Shell words of a command line (quotes kept out, `$(...)` inside double quotes kept as text), comment dropped. */
function words(line: string): string[] {
  const code = line.split('   # ')[0]!;
  return [...code.matchAll(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g)].map((m) => m[0].replace(/'([^']*)'|"([^"]*)"/g, (_, a: string | undefined, b: string | undefined) => a ?? `"${b}"`));
}

/** What a `helm upgrade --install` line installs, in the shape of a helm_release. */
function parseHelm(line: string): HelmRelease & { set: { name: string; value: string }[]; json: Record<string, unknown> } {
  const w = words(line);
  expect(w.slice(0, 3)).toEqual(['helm', 'upgrade', '--install']);
  const release: HelmRelease & { set: { name: string; value: string }[]; json: Record<string, unknown> } = { name: w[3]!, chart: w[4]!, namespace: '', create_namespace: false, set: [], json: {} };
  for (let i = 5; i < w.length; i++) {
    const flag = w[i]!;
    const arg = () => w[++i]!;
    if (flag === '--repo') release.repository = arg();
    else if (flag === '--version') release.version = arg();
    else if (flag === '--namespace') release.namespace = arg();
    else if (flag === '--create-namespace') release.create_namespace = true;
    else if (flag === '--set') {
      const [name, ...rest] = arg().split('=');
      release.set.push({ name: name!, value: rest.join('=') });
    } else if (flag === '--set-json') {
      const [name, ...rest] = arg().split('=');
      let cur = release.json;
      const keys = name!.split('.');
      for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
      cur[keys.at(-1)!] = JSON.parse(rest.join('='));
    } else throw new Error(`unexpected word ${flag} in: ${line}`);
  }
  // An oci:// chart is written as <registry path>/<chart>; helm_release splits it into repository and chart.
  if (release.chart.startsWith('oci://')) {
    const at = release.chart.lastIndexOf('/');
    release.repository = release.chart.slice(0, at);
    release.chart = release.chart.slice(at + 1);
  }
  return release;
}

/** A Terraform output the README reads with `terraform -chdir=cdktf.out/stacks/<target> output -raw <name>`. */
const OUTPUT_READ = /^"\$\(terraform -chdir=cdktf\.out\/stacks\/([a-z]+) output -raw ([a-z_]+)\)"$/;

/** The helm_releases in the order the deploy path installs them: each depends on the one before. */
function installOrder(tf: TfJson): HelmRelease[] {
  const byId = tf.resource['helm_release'] ?? {};
  const after = (id: string) => Object.entries(byId).find(([, r]) => (r['depends_on'] as string[] | undefined)?.includes(`helm_release.${id}`))?.[0];
  const first = Object.entries(byId).filter(([, r]) => !(r['depends_on'] as string[] | undefined)?.some((d) => d.startsWith('helm_release.')));
  expect(first.length).toBe(1);
  const order: string[] = [];
  for (let id: string | undefined = first[0]![0]; id !== undefined; id = after(id)) order.push(id);
  expect(order.length).toBe(Object.keys(byId).length);
  return order.map((id) => byId[id] as unknown as HelmRelease);
}

const helmLines = (block: string[]) => block.filter((l) => l.startsWith('helm upgrade --install '));
const readmeInstall = () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const begin = '<!-- BEGIN GENERATED: install (npm run docs) -->';
  return readme.slice(readme.indexOf(begin) + begin.length, readme.indexOf('<!-- END GENERATED: install (npm run docs) -->'));
};
/** The fenced block of one target in the README's install section. */
const readmeBlock = (target: Target) => {
  const section = readmeInstall();
  const from = section.indexOf(`**\`${target}\`**`);
  expect(from, `README install section has a block for ${target}`).toBeGreaterThanOrEqual(0);
  const open = section.indexOf('```sh', from);
  return section.slice(open, section.indexOf('```\n', open + 5) + 3).split('\n');
};

describe.each(Object.keys(VARIANTS))('README install commands against the deploy path (%s spec)', (variant) => {
  const yaml = VARIANTS[variant];
  const stacks = synthStacks(yaml);
  const specs = specsFrom(yaml);

  it.each(CLOUD_TARGETS)('%s: every remote helm_release has a command in the target\'s block with the same chart, version, namespace and values, in the same order', (target) => {
    const tf = stacks[target];
    const block = variant === 'defaults' ? readmeBlock(target) : renderTargetInstall(specs[target]);
    if (variant === 'defaults') expect(block).toEqual(renderTargetInstall(specs[target]));
    const commands = helmLines(block).map(parseHelm);
    const remote = installOrder(tf).filter((r) => !r.chart.startsWith('assets/'));
    expect(remote.length).toBeGreaterThan(0);
    // Same releases, same order (the deploy path chains them; the README lists them in install order).
    expect(commands.map((c) => c.name)).toEqual(remote.map((r) => r.name));
    for (const r of remote) {
      const c = commands.find((x) => x.name === r.name)!;
      expect({ chart: c.chart, repository: c.repository, version: c.version, namespace: c.namespace, create: c.create_namespace }, r.name).toEqual({
        chart: r.chart,
        repository: r.repository,
        version: r.version,
        namespace: r.namespace,
        create: r.create_namespace ?? false,
      });
      const tfSet = r.set ?? [];
      expect(c.set.map((s) => s.name), r.name).toEqual(tfSet.map((s) => s.name));
      for (const s of tfSet) {
        const readme = c.set.find((x) => x.name === s.name)!.value;
        const read = OUTPUT_READ.exec(readme);
        if (read) {
          // A value known only after apply: the README reads the stack output that holds the same expression.
          expect(read[1]).toBe(target);
          expect(tf.output[read[2]!]?.value, `${r.name} ${s.name}`).toBe(s.value);
        } else expect(readme, `${r.name} ${s.name}`).toBe(s.value);
      }
      expect(c.json, r.name).toEqual(r.values ? parse(r.values[0]!) : {});
    }
  });

  it.each(CLOUD_TARGETS)('%s: the releases of our own charts have their GitOps step: the model StorageClass from the stack output holding the same object, then dist/<target>/', (target) => {
    const tf = stacks[target];
    const block = renderTargetInstall(specs[target]);
    const local = installOrder(tf).filter((r) => r.chart.startsWith('assets/'));
    expect(local.map((r) => r.name).filter((n) => n !== 'dynamo-iac-storage' && n !== 'dynamo-iac-storage-classes')).toEqual(['dynamo-iac-platform']);
    expect(block).toContain(`kubectl apply -f dist/${target}/`);
    // Our StorageClasses go first on both paths (claims of the prerequisites use them): a release before every
    // prerequisite, a kubectl line before the first helm line.
    const classes = local.find((r) => r.name === 'dynamo-iac-storage-classes');
    const classesLine = block.indexOf(`kubectl apply -f dist/${target}/01-storage-classes.k8s.yaml`);
    expect(classesLine >= 0, 'README applies 01-storage-classes exactly when the deploy path has its release').toBe(Boolean(classes));
    if (classes) {
      expect(installOrder(tf)[0]!.name).toBe('dynamo-iac-storage-classes');
      expect(classesLine).toBeLessThan(block.findIndex((l) => l.startsWith('helm upgrade --install ')));
    }
    const storage = local.find((r) => r.name === 'dynamo-iac-storage');
    const output = tf.output[MODEL_STORAGE_CLASS_OUTPUT]?.value as string | undefined;
    const command = block.find((l) => l.includes(`output -raw ${MODEL_STORAGE_CLASS_OUTPUT} | kubectl apply -f -`));
    // The three exist together or not at all (with the deploy path on, as here).
    expect({ release: Boolean(storage), output: Boolean(output), command: Boolean(command) }).toEqual({ release: Boolean(output), output: Boolean(command), command: Boolean(storage) });
    // EFS or FSx on eks, Lustre on aks; gke's classes name only the VPC, so they are ours in dist/gke (none here).
    expect(Boolean(storage)).toBe(target !== 'gke');
    if (!storage) return;
    expect(command!.startsWith(`terraform -chdir=cdktf.out/stacks/${target} `)).toBe(true);
    // One object, two encodings: jsonencode(X) for kubectl, yamlencode({storageClass = X}) for the chart's template.
    const inner = /^\$\{jsonencode\((.*)\)\}$/s.exec(output!)?.[1];
    expect(inner).toMatch(/"kind" = "StorageClass"/);
    expect(storage.values).toEqual([`\${yamlencode({"storageClass" = ${inner}})}`]);
  });
});

describe('GPU driver: exactly one installer per GPU node, on the deploy path and in the README', () => {
  const stacks = synthStacks(undefined);
  /** Whether the GPU nodes of the stack come with a driver (node image or the cloud's installer). */
  const nodesHaveDriver = (target: CloudTarget): boolean => {
    const r = stacks[target].resource;
    const all = (type: string) => Object.values(r[type] ?? {});
    if (target === 'eks') {
      const gpu = all('aws_eks_node_group').filter((g) => String(g['ami_type']).includes('NVIDIA'));
      expect(gpu.length).toBeGreaterThan(0);
      return true;
    }
    if (target === 'aks') {
      const gpu = all('azurerm_kubernetes_cluster_node_pool').filter((p) => /^Standard_N/.test(String(p['vm_size'])));
      expect(gpu.length).toBeGreaterThan(0);
      const none = gpu.map((p) => p['gpu_driver'] === 'None');
      expect(new Set(none).size).toBe(1);
      return !none[0];
    }
    const gpu = all('google_container_node_pool').flatMap((p) => ((p['node_config'] as { guest_accelerator?: Record<string, unknown>[] }).guest_accelerator ?? []));
    expect(gpu.length).toBeGreaterThan(0);
    return gpu.every((a) => a['gpu_driver_installation_config'] !== undefined);
  };
  const operatorDriver = (release: HelmRelease | undefined) => release && (release.set ?? []).find((s) => s.name === 'driver.enabled')?.value;

  it.each(CLOUD_TARGETS)('%s: the GPU Operator installs the driver exactly when the nodes have none; the README command says the same', (target) => {
    const releases = Object.values(stacks[target].resource['helm_release'] ?? {}) as unknown as HelmRelease[];
    const gpuOperator = releases.find((r) => r.name === 'gpu-operator');
    const readme = helmLines(readmeBlock(target)).map(parseHelm).find((c) => c.name === 'gpu-operator');
    if (nodesHaveDriver(target)) {
      // EKS: the NVIDIA AMI; GKE: gpu_driver_installation_config (GKE also runs its own device plugin).
      if (gpuOperator) expect(operatorDriver(gpuOperator)).toBe('false');
      if (readme) expect(readme.set).toContainEqual({ name: 'driver.enabled', value: 'false' });
    } else {
      // AKS pools with gpu_driver None: nothing else loads the kernel module.
      expect(operatorDriver(gpuOperator)).toBe('true');
      expect(readme?.set).toContainEqual({ name: 'driver.enabled', value: 'true' });
      expect(readme?.set).toContainEqual({ name: 'toolkit.enabled', value: 'true' });
    }
    expect(Boolean(gpuOperator)).toBe(target !== 'gke');
    expect(Boolean(readme)).toBe(target !== 'gke');
  });

  it('the README has one block per target and no shared multi-target line', () => {
    const section = renderInstall();
    for (const t of ['local', ...CLOUD_TARGETS] as const) expect(section).toContain(`**\`${t}\`**`);
    expect(section).not.toMatch(/default on (eks|aks|gke), /);
    expect(section).not.toContain('dist/<target>');
  });
});
