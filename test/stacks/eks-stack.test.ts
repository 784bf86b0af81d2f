/**
 * The EKS stack's Terraform JSON: every reference resolves and every provider is pinned; the resources carry the
 * values that matter (AMI and capacity types, taints, IMDSv2, encryption, prevent_destroy, autoscaler tags);
 * addresses are stable when pools come and go; the taints and the storage class agree with dist/eks; and synth
 * needs neither credentials nor network.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformApp } from '../../stacks/app.js';
import { VERSIONS } from '../../spec/versions.js';
import { CLOUD_TARGETS } from '../../spec/schema.js';
import { ROOT } from '../support/env.js';
import { byKind, specsFrom, synthSpec } from '../support/synth.js';

type Block = Record<string, Record<string, Record<string, unknown>>>;
interface TfJson {
  resource: Block;
  data?: Block;
  variable?: Record<string, unknown>;
  locals?: Record<string, unknown>;
  provider: Record<string, unknown>;
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  output: Record<string, { value: unknown }>;
}

function synthStacks(yaml?: string): Record<string, TfJson> {
  const out = mkdtempSync(join(tmpdir(), 'eks-'));
  buildTerraformApp(specsFrom(yaml), out).synth();
  return Object.fromEntries(CLOUD_TARGETS.map((t) => [t, JSON.parse(readFileSync(join(out, 'stacks', t, 'cdk.tf.json'), 'utf8')) as TfJson]));
}
const EFA = `
targets:
  eks:
    cluster:
      gpuPools:
        h100: { instanceType: p5.48xlarge, accelerator: nvidia-h100-80gb, gpusPerNode: 8, capacity: on-demand, fastNetwork: true, minNodes: 0, maxNodes: 4, zones: [us-west-2a, us-west-2b], labels: { team: a }, taints: [{ key: dedicated, value: h100, effect: NoSchedule }] }
`;
const base = synthStacks();
const eks = base['eks']!;
const efa = synthStacks(EFA)['eks']!;

const resources = (tf: TfJson, type: string) => Object.values(tf.resource[type] ?? {});
const addresses = (tf: TfJson) => Object.entries(tf.resource).flatMap(([type, rs]) => Object.keys(rs).map((n) => `${type}.${n}`)).sort();
interface Dynamic {
  for_each: string;
  iterator: string;
  content: Record<string, unknown>;
}

/**
 * What Terraform makes of the EFA `dynamic "network_interfaces"` block for an instance type with these attributes of
 * `aws_ec2_instance_type`: the expressions are the small HCL subset of literals, `==`, `?:`, `min` and `range`,
 * which read the same in JavaScript once the references are replaced by values.
 */
function evaluateInterfaces(block: Dynamic, facts: Record<string, number>): Record<string, unknown>[] {
  const evaluate = (expr: string, card?: number): unknown => {
    let e = expr.replace(/^\$\{([^]*)\}$/, '$1').replace(/data\.aws_ec2_instance_type\.[\w-]+\.(\w+)/g, (_, attr: string) => String(facts[attr]));
    if (card !== undefined) e = e.replaceAll(`${block.iterator}.value`, String(card));
    expect(e, 'only literals, ==, ?:, min and range are left').toMatch(/^[\sa-z0-9(),=?:"-]*$/);
    const range = (start: number, limit: number, step = 1) => Array.from({ length: Math.max(0, Math.ceil((limit - start) / step)) }, (_, i) => start + i * step);
    return new Function('range', 'min', `return (${e});`)(range, Math.min) as unknown;
  };
  return (evaluate(block.for_each) as number[]).map((card) =>
    Object.fromEntries(Object.entries(block.content).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('${') && v.includes(`${block.iterator}.`) ? evaluate(v, card) : v])),
  );
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

describe('reference integrity and provider pins (every stack)', () => {
  const REF = /\b((?:data\.)?(?:aws|helm|azurerm|google)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
  for (const [name, tf] of Object.entries({ ...base, 'eks with EFA': efa })) {
    it(`${name}: each \${...} and depends_on names a declared resource or data source; each provider is pinned`, () => {
      const declared = (ref: string, id: string) => (ref.startsWith('data.') ? tf.data?.[ref.slice(5)]?.[id] : tf.resource?.[ref]?.[id]) !== undefined;
      const missing: string[] = [];
      let seen = 0;
      for (const s of strings({ resource: tf.resource, data: tf.data, provider: tf.provider, output: tf.output })) {
        const exprs = s.match(/\$\{[^]*\}/g) ?? [];
        for (const e of exprs) {
          for (const m of e.matchAll(REF)) {
            seen++;
            if (!declared(m[1]!, m[2]!)) missing.push(`${m[1]}.${m[2]}`);
          }
          for (const m of e.matchAll(/\b(var|local)\.([A-Za-z0-9_-]+)/g)) {
            const ok = m[1] === 'var' ? tf.variable?.[m[2]!] : tf.locals?.[m[2]!];
            if (!ok) missing.push(`${m[1]}.${m[2]}`);
          }
        }
      }
      for (const rs of Object.values(tf.resource ?? {})) {
        for (const r of Object.values(rs)) {
          for (const d of (r['depends_on'] as string[] | undefined) ?? []) {
            const [type, id] = d.split('.');
            if (!declared(type!, id!)) missing.push(`depends_on ${d}`);
          }
        }
      }
      expect(missing).toEqual([]);
      if (name.startsWith('eks')) expect(seen).toBeGreaterThan(50);
      // Every provider a resource type belongs to is pinned with its full source address and an exact version.
      const used = new Set([...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {}), ...Object.keys(tf.provider)].map((t) => t.split('_')[0]!));
      for (const p of used) expect(tf.terraform.required_providers[p], `provider ${p}`).toMatchObject({ source: `hashicorp/${p}`, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    });
  }
});

describe('EKS resources carry the expected values', () => {
  it('the cluster: version from the matrix, secrets encrypted with a rotating KMS key, API access entries, public endpoint limited to the deployer, every log type', () => {
    const [cluster] = resources(eks, 'aws_eks_cluster');
    expect(cluster).toMatchObject({
      version: VERSIONS.kubernetes.eks,
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true },
      // The public endpoint admits the deployer's address only (looked up at plan time; test/stacks/api-access.test.ts).
      vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['${chomp(data.http.deployer_ip.response_body)}/32'] },
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      // Never into paid extended support silently: at its end EKS upgrades the cluster instead.
      upgrade_policy: { support_type: 'STANDARD' },
    });
    expect(cluster!['encryption_config']).toEqual({ resources: ['secrets'], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.[^}]+\.arn\}$/) } });
    expect(resources(eks, 'aws_kms_key')[0]).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(resources(eks, 'aws_iam_openid_connect_provider')).toHaveLength(1);
    const pub = synthStacks('cluster: { network: { publicEndpoint: true, publicAccessCidrs: [203.0.113.0/24] } }')['eks']!;
    expect(resources(pub, 'aws_eks_cluster')[0]!['vpc_config']).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    const priv = synthStacks('cluster: { admins: ["arn:aws:iam::123456789012:role/platform"] }')['eks']!;
    expect(resources(synthStacks('targets: { eks: { cluster: { kubernetesSupport: extended } } }')['eks']!, 'aws_eks_cluster')[0]!['upgrade_policy']).toEqual({ support_type: 'EXTENDED' });
    expect(resources(priv, 'aws_eks_access_policy_association')[0]).toMatchObject({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } });
  });

  it('node groups: AL2023 NVIDIA AMI on GPU pools, SPOT capacity on the spot pool, the GPU and spot taints, min 0', () => {
    const groups = Object.fromEntries(resources(eks, 'aws_eks_node_group').map((g) => [g['node_group_name'] as string, g]));
    expect(groups['system']).toMatchObject({ ami_type: 'AL2023_x86_64_STANDARD', capacity_type: 'ON_DEMAND', scaling_config: { min_size: 2 } });
    expect(groups['gpu']).toMatchObject({ ami_type: 'AL2023_x86_64_NVIDIA', capacity_type: 'ON_DEMAND', scaling_config: { min_size: 0, desired_size: 0 }, taint: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }] });
    expect(groups['gpuspot']).toMatchObject({ ami_type: 'AL2023_x86_64_NVIDIA', capacity_type: 'SPOT' });
    expect(groups['gpuspot']!['taint']).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' },
      { key: 'eks.amazonaws.com/capacityType', value: 'SPOT', effect: 'NO_SCHEDULE' },
    ]);
    for (const g of Object.values(groups)) expect(g['lifecycle']).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  it('launch templates: IMDSv2 required with hop limit 2, encrypted gp3 root volumes (200 GiB on GPU pools)', () => {
    const lts = resources(eks, 'aws_launch_template');
    expect(lts).toHaveLength(3);
    for (const lt of lts) {
      expect(lt['metadata_options']).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 });
      expect(lt['block_device_mappings']).toEqual([{ device_name: '/dev/xvda', ebs: expect.objectContaining({ encrypted: 'true', volume_type: 'gp3' }) }]);
    }
    expect(lts.map((l) => (l['block_device_mappings'] as { ebs: { volume_size: number } }[])[0]!.ebs.volume_size).sort()).toEqual([200, 200, 50]);
  });

  it('autoscaler tags on the Auto Scaling groups: discovery, node-template taints, labels and GPU count for scale from zero', () => {
    const tags = resources(eks, 'aws_autoscaling_group_tag').map((t) => t['tag'] as { key: string; value: string; propagate_at_launch: boolean });
    const keys = tags.map((t) => `${t.key}=${t.value}`);
    expect(keys).toContain('k8s.io/cluster-autoscaler/enabled=true');
    expect(keys).toContain('k8s.io/cluster-autoscaler/dynamo=owned');
    expect(keys).toContain('k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu=present:NoSchedule');
    expect(keys).toContain('k8s.io/cluster-autoscaler/node-template/taint/eks.amazonaws.com/capacityType=SPOT:NoSchedule');
    expect(keys).toContain('k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu=4');
    expect(keys).toContain('k8s.io/cluster-autoscaler/node-template/label/dynamo-iac.io/accelerator=nvidia-l40s');
    expect(JSON.stringify(resources(eks, 'aws_autoscaling_group_tag')[0]!['autoscaling_group_name'])).toMatch(/aws_eks_node_group\..*\.resources\[0\]\.autoscaling_groups\[0\]\.name/);
  });

  it('EFA pools: one EFA interface per network card as the instance type reports it, primary on card 0, EFA-only on the others', () => {
    const lt = resources(efa, 'aws_launch_template').find((l) => l['dynamic'])!;
    const block = (lt['dynamic'] as Record<string, Dynamic>)['network_interfaces']!;
    // The count comes from the data source of the pool's own instance type, at plan time.
    const [typeId] = /data\.aws_ec2_instance_type\.([^.]+)\./.exec(block.for_each)!.slice(1);
    expect(efa.data!['aws_ec2_instance_type']![typeId!]).toMatchObject({ instance_type: 'p5.48xlarge' });
    const p5 = evaluateInterfaces(block, { maximum_network_cards: 32, efa_maximum_interfaces: 32 });
    expect(p5).toHaveLength(32);
    expect(p5.map((i) => i['network_card_index'])).toEqual([...Array(32).keys()]);
    expect(p5[0]).toMatchObject({ device_index: 0, interface_type: 'efa' });
    for (const i of p5.slice(1)) expect(i).toMatchObject({ device_index: 1, interface_type: 'efa-only' });
    for (const i of p5) expect(i['security_groups']).toEqual([expect.stringMatching(/cluster_security_group_id/), expect.stringMatching(/aws_security_group\.efa-sg\.id/)]);
    // A one-card type gets its one primary interface; one interface per card, as terraform-aws-eks counts them.
    expect(evaluateInterfaces(block, { maximum_network_cards: 1, efa_maximum_interfaces: 1 })).toEqual([expect.objectContaining({ interface_type: 'efa', device_index: 0 })]);
    expect(evaluateInterfaces(block, { maximum_network_cards: 4, efa_maximum_interfaces: 4 })).toHaveLength(4);
    // A type with fewer EFA interfaces than cards fails the plan with a message, instead of silently getting fewer.
    const postconditions = (efa.data!['aws_ec2_instance_type']![typeId!]!['lifecycle'] as { postcondition: { condition: string; error_message: string }[] }).postcondition;
    const holds = (facts: Record<string, number>) =>
      postconditions.filter((p) => /maximum/.test(p.condition)).map((p) => {
        const e = p.condition.replace(/^\$\{([^]*)\}$/, '$1').replace(/self\.(\w+)/g, (_, a: string) => String(facts[a]));
        expect(e).toMatch(/^[\s0-9>=<]*$/);
        return new Function(`return (${e});`)() as boolean;
      });
    expect(holds({ maximum_network_cards: 4, efa_maximum_interfaces: 2 })).toEqual([false]);
    expect(holds({ maximum_network_cards: 32, efa_maximum_interfaces: 32 })).toEqual([true]);
    expect(postconditions.find((p) => /maximum/.test(p.condition))!.error_message).toMatch(/p5\.48xlarge takes fewer EFA interfaces .* than it has network cards .*fastNetwork: false/);
    expect(lt['network_interfaces']).toBeUndefined();
    expect(resources(efa, 'aws_placement_group')).toEqual([expect.objectContaining({ strategy: 'cluster' })]);
    const rules = [...resources(efa, 'aws_vpc_security_group_ingress_rule'), ...resources(efa, 'aws_vpc_security_group_egress_rule')].filter((r) => r['ip_protocol'] === '-1');
    expect(rules).toHaveLength(2);
    for (const r of rules) expect(r['referenced_security_group_id']).toBe(r['security_group_id']);
    expect(resources(efa, 'helm_release').map((r) => r['name'])).toContain('aws-efa-k8s-device-plugin');
  });

  it('EFA pools with zones: exactly one subnet, a private one in a zone of the pool that offers the instance type', () => {
    const h100 = resources(efa, 'aws_eks_node_group').find((g) => g['node_group_name'] === 'h100')!;
    expect(h100['taint']).toContainEqual({ key: 'dedicated', value: 'h100', effect: 'NO_SCHEDULE' });
    const subnetIds = h100['subnet_ids'] as string[];
    expect(subnetIds).toHaveLength(1);
    const [subnetsId] = /^\$\{element\(sort\(data\.aws_subnets\.([^.]+)\.ids\), 0\)\}$/.exec(subnetIds[0]!)!.slice(1);
    const subnets = efa.data!['aws_subnets']![subnetsId!]!;
    const filter = Object.fromEntries((subnets['filter'] as { name: string; values: unknown }[]).map((f) => [f.name, f.values]));
    // Among the cluster's private subnets only ...
    expect(filter['subnet-id']).toEqual(resources(efa, 'aws_subnet').filter((s) => String((s['tags'] as Record<string, string>)['Name']).includes('-private-')).map((_, i) => expect.stringContaining(`private-${i}`)));
    // ... in the zones that offer the type, within the pool's zones.
    const [offeringsId] = /^\$\{data\.aws_ec2_instance_type_offerings\.([^.]+)\.locations\}$/.exec(String(filter['availability-zone']))!.slice(1);
    expect(efa.data!['aws_ec2_instance_type_offerings']![offeringsId!]).toMatchObject({
      location_type: 'availability-zone',
      filter: [{ name: 'instance-type', values: ['p5.48xlarge'] }, { name: 'location', values: ['us-west-2a', 'us-west-2b'] }],
    });
    // An empty choice fails the plan with a message, instead of a node group with no subnet.
    expect(subnets['lifecycle']).toEqual({ postcondition: [expect.objectContaining({ condition: '${length(self.ids) > 0}' })] });
    for (const [type, n] of [['aws_ec2_instance_type', 2], ['aws_ec2_instance_type_offerings', 1]] as const) {
      for (const d of Object.values(efa.data![type]!)) expect((d['lifecycle'] as { postcondition: unknown[] }).postcondition).toHaveLength(n);
    }
    // Without zones the group still gets one subnet, from any zone that offers the type.
    const anyZone = synthStacks(EFA.replace('zones: [us-west-2a, us-west-2b], ', ''))['eks']!;
    const g = resources(anyZone, 'aws_eks_node_group').find((x) => x['node_group_name'] === 'h100')!;
    expect(g['subnet_ids']).toEqual([expect.stringMatching(/^\$\{element\(sort\(data\.aws_subnets\./)]);
    expect(Object.values(anyZone.data!['aws_ec2_instance_type_offerings']!)[0]!['filter']).toEqual([{ name: 'instance-type', values: ['p5.48xlarge'] }]);
  });

  it('model storage: encrypted, protected EFS with a mount target per private subnet; FSx for Lustre as the alternative', () => {
    expect(resources(eks, 'aws_efs_file_system')[0]).toMatchObject({ encrypted: true, throughput_mode: 'bursting', lifecycle: { prevent_destroy: true } });
    expect(resources(eks, 'aws_efs_mount_target')).toHaveLength(3);
    expect(resources(eks, 'aws_vpc_security_group_ingress_rule').map((r) => r['from_port'])).toContain(2049);
    const lustre = synthStacks('targets: { eks: { cluster: { modelStorage: { kind: lustre, tier: performance } } } }')['eks']!;
    expect(resources(lustre, 'aws_efs_file_system')).toEqual([]);
    expect(resources(lustre, 'aws_eks_addon').map((a) => a['addon_name'])).toContain('aws-fsx-csi-driver');
    const storage = resources(lustre, 'helm_release').find((r) => r['name'] === 'dynamo-iac-storage')!;
    expect(String((storage['values'] as string[])[0])).toContain('"perUnitStorageThroughput" = "1000"');
  });

  it('FSx for Lustre: TCP 988 and 1018-1023 both ways between the file servers, and between them and the nodes (the clients)', () => {
    const lustre = synthStacks('targets: { eks: { cluster: { modelStorage: { kind: lustre } } } }')['eks']!;
    const [fsId] = Object.entries(lustre.resource['aws_security_group']!).find(([, g]) => g['name'] === 'dynamo-model-storage')!;
    const fs = `\${aws_security_group.${fsId}.id}`;
    const [clusterId] = Object.keys(lustre.resource['aws_eks_cluster']!);
    const nodes = `\${aws_eks_cluster.${clusterId}.vpc_config[0].cluster_security_group_id}`;
    // The nodes of every pool carry the cluster security group: no launch template names another for them.
    for (const lt of resources(lustre, 'aws_launch_template')) expect(lt['vpc_security_group_ids']).toBeUndefined();
    const rules = (kind: 'ingress' | 'egress') => resources(lustre, `aws_vpc_security_group_${kind}_rule`);
    const covers = (r: Record<string, unknown>, port: number) => r['ip_protocol'] === '-1' || (r['ip_protocol'] === 'tcp' && Number(r['from_port']) <= port && port <= Number(r['to_port']));
    // Traffic from A to B on a port needs A's egress to B and B's ingress from A (security groups are per interface).
    const flows = (from: string, to: string, port: number) =>
      rules('egress').some((r) => r['security_group_id'] === from && r['referenced_security_group_id'] === to && covers(r, port)) &&
      rules('ingress').some((r) => r['security_group_id'] === to && r['referenced_security_group_id'] === from && covers(r, port));
    for (const port of [988, 1018, 1019, 1020, 1021, 1022, 1023]) {
      expect(flows(fs, fs, port), `file server <-> file server :${port}`).toBe(true);
      expect(flows(nodes, fs, port), `node -> file server :${port}`).toBe(true);
      expect(flows(fs, nodes, port), `file server -> node :${port}`).toBe(true);
    }
    // Nothing else is opened on the file system: not the ports between, not a CIDR.
    for (const r of [...rules('ingress'), ...rules('egress')].filter((x) => x['security_group_id'] === fs)) {
      expect(r['cidr_ipv4']).toBeUndefined();
      expect([[988, 988], [1018, 1023]]).toContainEqual([r['from_port'], r['to_port']]);
    }
    const storage = resources(lustre, 'helm_release').find((r) => r['name'] === 'dynamo-iac-storage')!;
    expect(String((storage['values'] as string[])[0])).toContain(`"securityGroupIds" = aws_security_group.${fsId}.id,`);
  });

  it('ECR: one repository per image of the matrix, immutable tags, scan on push, KMS, protected', () => {
    const repos = resources(eks, 'aws_ecr_repository');
    // Every image path we emit, so that platform.images.registry can point at this account's registry.
    expect(repos.map((r) => r['name']).sort()).toEqual([
      'etcd-development/etcd',
      'library/nats',
      'library/python',
      'natsio/prometheus-nats-exporter',
      'nvidia/ai-dynamo/dynamo-frontend',
      'nvidia/ai-dynamo/kubernetes-operator',
      'nvidia/ai-dynamo/sglang-runtime',
      'nvidia/ai-dynamo/tensorrtllm-runtime',
      'nvidia/ai-dynamo/vllm-runtime',
      'nvidia/cuda',
    ]);
    for (const r of repos) expect(r).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, force_delete: false, lifecycle: { prevent_destroy: true } });
  });

  it('the VPC CNI enforces NetworkPolicies, and every release waits for (so destroy outlives) the load balancer controller\'s role binding', () => {
    const cni = resources(eks, 'aws_eks_addon').find((a) => a['addon_name'] === 'vpc-cni')!;
    expect(JSON.parse(String(cni['configuration_values']))).toEqual({ enableNetworkPolicy: 'true' });
    const assoc = Object.entries(eks.resource['aws_eks_pod_identity_association']!).find(([, a]) => a['service_account'] === 'aws-load-balancer-controller')![0];
    // The first release of the chain (our StorageClasses); every later one waits for it.
    const first = Object.values(eks.resource['helm_release']!).find((r) => !(r['depends_on'] as string[]).some((d) => d.startsWith('helm_release.')))!;
    expect(first['name']).toBe('dynamo-iac-storage-classes');
    expect(first['depends_on']).toContain(`aws_eks_pod_identity_association.${assoc}`);
  });

  it('container logs: the CloudWatch Observability add-on with its own CloudWatch role, none with logs off', () => {
    const cw = resources(eks, 'aws_eks_addon').find((a) => a['addon_name'] === 'amazon-cloudwatch-observability')!;
    const roleRef = String((cw['pod_identity_association'] as { role_arn: string }[])[0]!.role_arn);
    const role = Object.entries(eks.resource['aws_iam_role']!).find(([id]) => roleRef.includes(`aws_iam_role.${id}.`))!;
    const attached = resources(eks, 'aws_iam_role_policy_attachment').filter((a) => String(a['role']).includes(`aws_iam_role.${role[0]}.`)).map((a) => String(a['policy_arn']));
    expect(attached).toEqual(expect.arrayContaining([expect.stringMatching(/CloudWatchAgentServerPolicy$/)]));
    const off = synthStacks('cluster: { logs: { enabled: false } }')['eks']!;
    expect(resources(off, 'aws_eks_addon').map((a) => a['addon_name'])).not.toContain('amazon-cloudwatch-observability');
    expect(JSON.stringify(off)).not.toContain('CloudWatchAgentServerPolicy');
  });

  it('prevent_destroy is on by default and off with protectStatefulResources: false', () => {
    const open = synthStacks('cluster: { protectStatefulResources: false }')['eks']!;
    for (const type of ['aws_kms_key', 'aws_efs_file_system', 'aws_ecr_repository']) {
      for (const r of resources(open, type)) expect(r['lifecycle']).toEqual({ prevent_destroy: false });
    }
  });

  it('controllers use Pod Identity roles, never the node role: CNI, EBS, EFS, load balancer controller, CloudWatch', () => {
    const addons = Object.fromEntries(resources(eks, 'aws_eks_addon').map((a) => [a['addon_name'] as string, a]));
    expect(Object.keys(addons).sort()).toEqual(['amazon-cloudwatch-observability', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    for (const [name, sa] of [['vpc-cni', 'aws-node'], ['aws-ebs-csi-driver', 'ebs-csi-controller-sa'], ['aws-efs-csi-driver', 'efs-csi-controller-sa'], ['amazon-cloudwatch-observability', 'cloudwatch-agent']]) {
      expect(addons[name!]!['pod_identity_association']).toEqual([expect.objectContaining({ service_account: sa })]);
    }
    expect(resources(eks, 'aws_eks_pod_identity_association').map((a) => `${a['namespace']}/${a['service_account']}`).sort()).toEqual(['kube-system/aws-load-balancer-controller', 'kube-system/cluster-autoscaler']);
    const nodePolicies = resources(eks, 'aws_iam_role_policy_attachment').map((a) => String(a['policy_arn']));
    expect(nodePolicies.filter((p) => p.endsWith('AmazonEKS_CNI_Policy'))).toHaveLength(1);
    const podRoles = resources(eks, 'aws_iam_role').filter((r) => String(r['assume_role_policy']).includes('pods.eks.amazonaws.com'));
    expect(podRoles).toHaveLength(6);
    for (const r of podRoles) expect(JSON.parse(String(r['assume_role_policy'])).Statement[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
  });

  it('network: private subnets in 3 zones for internal load balancers, public ones for internet-facing, NAT', () => {
    const subnets = resources(eks, 'aws_subnet');
    expect(subnets.filter((s) => (s['tags'] as Record<string, string>)['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(3);
    expect(subnets.filter((s) => (s['tags'] as Record<string, string>)['kubernetes.io/role/elb'] === '1')).toHaveLength(3);
    expect(resources(eks, 'aws_nat_gateway')).toHaveLength(1);
    const byo = synthStacks('cluster: { network: { existing: { networkId: vpc-0abc, subnetIds: [subnet-1, subnet-2] } } }')['eks']!;
    expect(resources(byo, 'aws_vpc')).toEqual([]);
    expect(resources(byo, 'aws_eks_cluster')[0]!['vpc_config']).toMatchObject({ subnet_ids: ['subnet-1', 'subnet-2'] });
    // The VPC we create: its default security group adopted with no rules (admits and sends nothing); none on a network we do not own.
    const [defaultSg] = resources(eks, 'aws_default_security_group');
    expect(defaultSg!['vpc_id']).toMatch(/^\$\{aws_vpc\.[^}]+\.id\}$/);
    expect(defaultSg).not.toHaveProperty('ingress');
    expect(defaultSg).not.toHaveProperty('egress');
    expect(resources(byo, 'aws_default_security_group')).toEqual([]);
    // Nodes use the private endpoint only if the VPC resolves it: the VPC we create has both DNS settings, and an
    // existing one is checked at plan time (otherwise nodes would resolve the public endpoint, which admits few).
    expect(resources(eks, 'aws_vpc')[0]).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
    const [existingVpc] = Object.values(byo.data!['aws_vpc'] ?? {});
    expect(existingVpc).toMatchObject({ id: 'vpc-0abc' });
    const [check] = (existingVpc!['lifecycle'] as { postcondition: { condition: string; error_message: string }[] }).postcondition;
    expect(check!.condition).toMatch(/self\.enable_dns_support/);
    expect(check!.condition).toMatch(/self\.enable_dns_hostnames/);
    expect(check!.error_message).toMatch(/cluster\.network\.existing\.networkId/);
  });

  it('a pool pinned to zones uses only the private subnets in them', () => {
    const zoned = synthStacks('cluster: { gpuPools: { gpu: { zones: [us-west-2b, us-west-2c] } } }')['eks']!;
    const gpu = resources(zoned, 'aws_eks_node_group').find((g) => g['node_group_name'] === 'gpu')!;
    expect(gpu['subnet_ids']).toMatch(/^\$\{data\.aws_subnets\.[^}]+\.ids\}$/);
    const [data] = Object.values(zoned.data!['aws_subnets']!);
    expect(data!['filter']).toContainEqual({ name: 'availability-zone', values: ['us-west-2b', 'us-west-2c'] });
  });

  it('outputs: cluster name, kubeconfig command, storage class, registry URLs', () => {
    expect(eks.output['kubeconfig_command']!.value).toBe('aws eks update-kubeconfig --region us-west-2 --name dynamo');
    expect(eks.output['model_storage_class']!.value).toBe('efs-model-cache');
    expect(Object.keys(eks.output['registry_urls']!.value as object)).toHaveLength(10);
    expect(eks.output['image_registry']!.value).toMatch(/^\$\{aws_ecr_repository\.[^}]+\.registry_id\}\.dkr\.ecr\.us-west-2\.amazonaws\.com$/);
  });
});

describe('the deploy path', () => {
  it('Helm releases in dependency order: our StorageClasses, CRDs, cluster-autoscaler, kube-prometheus-stack, GPU Operator (driver from the AMI), load balancer controller, Grove, KAI, storage class, platform', () => {
    const releases = Object.entries(eks.resource['helm_release']!);
    const byName = Object.fromEntries(releases.map(([id, r]) => [r['name'] as string, { id, r }]));
    const order = ['dynamo-iac-storage-classes', 'dynamo-crds', 'cluster-autoscaler', 'kube-prometheus-stack', 'gpu-operator', 'aws-load-balancer-controller', 'grove', 'kai-scheduler', 'dynamo-iac-storage', 'dynamo-iac-platform'];
    expect(Object.keys(byName).sort()).toEqual([...order].sort());
    for (let i = 1; i < order.length; i++) expect(byName[order[i]!]!.r['depends_on']).toEqual([`helm_release.${byName[order[i - 1]!]!.id}`]);
    expect(byName['gpu-operator']!.r['set']).toEqual([{ name: 'driver.enabled', value: 'false' }, { name: 'toolkit.enabled', value: 'false' }]);
    // The operator's DaemonSets tolerate the spot taint too, or spot GPU nodes would get no device plugin.
    expect(String((byName['gpu-operator']!.r['values'] as string[])[0])).toContain('eks.amazonaws.com/capacityType');
    // The controller gets the VPC id from Terraform (it cannot reach the instance metadata through IMDSv2's one hop).
    expect(byName['aws-load-balancer-controller']!.r['set']).toEqual(
      expect.arrayContaining([{ name: 'vpcId', value: expect.stringMatching(/^\$\{aws_vpc\..*\.id\}$/) }, { name: 'serviceAccount.name', value: 'aws-load-balancer-controller' }]),
    );
    expect(byName['dynamo-iac-storage-classes']!.r['depends_on']).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_node_group\.system-pool/), expect.stringMatching(/^aws_eks_addon\..*coredns/)]));
  });

  it('the platform release carries the platform files of dist/eks but the StorageClasses (their own, first release), not the graphs (unless deploy.graphs)', () => {
    const platform = Object.values(eks.resource['helm_release']!).find((r) => r['name'] === 'dynamo-iac-platform')!;
    const dir = join(ROOT, 'cdktf.out', 'stacks', 'eks');
    expect(String(platform['chart'])).toMatch(/^assets\/kubernetes_platform-chart_asset_[0-9A-F]+\/[0-9A-F]+$/);
    const out = mkdtempSync(join(tmpdir(), 'eks-assets-'));
    buildTerraformApp(specsFrom(), out).synth();
    const templates = readdirSync(join(out, 'stacks', 'eks', String(platform['chart']), 'templates')).sort();
    const classes = Object.values(eks.resource['helm_release']!).find((r) => r['name'] === 'dynamo-iac-storage-classes')!;
    expect(readdirSync(join(out, 'stacks', 'eks', String(classes['chart']), 'templates'))).toEqual(['01-storage-classes.k8s.yaml']);
    expect(templates).toEqual(['00-namespace.k8s.yaml', '09-etcd-backup.k8s.yaml', '10-etcd.k8s.yaml', '20-nats.k8s.yaml', '30-dynamo-operator.k8s.yaml', '35-kai-queues.k8s.yaml', '40-workloads.k8s.yaml', '41-model-cache-access.k8s.yaml', '70-observability.k8s.yaml']);
    expect(dir).toBeTruthy();
    const withGraphs = synthStacks('cluster: { deploy: { graphs: true } }')['eks']!;
    expect(Object.values(withGraphs.resource['helm_release']!).map((r) => r['name'])).toContain('dynamo-iac-graphs');
    const none = synthStacks('cluster: { deploy: { platform: false } }')['eks']!;
    expect(none.resource['helm_release']).toBeUndefined();
    expect(Object.keys(none.terraform.required_providers)).toEqual(['aws', 'http']);
  });
});

describe('address stability', () => {
  it('adding a GPU pool adds only its own resources; removing one removes only its own', () => {
    const before = addresses(eks);
    const added = addresses(synthStacks(`cluster: { gpuPools: { a100: { instanceType: p4d.24xlarge, accelerator: nvidia-a100, gpusPerNode: 8, capacity: on-demand, fastNetwork: false, minNodes: 0, maxNodes: 1 } } }`)['eks']!);
    const removed = addresses(synthStacks('cluster: { gpuPools: { gpuspot: null } }')['eks']!);
    // Only the new pool's own resources appear; the deploy path's releases keep their addresses.
    expect(added.filter((a) => !before.includes(a)).every((a) => a.includes('gpu-pool-a100'))).toBe(true);
    expect(before.filter((a) => !added.includes(a))).toEqual([]);
    expect(before.filter((a) => !removed.includes(a)).every((a) => a.includes('gpu-pool-gpuspot'))).toBe(true);
    expect(removed.filter((a) => !before.includes(a))).toEqual([]);
  });

  it('the same spec gives the same addresses and the same JSON', () => {
    expect(JSON.stringify(synthStacks()['eks'])).toBe(JSON.stringify(eks));
  });
});

describe('cross-layer: the stack and dist/eks agree', () => {
  it('every taint of every GPU node group is tolerated by the GPU workloads meant for it; their class is the one this stack creates', () => {
    const { objects } = synthSpec(specsFrom().eks);
    const taintsOf = Object.fromEntries(resources(eks, 'aws_eks_node_group').map((g) => [g['node_group_name'] as string, g['taint'] as { key: string; value: string; effect: string }[]]));
    const k8sEffect: Record<string, string> = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };
    let checked = 0;
    for (const dgd of byKind(objects, 'DynamoGraphDeployment')) {
      for (const svc of Object.values((dgd as unknown as { spec: { services: Record<string, Record<string, any>> } }).spec.services)) { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (svc['componentType'] !== 'worker') continue;
        const pools: string[] = svc['extraPodSpec']['affinity']['nodeAffinity']['requiredDuringSchedulingIgnoredDuringExecution']['nodeSelectorTerms'][0]['matchExpressions'][0]['values'];
        const tols = svc['extraPodSpec']['tolerations'] as { key: string; value?: string; effect: string; operator: string }[];
        for (const pool of pools) {
          for (const t of taintsOf[pool]!) {
            checked++;
            expect(tols.some((x) => x.key === t.key && x.effect === k8sEffect[t.effect] && (x.operator === 'Exists' || x.value === t.value)), `${pool}: ${t.key}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2);
    const claim = byKind(objects, 'PersistentVolumeClaim', 'model-cache')[0] as unknown as { spec: { storageClassName: string } };
    const storage = Object.values(eks.resource['helm_release']!).find((r) => r['name'] === 'dynamo-iac-storage')!;
    const out = mkdtempSync(join(tmpdir(), 'eks-sc-'));
    buildTerraformApp(specsFrom(), out).synth();
    const template = readFileSync(join(out, 'stacks', 'eks', String(storage['chart']), 'templates', 'storage-class.yaml'), 'utf8');
    // The template renders the class the release's values carry; the claim names that class.
    expect(template).toContain('.Values.storageClass');
    const values = String((storage['values'] as string[])[0]);
    expect(values).toMatch(/^\$\{yamlencode\(\{"storageClass" = /);
    expect(values).toContain(`"name" = "${claim.spec.storageClassName}"`);
    expect(values).toContain('"provisioner" = "efs.csi.aws.com"');
  });
});

describe('synth needs no credentials and no network', () => {
  it('`node build/bin/synth.js --only tf` succeeds with no cloud variables and every proxy pointing nowhere', () => {
    const out = mkdtempSync(join(tmpdir(), 'offline-'));
    const env = {
      PATH: process.env['PATH']!,
      HOME: mkdtempSync(join(tmpdir(), 'home-')),
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const text = execFileSync('node', ['build/bin/synth.js', '--only', 'tf', '--tf-out', out], { cwd: ROOT, env, encoding: 'utf8' });
    expect(text).toMatch(/synthesized .*stacks/);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['aks', 'eks', 'gke']);
  });
});
