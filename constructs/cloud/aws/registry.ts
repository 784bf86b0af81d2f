/**
 * EcrRepositories: private repositories mirroring the image paths of the version matrix (scan on push, immutable
 * tags, KMS encryption), so the operator and runtime images can be pulled from inside the VPC by the node role.
 */
import { EcrRepository } from './provider.cjs';
import { Construct } from 'constructs';

export interface EcrRepositoriesProps {
  /** Repository names, e.g. `nvidia/ai-dynamo/vllm-runtime`. */
  readonly names: readonly string[];
  readonly kmsKeyArn: string;
  readonly protect: boolean;
}

export class EcrRepositories extends Construct {
  /** Name -> repository URL. */
  public readonly urls: Record<string, string> = {};
  /** The account's registry id (every repository of an account shares it). */
  public readonly registryId: string = '';

  constructor(scope: Construct, id: string, props: EcrRepositoriesProps) {
    super(scope, id);
    for (const name of [...props.names].sort()) {
      const repo = new EcrRepository(this, name.replace(/[^A-Za-z0-9]/g, '-'), {
        name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
        forceDelete: !props.protect,
        lifecycle: { preventDestroy: props.protect },
      });
      this.urls[name] = repo.repositoryUrl;
      this.registryId = repo.registryId;
    }
  }
}
