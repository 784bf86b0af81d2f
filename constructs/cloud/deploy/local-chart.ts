/**
 * A Helm chart written at synth time and shipped with the stack as a Terraform asset, so that `helm_release` can
 * install our synthesized manifests. Helm installs a release's objects in kind order (namespaces first) and does
 * not need the custom resource definitions at plan time, which lets one `terraform apply` create the cluster, the
 * CRDs (earlier releases) and our custom resources.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetType, TerraformAsset } from '../cdktf.cjs';
import { Construct } from 'constructs';

export interface LocalChartProps {
  readonly chartName: string;
  readonly version: string;
  readonly description: string;
  /** Template files: name -> content. Literal manifests have their `{{` escaped; `rawTemplates` are Go templates. */
  readonly manifests?: Readonly<Record<string, string>>;
  readonly rawTemplates?: Readonly<Record<string, string>>;
}

/** Makes literal YAML safe inside a Helm template: `{{` would start a template action. */
export const escapeForHelm = (yaml: string): string => yaml.replace(/\{\{/g, '{{ "{{" }}');

export class LocalChart extends Construct {
  /** Path of the chart directory as `helm_release.chart` takes it (relative to the stack's folder). */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: LocalChartProps) {
    super(scope, id);
    const dir = mkdtempSync(join(tmpdir(), `chart-${props.chartName}-`));
    // The asset is copied into the stack's folder at synth; the staging copy goes when the process ends.
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${props.chartName}\ndescription: ${props.description}\ntype: application\nversion: ${props.version}\n`);
    for (const [name, content] of Object.entries(props.manifests ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      writeFileSync(join(dir, 'templates', name), escapeForHelm(content));
    }
    for (const [name, content] of Object.entries(props.rawTemplates ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      writeFileSync(join(dir, 'templates', name), content);
    }
    this.path = new TerraformAsset(this, 'asset', { path: dir, type: AssetType.DIRECTORY }).path;
  }
}
