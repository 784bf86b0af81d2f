/**
 * How the Prometheus of the deploy path keeps its data: how long (retention), how much (retentionSize), on what volume
 * (storage, storageClass), and how often it scrapes. Seed 002 asks for a sensible scrape interval and retention, so
 * that observability never becomes the bottleneck itself.
 *
 * The formats are the Prometheus operator's (v0.90 `Duration` and `ByteSize`, which kube-prometheus-stack passes to
 * Prometheus's `--storage.tsdb.retention.time` and `--storage.tsdb.retention.size` flags); a size takes only the units
 * Prometheus documents for that flag (B, KB, MB, GB, TB, PB, EB; powers of 2), which the operator's pattern also admits.
 */
import { z } from './zod.cjs';
import { quantityToBytes } from '../constructs/k8s/common/quantity.js';
import { quantity } from './fields.js';

/** Prometheus's documented advice (docs/storage.md): retention size at most 80-85% of the disk, the rest for compactions and the WAL. */
export const RETENTION_SIZE_MAX_SHARE = 0.85;

const DURATION = /^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$/;
const DURATION_LIMIT = /^([0-9]+[ywdhms]|[0-9]+ms)+$/;
const DURATION_UNITS: Record<string, number> = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds of a Prometheus duration such as `1h30m`. */
export function durationSeconds(d: string): number {
  return [...d.matchAll(/([0-9]+)(ms|[ywdhms])/g)].reduce((sum, m) => sum + Number(m[1]) * DURATION_UNITS[m[2]!]!, 0);
}

const BYTE_SIZE = /^([0-9]+)(B|KB|MB|GB|TB|PB|EB)$/;
const BYTE_FACTORS: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

/** Bytes of a Prometheus size such as `40GB` (powers of 2: 1KB is 1024B). */
export function byteSizeToBytes(size: string): number {
  const m = BYTE_SIZE.exec(size);
  if (!m) throw new Error(`size "${size}": must be a Prometheus size such as 40GB`);
  return Number(m[1]) * BYTE_FACTORS[m[2]!]!;
}

const duration = (what: string) =>
  z
    .string()
    .regex(DURATION, { message: `${what} must be a Prometheus duration such as 15d, 12h or 30s (units y, w, d, h, m, s, ms, largest first)` })
    .refine((d) => d !== '0' && d !== '', { message: `${what} must be longer than 0` });

export const prometheusSchema = z
  .strictObject({
    retention: duration('retention').describe('How long Prometheus keeps samples (`--storage.tsdb.retention.time`, the Prometheus CR\'s `retention`), e.g. `15d`.'),
    retentionSize: z
      .string()
      .regex(BYTE_SIZE, { message: 'retentionSize must be a Prometheus size such as 40GB (units B, KB, MB, GB, TB, PB, EB; powers of 2)' })
      .describe('Most bytes of blocks Prometheus keeps before deleting the oldest (`--storage.tsdb.retention.size`), whichever of the two limits comes first. At most 85% of `storage`: the WAL and compactions need the rest (Prometheus\'s storage documentation).'),
    storage: quantity.describe('Size of Prometheus\'s persistent volume (the claim of its StatefulSet), e.g. `50Gi`.'),
    storageClass: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'storageClass must be a StorageClass name (DNS subdomain)' })
      .max(253)
      .optional()
      .describe('StorageClass of the volume. @default the target\'s block storage class of the cloud profile (EKS `gp3-encrypted`, AKS `managed-csi-premium`, GKE `premium-rwo`); it must exist before kube-prometheus-stack is installed.'),
    scrapeInterval: duration('scrapeInterval')
      .refine((d) => !DURATION_LIMIT.test(d) || (durationSeconds(d) >= 5 && durationSeconds(d) <= 60), {
        message: 'scrapeInterval must be between 5s and 1m: the dashboards rate over 5m windows and need at least four samples in one',
      })
      .describe('How often Prometheus scrapes the targets of kube-prometheus-stack\'s own monitors (kubelet, cAdvisor, node exporter, kube-state-metrics: most of the series), the Prometheus CR\'s `scrapeInterval`. Our Dynamo, NATS, etcd and DCGM monitors keep their own 15s: the alert rules rate over 1m windows.'),
  })
  .superRefine((p, ctx) => {
    let volume: number;
    try {
      volume = quantityToBytes(p.storage);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['storage'], message: `storage "${p.storage}" must be a byte quantity such as 50Gi` });
      return;
    }
    if (!BYTE_SIZE.test(p.retentionSize)) return;
    const size = byteSizeToBytes(p.retentionSize);
    if (size > volume * RETENTION_SIZE_MAX_SHARE) {
      const most = Math.floor((volume * RETENTION_SIZE_MAX_SHARE) / 2 ** 30);
      ctx.addIssue({
        code: 'custom',
        path: ['retentionSize'],
        message: `retentionSize "${p.retentionSize}" is more than ${RETENTION_SIZE_MAX_SHARE * 100}% of storage "${p.storage}": Prometheus needs the rest of the volume for its WAL and compactions (set it to at most ${most}GB, or grow storage)`,
      });
    }
  })
  .describe('The Prometheus that kube-prometheus-stack runs (deploy path and GitOps install commands): retention, its volume and the scrape interval of its own monitors. On targets without kube-prometheus-stack nothing is emitted: retention is a flag of your own Prometheus, which the README prints.');

export type PrometheusSpec = z.output<typeof prometheusSchema>;
