/**
 * Every Terraform resource a construct created (e.g. a file system with its mount targets and security rules), for a
 * `depends_on` that must wait for all of it. Apart from stacks/common.ts, which the Kubernetes layer imports too and
 * which must not reach cdktf.
 */
import { TerraformResource } from '../constructs/cloud/cdktf.cjs';
import type { IConstruct } from 'constructs';

export const resourcesOf = (scope: IConstruct): TerraformResource[] => scope.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
