/**
 * The model store on AKS, by the tier the spec chooses: Azure Managed Lustre (a file system in its own subnet,
 * protected from destroy, whose MGS address the deploy path writes into the StorageClass of the azurelustre CSI
 * driver), or a tier built into AKS (Azure Files, Azure Disk, Azure Blob over NFS), which needs no cloud resource.
 */
import { ManagedLustreFileSystem } from './provider.cjs';
import { Construct } from 'constructs';
import { AMLFS_SKUS } from '../../../spec/schema.js';

export interface AksModelStorageProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tier: 'standard' | 'performance';
  readonly sizeTiB: number;
  readonly subnetId: string;
  /** Availability zone of the file system. @default '1' */
  readonly zone?: string;
  readonly protect: boolean;
}

/** Azure Managed Lustre and the StorageClass parameters that mount it. */
export class AksLustre extends Construct {
  public readonly fileSystem: ManagedLustreFileSystem;
  public readonly storageClassParameters: Record<string, string>;

  constructor(scope: Construct, id: string, props: AksModelStorageProps) {
    super(scope, id);
    this.fileSystem = new ManagedLustreFileSystem(this, 'fs', {
      name: `${props.name}-models`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: AMLFS_SKUS[props.tier].sku,
      storageCapacityInTb: props.sizeTiB,
      subnetId: props.subnetId,
      zones: [props.zone ?? '1'],
      maintenanceWindow: { dayOfWeek: 'Sunday', timeOfDayInUtc: '02:00' },
      lifecycle: { preventDestroy: props.protect },
    });
    // Static provisioning of this file system; the driver's default file system name is lustrefs.
    this.storageClassParameters = { 'mgs-ip-address': this.fileSystem.mgsAddress };
  }
}
