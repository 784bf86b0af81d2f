/**
 * `dynamo-iac gpu-inventory`: the GPUs of the cluster, per node, from GPU feature discovery's labels
 * (`nvidia.com/gpu.count`, `nvidia.com/gpu.product`, `nvidia.com/gpu.memory` in MiB, MIG capability), falling back to
 * the allocatable `nvidia.com/gpu`; for nodes without the labels, optionally from `nvidia-smi` in a short-lived pod
 * (generated here, deleted afterwards). The summary follows the seeds: the representative node has the most GPUs,
 * then the most memory per GPU. The inventory can check a graph's GPU requests against the real cluster.
 */
import { stringify } from 'yaml';
import type { GraphSpec } from '../spec/graphs.js';
import { workerGroups } from '../spec/graphs.js';
import { imageString, VERSIONS } from '../spec/versions.js';
import type { Kube } from './kubectl.js';
import { table } from './report.js';

interface NodeJson {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { allocatable?: Record<string, string>; capacity?: Record<string, string> };
}

export interface GpuNode {
  readonly node: string;
  readonly gpus: number;
  readonly product?: string;
  /** Memory per GPU, MiB. */
  readonly memoryMiB?: number;
  readonly migCapable: boolean;
  /** MIG devices the node offers (`nvidia.com/mig-<profile>` resources), by profile. */
  readonly migDevices: Readonly<Record<string, number>>;
  /** Where the facts came from. */
  readonly source: 'labels' | 'allocatable' | 'nvidia-smi';
}

export interface GpuInventory {
  readonly nodes: readonly GpuNode[];
  /** The representative node: most GPUs, then most memory per GPU. */
  readonly summary?: { readonly node: string; readonly gpusPerNode: number; readonly product?: string; readonly memoryMiBPerGpu?: number; readonly totalGpus: number };
}

const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

export function nodeGpus(n: NodeJson): GpuNode | undefined {
  const labels = n.metadata.labels ?? {};
  const alloc = n.status?.allocatable ?? {};
  const labelled = num(labels['nvidia.com/gpu.count']);
  const allocatable = num(alloc['nvidia.com/gpu']);
  const migDevices = Object.fromEntries(
    Object.entries(alloc)
      .filter(([k]) => k.startsWith('nvidia.com/mig-'))
      .map(([k, v]) => [k.slice('nvidia.com/mig-'.length), Number(v)])
      .filter(([, v]) => (v as number) > 0),
  ) as Record<string, number>;
  const gpus = labelled ?? allocatable ?? 0;
  if (gpus === 0 && Object.keys(migDevices).length === 0) return undefined;
  const product = labels['nvidia.com/gpu.product'];
  const memoryMiB = num(labels['nvidia.com/gpu.memory']);
  return {
    node: n.metadata.name,
    gpus,
    ...(product && { product }),
    ...(memoryMiB !== undefined && { memoryMiB }),
    migCapable: labels['nvidia.com/mig.capable'] === 'true',
    migDevices,
    source: labelled !== undefined ? 'labels' : 'allocatable',
  };
}

/** The seeds' aggregation: the node with the most GPUs, then the most memory per GPU. */
export function summarize(nodes: readonly GpuNode[]): GpuInventory['summary'] {
  const best = [...nodes].sort((a, b) => b.gpus - a.gpus || (b.memoryMiB ?? 0) - (a.memoryMiB ?? 0) || a.node.localeCompare(b.node))[0];
  if (!best) return undefined;
  return {
    node: best.node,
    gpusPerNode: best.gpus,
    ...(best.product && { product: best.product }),
    ...(best.memoryMiB !== undefined && { memoryMiBPerGpu: best.memoryMiB }),
    totalGpus: nodes.reduce((s, n) => s + n.gpus, 0),
  };
}

/** The pod that reads `nvidia-smi` on one node (non-root, no privilege escalation, deleted after use). */
export function nvidiaSmiPod(node: string, namespace = 'default', image = imageString(VERSIONS.tools.cudaBase), pullSecrets: readonly string[] = []): Record<string, unknown> {
  const name = `gpu-inventory-${node.replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'gpu-inventory', 'app.kubernetes.io/managed-by': 'dynamo-iac' } },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      activeDeadlineSeconds: 300,
      automountServiceAccountToken: false,
      ...(pullSecrets.length && { imagePullSecrets: pullSecrets.map((name) => ({ name })) }),
      tolerations: [{ operator: 'Exists' }],
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'nvidia-smi',
          image,
          command: ['nvidia-smi', '--query-gpu=name,memory.total', '--format=csv,noheader,nounits'],
          env: [
            { name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'utility' },
            // No PATH or LD_LIBRARY_PATH: env would replace the image's. The nvidia/cuda image already has GKE's
            // /usr/local/nvidia/bin and /usr/local/nvidia/lib64 on them (and in /etc/ld.so.conf.d/nvidia.conf).
          ],
          resources: { limits: { 'nvidia.com/gpu': '1' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

/** `NVIDIA H100 80GB HBM3, 81559` lines -> product and memory. */
export function parseNvidiaSmi(out: string): { product: string; memoryMiB: number; count: number } | undefined {
  const rows = out.trim().split('\n').map((l) => l.split(',').map((x) => x.trim())).filter((r) => r.length === 2 && /^\d+$/.test(r[1]!));
  if (!rows.length) return undefined;
  return { product: rows[0]![0]!.replace(/ /g, '-'), memoryMiB: Number(rows[0]![1]), count: rows.length };
}

export interface InventoryOptions {
  /** Run nvidia-smi on GPU nodes without GPU feature discovery labels. */
  readonly enrich?: boolean;
  /** Namespace of the nvidia-smi pods. @default 'default' */
  readonly namespace?: string;
  /** Milliseconds between polls of the nvidia-smi pod. @default 2000 */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => void;
  /** The nvidia-smi image. @default - the CUDA base image of the version matrix */
  readonly image?: string;
  /** Image pull Secrets of the nvidia-smi pod (by name). @default - none */
  readonly pullSecrets?: readonly string[];
}

export function gpuInventory(k: Kube, o: InventoryOptions = {}): GpuInventory {
  const nodes = (k.get<NodeJson>(['nodes'], 'listing nodes')?.items ?? []).map(nodeGpus).filter((n): n is GpuNode => n !== undefined);
  const out: GpuNode[] = [];
  for (const n of nodes) {
    if (!o.enrich || n.source === 'labels') {
      out.push(n);
      continue;
    }
    const pod = nvidiaSmiPod(n.node, o.namespace, o.image, o.pullSecrets);
    const name = (pod['metadata'] as { name: string }).name;
    const ns = o.namespace ?? 'default';
    k.run(['apply', '-f', '-'], `starting nvidia-smi on ${n.node}`, stringify(pod));
    try {
      let phase = '';
      for (let i = 0; i < 60 && phase !== 'Succeeded' && phase !== 'Failed'; i++) {
        if (i) (o.sleep ?? sleepSync)(o.pollMs ?? 2000);
        phase = k.run(['get', 'pod', name, '-n', ns, '-o', 'jsonpath={.status.phase}'], `waiting for nvidia-smi on ${n.node}`).stdout.trim();
      }
      const smi = parseNvidiaSmi(k.run(['logs', name, '-n', ns], `reading nvidia-smi on ${n.node}`).stdout);
      out.push(smi ? { ...n, product: smi.product, memoryMiB: smi.memoryMiB, source: 'nvidia-smi' } : n);
    } finally {
      k.run(['delete', 'pod', name, '-n', ns, '--ignore-not-found', '--wait=false'], `deleting the nvidia-smi pod on ${n.node}`);
    }
  }
  const summary = summarize(out);
  return { nodes: out, ...(summary && { summary }) };
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function renderInventory(inv: GpuInventory): string {
  const rows = inv.nodes.map((n) => [
    n.node,
    String(n.gpus),
    n.product ?? '?',
    n.memoryMiB !== undefined ? `${Math.round(n.memoryMiB / 1024)} GiB` : '?',
    n.migCapable ? (Object.keys(n.migDevices).length ? Object.entries(n.migDevices).map(([p, c]) => `${c}x${p}`).join(' ') : 'capable') : '-',
    n.source,
  ]);
  const s = inv.summary;
  const summary = s
    ? `\nsummary: ${s.totalGpus} GPUs; largest node ${s.node}: ${s.gpusPerNode} x ${s.product ?? 'unknown GPU'}${s.memoryMiBPerGpu !== undefined ? ` (${Math.round(s.memoryMiBPerGpu / 1024)} GiB each)` : ''}`
    : '\nno GPU nodes found';
  return table(['NODE', 'GPUS', 'PRODUCT', 'MEMORY/GPU', 'MIG', 'SOURCE'], rows) + summary;
}

/** Problems of graphs whose worker groups need more GPUs per node than any node of the cluster has. */
export function checkGraphs(inv: GpuInventory, graphs: Readonly<Record<string, GraphSpec>>): string[] {
  const max = inv.summary?.gpusPerNode ?? 0;
  const out: string[] = [];
  for (const [name, g] of Object.entries(graphs)) {
    if (!g.enabled) continue;
    for (const { role, group } of workerGroups(g)) {
      if (group.gpus > max) out.push(`graphs.${name}.${role}: needs ${group.gpus} GPUs per node; the largest GPU node of the cluster has ${max}`);
      const matching = group.accelerator ? inv.nodes.filter((n) => n.product?.toLowerCase().includes(group.accelerator!.replace(/^nvidia-/, '').toLowerCase())) : inv.nodes;
      if (group.accelerator && matching.length === 0) out.push(`graphs.${name}.${role}: wants accelerator ${group.accelerator}; no node reports it (${[...new Set(inv.nodes.map((n) => n.product ?? '?'))].join(', ') || 'no GPU nodes'})`);
    }
  }
  return out;
}
