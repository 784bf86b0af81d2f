/**
 * What `npm run scan` scans: every cloud stack's cdk.tf.json (terraform_json), every Kubernetes target folder
 * (kubernetes), and the secrets framework over both output trees.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework } from './checkov.js';

export interface ScanTarget {
  readonly framework: Framework;
  /** `eks`, `aks`, `gke`, `local` for one stack or target; `dist` and `stacks` for the secrets scans. */
  readonly name: string;
  readonly dir: string;
}

const subdirs = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

export function scanTargets(dist: string, tfOut: string): ScanTarget[] {
  const stacks = join(tfOut, 'stacks');
  const tf = subdirs(stacks)
    .filter((s) => existsSync(join(stacks, s, 'cdk.tf.json')))
    .map((name): ScanTarget => ({ framework: 'terraform_json', name, dir: join(stacks, name) }));
  const k8s = subdirs(dist).map((name): ScanTarget => ({ framework: 'kubernetes', name, dir: join(dist, name) }));
  const secrets: ScanTarget[] = [
    ...(k8s.length ? [{ framework: 'secrets' as const, name: 'dist', dir: dist }] : []),
    ...(tf.length ? [{ framework: 'secrets' as const, name: 'stacks', dir: stacks }] : []),
  ];
  return [...tf, ...k8s, ...secrets];
}
