/**
 * What a real node of each instance type reports to Kubernetes, for the types the defaults and the examples use: the
 * machine's vCPUs, memory and GPUs (cloud documentation), and how much of it each cloud's kubelet keeps back
 * (allocatable). An unknown type is an error that names it: the simulation never guesses a machine.
 */

export interface InstanceType {
  readonly cloud: 'aws' | 'azure' | 'gcp';
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly accelerator?: string;
  /** GPU feature discovery's `nvidia.com/gpu.product` and `nvidia.com/gpu.memory` (MiB) for the type's GPU. */
  readonly gfd?: { readonly product: string; readonly memoryMiB: number };
  /** Pods a node takes (EKS: the VPC CNI's ENI limit; GKE and AKS: the cluster's per-node setting decides). */
  readonly maxPods?: number;
  /** EFA interfaces the type supports (AWS). */
  readonly efa?: number;
}

export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = {
  // AWS: EC2 instance type pages; max pods from the EKS AMI's ENI table (ENIs x (IPv4 per ENI - 1) + 2).
  'm6i.xlarge': { cloud: 'aws', vcpus: 4, memoryGiB: 16, gpus: 0, maxPods: 58 },
  'm6i.2xlarge': { cloud: 'aws', vcpus: 8, memoryGiB: 32, gpus: 0, maxPods: 58 },
  'g6e.12xlarge': { cloud: 'aws', vcpus: 48, memoryGiB: 384, gpus: 4, accelerator: 'nvidia-l40s', gfd: { product: 'NVIDIA-L40S', memoryMiB: 46068 }, maxPods: 110, efa: 1 },
  'p5.48xlarge': { cloud: 'aws', vcpus: 192, memoryGiB: 2048, gpus: 8, accelerator: 'nvidia-h100', gfd: { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559 }, maxPods: 100, efa: 32 },
  // Azure: VM size pages.
  Standard_D4s_v5: { cloud: 'azure', vcpus: 4, memoryGiB: 16, gpus: 0 },
  Standard_D8s_v5: { cloud: 'azure', vcpus: 8, memoryGiB: 32, gpus: 0 },
  Standard_NC80adis_H100_v5: { cloud: 'azure', vcpus: 80, memoryGiB: 640, gpus: 2, accelerator: 'nvidia-h100-nvl', gfd: { product: 'NVIDIA-H100-NVL', memoryMiB: 95830 } },
  // Google Cloud: machine family pages (G2 carries its L4 GPUs with the machine type).
  'e2-standard-4': { cloud: 'gcp', vcpus: 4, memoryGiB: 16, gpus: 0 },
  'e2-standard-8': { cloud: 'gcp', vcpus: 8, memoryGiB: 32, gpus: 0 },
  'g2-standard-48': { cloud: 'gcp', vcpus: 48, memoryGiB: 192, gpus: 4, accelerator: 'nvidia-l4', gfd: { product: 'NVIDIA-L4', memoryMiB: 23034 } },
  'a3-highgpu-8g': { cloud: 'gcp', vcpus: 208, memoryGiB: 1872, gpus: 8, accelerator: 'nvidia-h100-80gb', gfd: { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559 } },
};

export function instanceType(name: string, cloud: InstanceType['cloud']): InstanceType {
  const t = INSTANCE_TYPES[name];
  if (!t || t.cloud !== cloud) {
    const known = Object.entries(INSTANCE_TYPES).filter(([, v]) => v.cloud === cloud).map(([k]) => k);
    throw new Error(`instance type "${name}" is not in the simulation's table for ${cloud} (tools/sim/instance-types.ts knows ${known.join(', ')}): add its vCPUs, memory and GPUs from the cloud's documentation`);
  }
  return t;
}

/** A reservation taken in tiers: `share` of each successive `size` of the amount, scaled to the result's unit. */
function tiered(amount: number, tiers: readonly (readonly [size: number, share: number])[], unit: number): number {
  let left = amount;
  let out = 0;
  for (const [size, share] of tiers) {
    const n = Math.min(left, size);
    out += n * unit * share;
    left -= n;
    if (left <= 0) break;
  }
  return Math.round(out);
}

/** Tiered CPU reservation in millicores: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above four (GKE documents this; EKS's nodeadm uses the same tiers). */
export const reservedCpuMillis = (vcpus: number): number => tiered(vcpus, [[1, 0.06], [1, 0.01], [2, 0.005], [Infinity, 0.0025]], 1000);

/** GKE's memory reservation (MiB): 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128 GiB. */
export const gkeReservedMemoryMiB = (gib: number): number => tiered(gib, [[4, 0.25], [4, 0.2], [8, 0.1], [112, 0.06], [Infinity, 0.02]], 1024);

export interface NodeResources {
  readonly capacity: Record<string, string>;
  readonly allocatable: Record<string, string>;
}

/**
 * Capacity and allocatable of a node: EKS (nodeadm) keeps 11 MiB per pod + 255 MiB and evicts at 100 MiB; GKE its
 * tiered memory + 100 MiB eviction; AKS (1.29+) the smaller of 20 MB per pod + 50 MB and 25% of memory, 100 MiB
 * eviction, and its CPU table. GPUs appear as `nvidia.com/gpu` only with a device plugin, EFA as
 * `vpc.amazonaws.com/efa`.
 */
/** AKS's CPU reservation by core count (AKS "node resource reservations": 60m at 1 core ... 740m at 64 and more). */
export function aksReservedCpuMillis(vcpus: number): number {
  const table: [number, number][] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];
  return (table.find(([cores]) => vcpus <= cores) ?? table[table.length - 1]!)[1];
}

export function nodeResources(t: InstanceType, o: { maxPods: number; diskGiB: number; efa?: number; gpuDevicePlugin: boolean }): NodeResources {
  const memMiB = t.memoryGiB * 1024;
  // AKS 1.29+: the smaller of 20 MB per pod + 50 MB and a quarter of the memory, plus the 100 Mi eviction threshold.
  const reserveMiB =
    t.cloud === 'aws' ? 11 * o.maxPods + 255 + 100 : t.cloud === 'gcp' ? gkeReservedMemoryMiB(t.memoryGiB) + 100 : Math.min(20 * o.maxPods + 50, memMiB / 4) + 100;
  const cpuReserve = t.cloud === 'azure' ? aksReservedCpuMillis(t.vcpus) : reservedCpuMillis(t.vcpus);
  const extra: Record<string, string> = {};
  // GPUs are advertised only by a device plugin (the GPU Operator's, or GKE's own with managed drivers).
  if (t.gpus > 0 && o.gpuDevicePlugin) extra['nvidia.com/gpu'] = String(t.gpus);
  if (o.efa) extra['vpc.amazonaws.com/efa'] = String(o.efa);
  const capacity = { cpu: String(t.vcpus), memory: `${memMiB}Mi`, pods: String(o.maxPods), 'ephemeral-storage': `${o.diskGiB}Gi`, ...extra };
  const allocatable = {
    cpu: `${t.vcpus * 1000 - cpuReserve}m`,
    memory: `${memMiB - reserveMiB}Mi`,
    pods: String(o.maxPods),
    'ephemeral-storage': `${Math.floor(o.diskGiB * 0.9)}Gi`,
    ...extra,
  };
  return { capacity, allocatable };
}

/**
 * The labels NVIDIA's GPU feature discovery (part of the GPU Operator) puts on a GPU node once it runs there: on a
 * real node, not in an autoscaler's template of a node that does not exist yet.
 */
export function gfdLabels(t: InstanceType): Record<string, string> {
  if (t.gpus === 0 || !t.gfd) return {};
  return { 'nvidia.com/gpu.present': 'true', 'nvidia.com/gpu.count': String(t.gpus), 'nvidia.com/gpu.product': t.gfd.product, 'nvidia.com/gpu.memory': String(t.gfd.memoryMiB) };
}
