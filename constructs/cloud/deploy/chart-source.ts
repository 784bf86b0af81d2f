/**
 * Where Helm fetches a pinned chart from, written once for the deploy path's `helm_release` and the README's
 * `helm upgrade --install` commands, so the two install the same archive.
 */
import type { ChartRef } from '../../../spec/versions.js';

/** A chart as Helm takes it: an archive URL alone, or a repository (https or oci), a chart name and a version. */
export interface HelmChartSource {
  readonly chart: string;
  readonly repository?: string;
  readonly version?: string;
}

/**
 * NGC serves the Dynamo charts as archives by URL, which is how upstream's install guide fetches them; every other
 * chart (NGC's `nvidia` repository included, whose index lists `charts/<name>-<version>.tgz`) comes by repository,
 * name and version.
 */
export function chartSource(ref: ChartRef): HelmChartSource {
  if (ref.repository.startsWith('https://helm.ngc.nvidia.com/nvidia/ai-dynamo/')) return { chart: `${ref.repository}/${ref.name}-${ref.version}.tgz` };
  return { repository: ref.repository, chart: ref.name, version: ref.version };
}
