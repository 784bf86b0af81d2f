/**
 * Prometheus's retention and volume values: the class is never left unset on a cloud (EKS 1.30+ has no default
 * StorageClass, so the claim would stay Pending), and targets without kube-prometheus-stack get no invented objects,
 * only the flags of the user's own Prometheus in the README (retention is a command-line flag, not prometheus.yml).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformPrerequisites } from '../../charts/prerequisites.js';
import { prometheusRetentionFlags, prometheusStorageClass } from '../../charts/prometheus-storage.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { ROOT } from '../support/env.js';
import { specsFrom, synthSpec } from '../support/synth.js';

describe('Prometheus retention and storage', () => {
  const specs = specsFrom();

  it.each(CLOUD_TARGETS)('%s: the claim always names a class, the profile\'s block class by default', (target) => {
    expect(prometheusStorageClass(specs[target])).toMatch(/^[a-z0-9-]+$/);
    const own = specsFrom('observability: { prometheus: { storageClass: my-ssd } }')[target];
    expect(prometheusStorageClass(own)).toBe('my-ssd');
  });

  it('without kube-prometheus-stack nothing claims a volume and retention is not written into prometheus.yml', () => {
    const local = specs.local;
    expect(platformPrerequisites(local).map((p) => p.release)).not.toContain('kube-prometheus-stack');
    const observability = synthSpec(local).objects.filter((o) => o.metadata.namespace === local.observability.namespace);
    expect(observability.map((o) => o.kind)).toContain('ConfigMap');
    expect(observability.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(JSON.stringify(observability)).not.toMatch(/retention|storage\.tsdb/);
  });

  it('the README prints the retention flags of the spec for a Prometheus of the user\'s own', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${prometheusRetentionFlags(specs.local).join(' ')}\``);
  });
});
