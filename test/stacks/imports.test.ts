/**
 * Synth speed and memory: no provider barrel anywhere, a stack's import graph reaches only its own provider, and the
 * big CommonJS packages load through require (the .cts facades), not through Node's ES module loader.
 * Checked on the sources (static imports), so a new transitive import cannot slip a second provider in.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/env.js';

const SOURCE_DIRS = ['spec', 'constructs', 'charts', 'stacks', 'bin', 'test'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.c?ts$/.test(p) ? [p] : [];
  });
}
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}
/** Every module a source file reaches through static imports: local files followed, packages collected. */
function reach(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const spec of importsOf(f)) {
      if (spec.startsWith('.')) walk(resolve(dirname(f), spec.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts')));
      else packages.add(spec);
    }
  };
  walk(entry);
  return packages;
}

describe('provider imports', () => {
  const all = SOURCE_DIRS.flatMap((d) => files(join(ROOT, d)));

  it('no source file imports a provider package through its barrel', () => {
    const barrels = all.flatMap((f) => importsOf(f).filter((s) => /^@cdktf\/provider-[a-z]+$/.test(s)).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(barrels).toEqual([]);
    // The scanner does see provider imports, so the empty list above means something.
    expect(importsOf(join(ROOT, 'constructs', 'cloud', 'aws', 'provider.cts')).some((s) => s.startsWith('@cdktf/provider-aws/lib/'))).toBe(true);
  });

  it('deep imports end in /index.js (native ESM has no directory imports)', () => {
    const bad = all.flatMap((f) => importsOf(f).filter((s) => s.startsWith('@cdktf/provider-') && !s.endsWith('/index.js')).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(bad).toEqual([]);
  });

  it.each([
    ['eks-stack.ts', 'aws'],
    ['aks-stack.ts', 'azurerm'],
    ['gke-stack.ts', 'google'],
  ])('%s reaches only @cdktf/provider-%s (and the shared deploy path, @cdktf/provider-helm)', (file, provider) => {
    const providers = [...reach(join(ROOT, 'stacks', file))].filter((p) => p.startsWith('@cdktf/provider-')).map((p) => p.split('/')[1]);
    const allowed = new Set([`provider-${provider}`, 'provider-helm']);
    expect(providers.filter((p) => !allowed.has(p!))).toEqual([]);
    expect(providers).toContain(`provider-${provider}`);
  });

  it.each([
    ['the Kubernetes layer', join('charts', 'synth.ts')],
    ['the package root (what other apps import)', 'index.ts'],
  ])('%s reaches no provider package and no cdktf', (_, entry) => {
    const pkgs = [...reach(join(ROOT, entry))];
    expect(pkgs).toContain('cdk8s');
    expect(pkgs.filter((p) => p.startsWith('@cdktf/') || p === 'cdktf')).toEqual([]);
  });
});

/**
 * The CommonJS packages whose loading dominates the synth's start: imported from an ES module, Node runs each of
 * their files through its module syntax detection and its export lexer before require runs it (for the provider
 * modules and cdk8s-plus-28's 2.7 MB imports/k8s.js, more CPU than the loading itself). Their classes come from
 * CommonJS facades (.cts, TypeScript's named re-exports, which the lexer reads without opening the package).
 */
const COMMONJS_PACKAGES = /^(?:cdktf|cdk8s|zod|cdk8s-plus-28\/.*|@cdktf\/provider-[a-z]+\/.*)$/;
/** `import { ... } from` and `export ... from` statements that load a module at run time (not `import type`). */
const VALUE_IMPORT = /(?:^|\n)\s*(?:import(?!\s+type\s)|export(?!\s+type\s))\s[^'"]*?from\s+['"]([^'"]+)['"]/g;

describe('CommonJS packages load through require', () => {
  const product = ['spec', 'constructs', 'charts', 'stacks', 'bin', 'tools'].flatMap((d) => files(join(ROOT, d))).concat(join(ROOT, 'index.ts'));
  const valueImports = (f: string) => [...readFileSync(f, 'utf8').matchAll(VALUE_IMPORT)].map((m) => m[1]!).filter((s) => COMMONJS_PACKAGES.test(s));

  it('ES module sources take their classes from the .cts facades, and types only (import type) from the packages', () => {
    const direct = product.filter((f) => f.endsWith('.ts')).flatMap((f) => valueImports(f).map((s) => `${relative(ROOT, f)}: ${s}`));
    const hint = 'import these classes from a facade (spec/zod.cts, constructs/cloud/cdktf.cts, constructs/cloud/{aws,azure,gcp}/provider.cts, constructs/cloud/deploy/helm-provider.cts, constructs/k8s/common/{cdk8s,kube}.cts; add the class there), and types with `import type`';
    expect(direct, hint).toEqual([]);
  });

  it('the facades do load the packages, so the rule above is checked against real imports', () => {
    const facades = product.filter((f) => f.endsWith('.cts'));
    const loaded = new Set(facades.flatMap(valueImports).map((s) => s.replace(/^(@cdktf\/provider-[a-z]+|cdk8s-plus-28)\/.*/, '$1')));
    expect([...loaded].sort()).toEqual(['@cdktf/provider-aws', '@cdktf/provider-azurerm', '@cdktf/provider-google', '@cdktf/provider-helm', 'cdk8s', 'cdk8s-plus-28', 'cdktf', 'zod']);
  });
});
