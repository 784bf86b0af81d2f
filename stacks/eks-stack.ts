/**
 * The EKS stack. Until the cloud issue lands this stack configures the pinned AWS provider and exports the cluster
 * facts of the spec that the deploy path will consume; it creates no resources yet.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';

export class EksStack extends TerraformStack {
  constructor(scope: Construct, id: string, spec: CloudSpec) {
    super(scope, id);
    localState(this, id);
    new AwsProvider(this, 'aws', { region: spec.cluster.region, defaultTags: [{ tags: { 'managed-by': 'dynamo-iac', cluster: spec.cluster.name } }] });
    pinProvider(this, 'aws', VERSIONS.providers.aws);
    clusterOutputs(spec, (id, value) => new TerraformOutput(this, id, { value }));
  }
}
