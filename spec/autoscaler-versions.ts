/**
 * The node autoscalers of EKS and the Kubernetes minors they support. The cluster-autoscaler must run the minor of
 * the cluster (its scheduler simulation is the scheduler of that minor), so it is chosen per minor, never one pin
 * for all; Karpenter supports a range of minors per release.
 */
import type { ChartRef } from './versions.js';

/** A cluster-autoscaler release for one Kubernetes minor: the chart and the image it runs. */
export interface ClusterAutoscalerRelease {
  readonly chart: ChartRef;
  /** The chart's `appVersion`: its RBAC and flags are those of this release, so its minor is the Kubernetes minor. */
  readonly chartAppVersion: string;
  /** `registry.k8s.io/autoscaling/cluster-autoscaler` tag: the newest patch of the minor. */
  readonly imageTag: string;
}

export const CLUSTER_AUTOSCALER_IMAGE = 'registry.k8s.io/autoscaling/cluster-autoscaler';
const caChart = (version: string): ChartRef => ({ name: 'cluster-autoscaler', repository: 'https://kubernetes.github.io/autoscaler', version });

/**
 * Kubernetes minor -> chart and image. Chart versions from kubernetes/autoscaler
 * `cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml` (9.51.0 app 1.33.0, 9.53.0 app 1.34.2, 9.59.0 app 1.35.0,
 * the newest released chart: tag `cluster-autoscaler-chart-9.59.0`, July 2026); image tags are the newest
 * `cluster-autoscaler-1.3x.y` release tags (July 2026). Only minors with a released chart of their own are here: no
 * released chart ships app 1.36 yet (master has 9.60.0 with app 1.36.1, untagged in August 2026), so the spec refuses
 * 1.36 with the cluster-autoscaler until that chart is released (Karpenter supports it).
 */
export const CLUSTER_AUTOSCALER: Readonly<Record<string, ClusterAutoscalerRelease>> = {
  '1.33': { chart: caChart('9.51.0'), chartAppVersion: '1.33.0', imageTag: 'v1.33.6' },
  '1.34': { chart: caChart('9.53.0'), chartAppVersion: '1.34.2', imageTag: 'v1.34.5' },
  '1.35': { chart: caChart('9.59.0'), chartAppVersion: '1.35.0', imageTag: 'v1.35.2' },
};

/** The cluster-autoscaler release of a Kubernetes minor; throws, naming the minor, when none is known. */
export function clusterAutoscalerFor(minor: string): ClusterAutoscalerRelease {
  const release = CLUSTER_AUTOSCALER[minor];
  if (!release) {
    throw new Error(`cluster-autoscaler: no release pinned for Kubernetes ${minor} (known: ${Object.keys(CLUSTER_AUTOSCALER).join(', ')}); add one to spec/autoscaler-versions.ts`);
  }
  return release;
}

/** Karpenter (controller and CRDs in one chart), from aws/karpenter-provider-aws `charts/karpenter/Chart.yaml`. */
export const KARPENTER_CHART: ChartRef = { name: 'karpenter', repository: 'oci://public.ecr.aws/karpenter', version: '1.14.1' };

/**
 * The first Karpenter minor that supports each Kubernetes minor (aws/karpenter-provider-aws
 * `website/content/en/v1.14/upgrading/compatibility.md`).
 */
export const KARPENTER_MIN_FOR_KUBERNETES: Readonly<Record<string, string>> = {
  '1.33': '1.5',
  '1.34': '1.6',
  '1.35': '1.9',
  '1.36': '1.13',
};

const minorOf = (v: string): [number, number] => {
  const [major, minor] = v.replace(/^v/, '').split('.').map(Number);
  return [major ?? 0, minor ?? 0];
};

/** Whether the pinned Karpenter chart supports the Kubernetes minor (false for minors the table does not know). */
export function karpenterSupports(kubernetesMinor: string, chart: ChartRef = KARPENTER_CHART): boolean {
  const min = KARPENTER_MIN_FOR_KUBERNETES[kubernetesMinor];
  if (!min) return false;
  const [a, b] = minorOf(chart.version);
  const [c, d] = minorOf(min);
  return a > c || (a === c && b >= d);
}
