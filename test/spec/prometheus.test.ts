/**
 * observability.prometheus: the formats kube-prometheus-stack passes to Prometheus (operator Duration and ByteSize,
 * restricted to the units Prometheus documents for its flags), and the headroom rule of Prometheus's storage
 * documentation (retention size at most 80-85% of the disk: WAL and compactions need the rest). Each refusal names
 * the field, the value and the rule.
 */
import { describe, expect, it } from 'vitest';
import { byteSizeToBytes, durationSeconds } from '../../spec/prometheus.js';
import { problemsOf, specsFrom } from '../support/synth.js';

const withPrometheus = (fields: string) => `observability: { prometheus: { ${fields} } }`;

describe('observability.prometheus', () => {
  it('the defaults are valid on every target and leave the headroom Prometheus asks for', () => {
    expect(problemsOf('')).toEqual([]);
    for (const spec of Object.values(specsFrom())) {
      const p = spec.observability.prometheus;
      expect(byteSizeToBytes(p.retentionSize)).toBeLessThanOrEqual(0.85 * 50 * 2 ** 30);
      expect(p.storage).toBe('50Gi');
      expect(p.retention).toBe('15d');
    }
  });

  it('refuses a retention size that leaves less than 15% of the volume, naming both values', () => {
    const problems = problemsOf(withPrometheus('retentionSize: 45GB, storage: 50Gi'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/observability\.prometheus\.retentionSize.*"45GB".*85% of storage "50Gi".*WAL and compactions.*at most 42GB/);
    // Exactly at the limit is accepted; growing the volume is the other way out.
    expect(problemsOf(withPrometheus('retentionSize: 42GB, storage: 50Gi'))).toEqual([]);
    expect(problemsOf(withPrometheus('retentionSize: 45GB, storage: 60Gi'))).toEqual([]);
    // Decimal quantities count in powers of ten: 50G is less than 50Gi.
    expect(problemsOf(withPrometheus('retentionSize: 40GB, storage: 50G')).join('\n')).toMatch(/retentionSize "40GB"/);
  });

  it('refuses units Prometheus does not document for its size flag, and volume sizes that are not bytes', () => {
    expect(problemsOf(withPrometheus('retentionSize: 40GiB')).join('\n')).toMatch(/retentionSize must be a Prometheus size such as 40GB \(units B, KB, MB, GB/);
    expect(problemsOf(withPrometheus('retentionSize: 40G')).join('\n')).toMatch(/retentionSize must be a Prometheus size/);
    expect(problemsOf(withPrometheus('storage: 500m')).join('\n')).toMatch(/storage "500m" must be a byte quantity/);
  });

  it('refuses durations Prometheus cannot parse, and a zero retention', () => {
    expect(problemsOf(withPrometheus('retention: 2 weeks')).join('\n')).toMatch(/retention must be a Prometheus duration such as 15d/);
    expect(problemsOf(withPrometheus('retention: 1h1d')).join('\n')).toMatch(/retention must be a Prometheus duration/);
    expect(problemsOf(withPrometheus('retention: "0"')).join('\n')).toMatch(/retention must be longer than 0/);
    expect(problemsOf(withPrometheus('retention: 1y2w'))).toEqual([]);
  });

  it('keeps the scrape interval between 5s and 1m (the dashboards rate over 5m windows)', () => {
    expect(problemsOf(withPrometheus('scrapeInterval: 2m')).join('\n')).toMatch(/scrapeInterval must be between 5s and 1m: the dashboards rate over 5m windows/);
    expect(problemsOf(withPrometheus('scrapeInterval: 1s')).join('\n')).toMatch(/scrapeInterval must be between 5s and 1m/);
    expect(problemsOf(withPrometheus('scrapeInterval: 1m'))).toEqual([]);
    expect(problemsOf(withPrometheus('scrapeInterval: 5s'))).toEqual([]);
  });

  it('reads sizes and durations as Prometheus does (powers of 2; every unit)', () => {
    expect(byteSizeToBytes('1KB')).toBe(1024);
    expect(byteSizeToBytes('40GB')).toBe(40 * 2 ** 30);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('1w1d')).toBe(8 * 86400);
    expect(durationSeconds('500ms')).toBe(0.5);
  });

  it('refuses an invalid storage class name', () => {
    expect(problemsOf(withPrometheus('storageClass: Fast_SSD')).join('\n')).toMatch(/storageClass must be a StorageClass name/);
  });
});
