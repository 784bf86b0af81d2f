/**
 * The GKE stack. Until the cloud issue lands this stack configures the pinned Google provider and exports the
 * cluster facts of the spec that the deploy path will consume; it creates no resources yet.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';

export class GkeStack extends TerraformStack {
  constructor(scope: Construct, id: string, spec: CloudSpec) {
    super(scope, id);
    localState(this, id);
    new GoogleProvider(this, 'google', { region: spec.cluster.region, defaultLabels: { 'managed-by': 'dynamo-iac', cluster: spec.cluster.name } });
    pinProvider(this, 'google', VERSIONS.providers.google);
    clusterOutputs(spec, (id, value) => new TerraformOutput(this, id, { value }));
  }
}
