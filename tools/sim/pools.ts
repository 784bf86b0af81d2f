/**
 * The node pools a cloud stack creates, read from its Terraform JSON (`cdktf.out/stacks/<cloud>/cdk.tf.json`), with
 * what a real node of each pool carries: the labels and taints the cloud adds to the ones we set, the zone, and the
 * capacity of its instance type. Also which autoscaler, if any, grows the pool, and what that autoscaler knows of a
 * pool's nodes before one exists (its template): a pod the template cannot take never scales the pool up.
 */
import { gfdLabels, instanceType, nodeResources, type NodeResources } from './instance-types.js';
import type { Target } from '../../spec/schema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface SimPool {
  readonly name: string;
  readonly cloud: 'aws' | 'azure' | 'gcp' | 'local';
  readonly instanceType: string;
  readonly zones: readonly string[];
  readonly region: string;
  /** Labels every node of the pool carries (the zone and hostname are added per node). */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly resources: NodeResources;
  /** Nodes when the stack is applied, over all zones. */
  readonly initial: number;
  /** The most nodes the autoscaler may run, over all zones. */
  readonly max: number;
  /** What grows the pool; undefined when nothing does. */
  readonly autoscaler?: string;
  /** What the autoscaler knows of a node it has not started yet. */
  readonly template: { readonly labels: Readonly<Record<string, string>>; readonly taints: readonly Taint[]; readonly resources: NodeResources };
}

const EFFECTS: Record<string, Taint['effect']> = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };

const taintFromTf = (t: Json): Taint => ({ key: t['key'], ...(t['value'] ? { value: t['value'] } : {}), effect: EFFECTS[t['effect']] ?? t['effect'] });

/** `key=value:Effect` (AKS). */
function taintFromString(s: string): Taint {
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
  if (!m) throw new Error(`taint "${s}" is not key=value:Effect`);
  return { key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3] as Taint['effect'] };
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
const withTaint = (ts: readonly Taint[], t: Taint): Taint[] => (ts.some((x) => sameTaint(x, t)) ? [...ts] : [...ts, t]);

const resources = (tf: Json, type: string): [string, Json][] => Object.entries((tf['resource']?.[type] ?? {}) as Record<string, Json>);

/** A literal, or `${type.name.attr}` resolved to a literal attribute of another resource. */
function literal(tf: Json, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([^.]+)\.([a-z_]+)\}$/.exec(v);
  if (!m) return v.includes('${') ? undefined : v;
  const target = tf['resource']?.[m[1]!]?.[m[2]!]?.[m[3]!];
  return typeof target === 'string' && !target.includes('${') ? target : undefined;
}

/** Whether the stack installs NVIDIA's GPU Operator (whose feature discovery labels GPU nodes). */
/** The stack installs the GPU Operator (its feature discovery labels the nodes, its device plugin advertises GPUs). */
export const hasGpuOperator = (tf: Json): boolean => Object.values((tf['resource']?.['helm_release'] ?? {}) as Record<string, Json>).some((r) => r['chart'] === 'gpu-operator');

function baseLabels(instance: string, region: string, arch = 'amd64'): Record<string, string> {
  return { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch, 'node.kubernetes.io/instance-type': instance, 'topology.kubernetes.io/region': region };
}

/** The pools of an EKS stack (managed node groups; Karpenter's NodePools are not modelled and are reported). */
export function eksPools(tf: Json): SimPool[] {
  const region = (tf['provider']?.['aws']?.[0]?.['region'] as string | undefined) ?? 'us-west-2';
  const [, cluster] = resources(tf, 'aws_eks_cluster')[0] ?? [];
  const clusterName = literal(tf, cluster?.['name']) ?? 'cluster';
  const releases = resources(tf, 'helm_release').map(([, r]) => r);
  if (releases.some((r) => r['chart'] === 'karpenter')) {
    throw new Error('this EKS stack scales with Karpenter: the simulation models the cluster-autoscaler path only (tools/sim/pools.ts)');
  }
  const ca = releases.find(
    (r) => r['chart'] === 'cluster-autoscaler' && ((r['set'] ?? []) as Json[]).some((s) => s['name'] === 'autoDiscovery.clusterName' && s['value'] === clusterName),
  );
  const describeNodegroup = JSON.stringify(tf).includes('eks:DescribeNodegroup');
  const gpuOperator = hasGpuOperator(tf);
  const tags = resources(tf, 'aws_autoscaling_group_tag').map(([, r]) => r);
  const zoneOf = (subnetRef: string): string | undefined => {
    const m = /^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(subnetRef);
    const az = m ? tf['resource']?.['aws_subnet']?.[m[1]!]?.['availability_zone'] : undefined;
    if (typeof az !== 'string') return undefined;
    const idx = /names, (\d+)\)\}$/.exec(az);
    return idx ? `${region}${'abcdef'[Number(idx[1])]}` : literal(tf, az);
  };
  return resources(tf, 'aws_eks_node_group').map(([id, g]) => {
    const name = literal(tf, g['node_group_name']) ?? id;
    const type = (g['instance_types'] as string[] | undefined)?.[0];
    if (!type) throw new Error(`EKS node group ${name} names no instance type`);
    const it = instanceType(type, 'aws');
    const ltRef = /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(g['launch_template']?.['id'] ?? '');
    const lt = ltRef ? tf['resource']['aws_launch_template'][ltRef[1]!] : undefined;
    const disk = Number(lt?.['block_device_mappings']?.[0]?.['ebs']?.['volume_size'] ?? g['disk_size'] ?? 20);
    const efaIfaces = ((lt?.['network_interfaces'] ?? []) as Json[]).filter((n) => n['interface_type'] === 'efa').length;
    const efaDynamic = lt?.['dynamic']?.['network_interfaces'] ? it.efa ?? 0 : 0;
    const capacityType = (g['capacity_type'] as string | undefined) ?? 'ON_DEMAND';
    const userLabels = (g['labels'] ?? {}) as Record<string, string>;
    const gfd = gpuOperator ? gfdLabels(it) : {};
    const labels = { ...baseLabels(type, region), ...userLabels, 'eks.amazonaws.com/nodegroup': name, 'eks.amazonaws.com/capacityType': capacityType, ...gfd };
    const taints = ((g['taint'] ?? []) as Json[]).map(taintFromTf);
    const zones = ((g['subnet_ids'] ?? []) as string[]).map(zoneOf).filter((z): z is string => !!z);
    const res = nodeResources(it, { maxPods: it.maxPods ?? 110, diskGiB: disk, efa: efaIfaces || efaDynamic, gpuDevicePlugin: gpuOperator });
    // cluster-autoscaler 1.35 (cloudprovider/aws/aws_manager.go buildNodeFromTemplate): generic labels, ASG tags
    // `k8s.io/cluster-autoscaler/node-template/label|taint/...`, and with eks:DescribeNodegroup the node group's labels,
    // taints, capacity type and name.
    const groupTags = tags.filter((t) => String(t['autoscaling_group_name']).includes(`aws_eks_node_group.${id}.`)).map((t) => t['tag'] as Json);
    const tplLabels: Record<string, string> = { ...baseLabels(type, region) };
    let tplTaints: Taint[] = [];
    // Its resources: vCPUs, memory and GPUs from its own instance table, 110 pods, anything else only from
    // `node-template/resources/*` tags; allocatable = capacity.
    const tplCapacity: Record<string, string> = { cpu: String(it.vcpus), memory: `${it.memoryGiB * 1024}Mi`, pods: '110', ...(it.gpus ? { 'nvidia.com/gpu': String(it.gpus) } : {}) };
    for (const t of groupTags) {
      const k = String(t['key']);
      if (k.startsWith('k8s.io/cluster-autoscaler/node-template/resources/')) tplCapacity[k.slice('k8s.io/cluster-autoscaler/node-template/resources/'.length)] = String(t['value']);
      if (k.startsWith('k8s.io/cluster-autoscaler/node-template/label/')) tplLabels[k.slice('k8s.io/cluster-autoscaler/node-template/label/'.length)] = String(t['value']);
      if (k.startsWith('k8s.io/cluster-autoscaler/node-template/taint/')) {
        const [value, effect] = String(t['value']).split(':');
        tplTaints = withTaint(tplTaints, { key: k.slice('k8s.io/cluster-autoscaler/node-template/taint/'.length), ...(value ? { value } : {}), effect: effect as Taint['effect'] });
      }
    }
    if (describeNodegroup) {
      Object.assign(tplLabels, userLabels, { 'eks.amazonaws.com/nodegroup': name, 'eks.amazonaws.com/capacityType': capacityType });
      for (const t of taints) tplTaints = withTaint(tplTaints, t);
    }
    const sc = (g['scaling_config'] ?? {}) as Json;
    return {
      name,
      cloud: 'aws' as const,
      instanceType: type,
      zones: zones.length ? zones : [`${region}a`],
      region,
      labels,
      taints,
      resources: res,
      initial: Number(sc['desired_size'] ?? sc['min_size'] ?? 0),
      max: Number(sc['max_size'] ?? 0),
      ...(ca ? { autoscaler: `cluster-autoscaler ${ca['version']} (helm release ${ca['name']})` } : {}),
      template: { labels: tplLabels, taints: tplTaints, resources: { capacity: tplCapacity, allocatable: tplCapacity } },
    };
  });
}

/** The pools of a GKE stack. GKE taints GPU pools with nvidia.com/gpu=present:NoSchedule itself. */
export function gkePools(tf: Json): SimPool[] {
  const [, cluster] = resources(tf, 'google_container_cluster')[0] ?? [];
  const location = literal(tf, cluster?.['location']) ?? 'us-central1';
  const regional = !/-[a-z]$/.test(location);
  const region = regional ? location : location.replace(/-[a-z]$/, '');
  // A regional cluster without node_locations: GKE picks three of the region's zones; the simulation names them a, b, c.
  const clusterZones = (cluster?.['node_locations'] as string[] | undefined) ?? (regional ? ['a', 'b', 'c'].map((z) => `${region}-${z}`) : [location]);
  return resources(tf, 'google_container_node_pool').map(([id, p]) => {
    const name = literal(tf, p['name']) ?? id;
    const nc = (p['node_config'] ?? {}) as Json;
    const type = String(nc['machine_type']);
    const it = instanceType(type, 'gcp');
    const zones = (p['node_locations'] as string[] | undefined) ?? clusterZones;
    const acc = ((nc['guest_accelerator'] ?? []) as Json[])[0];
    const labels: Record<string, string> = {
      ...baseLabels(type, region),
      ...((nc['labels'] ?? {}) as Record<string, string>),
      'cloud.google.com/gke-nodepool': name,
      'cloud.google.com/machine-family': type.split('-')[0]!,
      'cloud.google.com/gke-os-distribution': 'cos',
    };
    let taints = ((nc['taint'] ?? []) as Json[]).map(taintFromTf);
    if (acc) {
      labels['cloud.google.com/gke-accelerator'] = String(acc['type']);
      labels['cloud.google.com/gke-gpu'] = 'true';
      taints = withTaint(taints, { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
    }
    if (nc['spot']) Object.assign(labels, { 'cloud.google.com/gke-spot': 'true', 'cloud.google.com/gke-provisioning': 'spot' });
    const gpus = acc ? Number(acc['count']) : 0;
    // GKE's device plugin serves GPUs once its driver installer ran: only with gpu_driver_installation_config.
    const driver = acc?.['gpu_driver_installation_config']?.['gpu_driver_version'];
    const managedDriver = driver !== undefined && driver !== 'INSTALLATION_DISABLED';
    const res = nodeResources({ ...it, gpus }, { maxPods: Number(p['max_pods_per_node'] ?? cluster?.['default_max_pods_per_node'] ?? 110), diskGiB: Number(nc['disk_size_gb'] ?? 100), gpuDevicePlugin: managedDriver });
    const a = p['autoscaling'] as Json | undefined;
    const perZone = Number(p['node_count'] ?? p['initial_node_count'] ?? 0);
    const max = a ? Number(a['total_max_node_count'] ?? Number(a['max_node_count'] ?? 0) * zones.length) : perZone * zones.length;
    return {
      name,
      cloud: 'gcp' as const,
      instanceType: type,
      zones,
      region,
      labels,
      taints,
      resources: res,
      initial: perZone * zones.length,
      max,
      ...(a ? { autoscaler: 'GKE cluster autoscaler (managed)' } : {}),
      template: { labels, taints, resources: res },
    };
  });
}

/** The pools of an AKS stack. AKS labels and taints spot pools itself (kubernetes.azure.com/scalesetpriority=spot). */
export function aksPools(tf: Json): SimPool[] {
  const [, cluster] = resources(tf, 'azurerm_kubernetes_cluster')[0] ?? [];
  if (!cluster) return [];
  const region = literal(tf, cluster['location']) ?? 'eastus2';
  const plugin = cluster['network_profile']?.['network_plugin'] as string | undefined;
  const overlay = cluster['network_profile']?.['network_plugin_mode'] === 'overlay';
  const defaultMaxPods = plugin === 'azure' && !overlay ? 30 : overlay ? 250 : 110;
  const gpuOperator = hasGpuOperator(tf);
  const pool = (p: Json, mode: 'system' | 'user'): SimPool => {
    const name = String(p['name']);
    const type = String(p['vm_size']);
    const it = instanceType(type, 'azure');
    const zones = ((p['zones'] ?? []) as string[]).map((z) => `${region}-${z}`);
    const labels: Record<string, string> = {
      ...baseLabels(type, region),
      ...((p['node_labels'] ?? {}) as Record<string, string>),
      'kubernetes.azure.com/agentpool': name,
      agentpool: name,
      'kubernetes.azure.com/mode': mode,
      'kubernetes.azure.com/os-sku': String(p['os_sku'] ?? 'Ubuntu'),
    };
    let taints = ((p['node_taints'] ?? []) as string[]).map(taintFromString);
    if (p['only_critical_addons_enabled']) taints = withTaint(taints, { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' });
    if (it.gpus > 0) labels['kubernetes.azure.com/accelerator'] = 'nvidia';
    const template = { ...labels };
    if (gpuOperator) Object.assign(labels, gfdLabels(it));
    if (p['priority'] === 'Spot') {
      labels['kubernetes.azure.com/scalesetpriority'] = 'spot';
      taints = withTaint(taints, { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' });
    }
    const res = nodeResources(it, { maxPods: Number(p['max_pods'] ?? defaultMaxPods), diskGiB: Number(p['os_disk_size_gb'] ?? 128), gpuDevicePlugin: gpuOperator });
    const auto = p['auto_scaling_enabled'] === true;
    const initial = Number(p['node_count'] ?? p['min_count'] ?? 0);
    return {
      name,
      cloud: 'azure',
      instanceType: type,
      zones: zones.length ? zones : ['0'],
      region,
      labels,
      taints,
      resources: res,
      initial,
      max: auto ? Number(p['max_count'] ?? initial) : initial,
      ...(auto ? { autoscaler: 'AKS cluster autoscaler (managed)' } : {}),
      template: { labels: { ...template, ...(p['priority'] === 'Spot' ? { 'kubernetes.azure.com/scalesetpriority': 'spot' } : {}) }, taints, resources: res },
    };
  };
  return [pool(cluster['default_node_pool'] as Json, 'system'), ...resources(tf, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => pool(p, p['mode'] === 'System' ? 'system' : 'user'))];
}

/**
 * `local`: a kind-like cluster: a tainted control-plane node, one CPU worker and one worker with 4 GPUs that carries
 * the GPU Operator's `nvidia.com/gpu.present` label and the common on-prem `nvidia.com/gpu` taint (a GPU cluster
 * brings its own device plugin: the README's local install assumes the GPU Operator). Nothing scales.
 */
export function localPools(): SimPool[] {
  const mk = (name: string, extra: Record<string, string>, taints: Taint[], gpus: number): SimPool => {
    const res = nodeResources({ cloud: 'gcp', vcpus: 8, memoryGiB: 32, gpus }, { maxPods: 110, diskGiB: 100, gpuDevicePlugin: true });
    const labels = { ...baseLabels('kind', 'local'), ...extra };
    return { name, cloud: 'local', instanceType: 'kind', zones: ['local'], region: 'local', labels, taints, resources: res, initial: 1, max: 1, template: { labels, taints, resources: res } };
  };
  return [
    mk('control-plane', { 'node-role.kubernetes.io/control-plane': '' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], 0),
    mk('worker', {}, [], 0),
    mk('gpu-worker', { 'nvidia.com/gpu.present': 'true' }, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }], 4),
  ];
}

/** The targets the simulated cluster runs: every target of the spec. */
export type SimTarget = Target;

export function poolsOf(target: SimTarget, tf: Json | undefined): SimPool[] {
  if (target === 'local') return localPools();
  if (!tf) throw new Error(`no Terraform JSON for ${target}: run \`npm run synth\` (or pass --tf-out)`);
  return target === 'eks' ? eksPools(tf) : target === 'gke' ? gkePools(tf) : aksPools(tf);
}
