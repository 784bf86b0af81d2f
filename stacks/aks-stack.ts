/**
 * The AKS stack. Until the cloud issue lands this stack configures the pinned azurerm provider and exports the
 * cluster facts of the spec that the deploy path will consume; it creates no resources yet.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { CloudSpec } from '../spec/schema.js';
import { VERSIONS } from '../spec/versions.js';
import { localState } from './backend.js';
import { clusterOutputs } from './outputs.js';
import { pinProvider } from './provider-source.js';

export class AksStack extends TerraformStack {
  constructor(scope: Construct, id: string, spec: CloudSpec) {
    super(scope, id);
    localState(this, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    pinProvider(this, 'azurerm', VERSIONS.providers.azurerm);
    clusterOutputs(spec, (id, value) => new TerraformOutput(this, id, { value }));
  }
}
