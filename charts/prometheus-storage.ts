/**
 * The kube-prometheus-stack values that keep Prometheus's data (spec `observability.prometheus`): retention by time
 * and by size, the scrape interval of the chart's own monitors, and a persistent volume (the chart's
 * `prometheus.prometheusSpec.storageSpec.volumeClaimTemplate`, which the Prometheus operator turns into the claim
 * template of the Prometheus StatefulSet). Without a volume, Prometheus writes to an emptyDir and loses every sample
 * when its pod moves.
 */
import { cloudProfile } from '../spec/profile/index.js';
import type { StorageClassProfile } from '../spec/profile/types.js';
import type { Spec } from '../spec/schema.js';

/**
 * The StorageClass of Prometheus's volume: the spec's, else the target's block class. Never unset on a cloud: EKS 1.30
 * and later have no default StorageClass, and a claim without a class would stay Pending there.
 */
export function prometheusStorageClass(spec: Spec): string | undefined {
  const s = cloudProfile(spec).storage;
  const name = spec.observability.prometheus.storageClass ?? s.block?.name;
  const shared = [s.modelCache, s.compilationCache].find((c): c is StorageClassProfile => c !== undefined && c.name === name && c.accessMode === 'ReadWriteMany');
  // Prometheus's storage documentation: non-POSIX file systems corrupt its TSDB; NFS (EFS included) is not supported.
  if (shared) {
    throw new Error(
      `observability.prometheus.storageClass "${name}" is the ${spec.target} model store's shared file system (${shared.provisioner}): Prometheus supports only local (block) file systems for its TSDB; use the block class ${s.block ? `"${s.block.name}" (the default)` : 'of the cluster'}`,
    );
  }
  return name;
}

/** `--set` values: retention and the scrape interval (strings). */
export function prometheusRetentionValues(spec: Spec): Record<string, string> {
  const p = spec.observability.prometheus;
  return {
    'prometheus.prometheusSpec.retention': p.retention,
    'prometheus.prometheusSpec.retentionSize': p.retentionSize,
    'prometheus.prometheusSpec.scrapeInterval': p.scrapeInterval,
  };
}

/** `--set-json` values: the claim template of the Prometheus StatefulSet (one ReadWriteOnce volume per replica). */
export function prometheusStorageJsonValues(spec: Spec): Record<string, unknown> {
  const p = spec.observability.prometheus;
  const storageClassName = prometheusStorageClass(spec);
  return {
    'prometheus.prometheusSpec.storageSpec': {
      volumeClaimTemplate: {
        spec: { ...(storageClassName && { storageClassName }), accessModes: ['ReadWriteOnce'], resources: { requests: { storage: p.storage } } },
      },
    },
  };
}

/**
 * The flags of a Prometheus the user runs (targets without kube-prometheus-stack): retention is a command-line flag,
 * not part of prometheus.yml.
 */
export function prometheusRetentionFlags(spec: Spec): string[] {
  const p = spec.observability.prometheus;
  return [`--storage.tsdb.retention.time=${p.retention}`, `--storage.tsdb.retention.size=${p.retentionSize}`];
}
