/**
 * The model StorageClass whose parameters only the cloud stack knows after apply (an EFS file system id, a Lustre
 * MGS address). One object serves both paths: the deploy path installs it as a Helm release, and the stack outputs it
 * as JSON for the GitOps path (`terraform output -raw model_storage_class_manifest | kubectl apply -f -`).
 */
import { Fn, TerraformOutput } from '../cdktf.cjs';
import type { Construct } from 'constructs';
import type { StorageClassProfile } from '../../../spec/profile/types.js';

/** The cloud's part of the class: the profile names it, the stack fills in what exists only after apply. */
export interface CloudStorageClass {
  readonly profile: StorageClassProfile;
  /** Parameters known after apply; they may be Terraform references. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** Name of the stack output that holds the class as JSON. */
export const MODEL_STORAGE_CLASS_OUTPUT = 'model_storage_class_manifest';

/** The StorageClass object (values may be Terraform references, resolved by Terraform). */
export function storageClassObject(c: CloudStorageClass): Record<string, unknown> {
  const p = c.profile;
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: p.name, labels: { 'app.kubernetes.io/managed-by': 'dynamo-iac' } },
    provisioner: p.provisioner,
    parameters: { ...p.parameters, ...c.parameters },
    ...(p.mountOptions?.length && { mountOptions: [...p.mountOptions] }),
    reclaimPolicy: p.reclaimPolicy,
    volumeBindingMode: p.volumeBindingMode,
  };
}

/** The stack output the GitOps path applies, present whether or not the deploy path is on. */
export function modelStorageClassOutput(scope: Construct, c: CloudStorageClass): TerraformOutput {
  return new TerraformOutput(scope, MODEL_STORAGE_CLASS_OUTPUT, {
    value: Fn.jsonencode(storageClassObject(c)),
    description: 'The model StorageClass with the cloud ids, as JSON for kubectl apply (GitOps path).',
  });
}
