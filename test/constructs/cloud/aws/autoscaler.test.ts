/**
 * The node autoscaler of the EKS stack, on the synthesized Terraform JSON and eks manifests: with the default
 * (cluster-autoscaler) a release of the cluster's own minor, on the system pool, bound by Pod Identity to exactly
 * upstream's permissions, its writes scoped by a tag every GPU group carries, and node templates on the Auto Scaling
 * groups that satisfy what the workloads select and tolerate; with `autoscaler: karpenter` no GPU node groups, one
 * NodePool and EC2NodeClass per pool with the same labels and taints, the interruption queue and its rules, and
 * every name the manifests use matching a resource of the stack. Both releases wait for what they need.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_AUTOSCALER_FLAGS,
  CLUSTER_AUTOSCALER_GPU_LABEL,
  CLUSTER_AUTOSCALER_READ_ACTIONS,
  CLUSTER_AUTOSCALER_WRITE_ACTIONS,
} from '../../../../constructs/cloud/aws/cluster-autoscaler.js';
import { KARPENTER_INTERRUPTION_EVENTS } from '../../../../constructs/cloud/aws/karpenter.js';
import { KARPENTER_RESTRICTED_LABEL_DOMAINS, KARPENTER_TERMINATION_GRACE, karpenterPoolProblems } from '../../../../constructs/k8s/karpenter/gpu-node-pool.js';
import { CLUSTER_AUTOSCALER, clusterAutoscalerFor, KARPENTER_CHART, KARPENTER_MIN_FOR_KUBERNETES, karpenterSupports } from '../../../../spec/autoscaler-versions.js';
import { EKS_POOL_FACTS, eksProfile, karpenterNames } from '../../../../spec/profile/aws.js';
import type { CloudSpec, Spec } from '../../../../spec/schema.js';
import { VERSIONS } from '../../../../spec/versions.js';
import { targetManifests } from '../../../../stacks/app.js';
import { EksStack } from '../../../../stacks/eks-stack.js';
import { byKind, problemsOf, specsFrom, synthSpec } from '../../../support/synth.js';
import { TfGraph } from '../../../support/tf-graph.js';

type Resource = Record<string, unknown>;
interface TfJson {
  provider?: Record<string, Resource[]>;
  resource: Record<string, Record<string, Resource>>;
  data?: Record<string, Record<string, Resource>>;
}

function synthEks(yaml?: string): { spec: CloudSpec; tf: TfJson; out: string } {
  const spec = specsFrom(yaml).eks as CloudSpec;
  const out = mkdtempSync(join(tmpdir(), 'eks-autoscaler-'));
  const app = new App({ outdir: out });
  new EksStack(app, 'eks', spec, targetManifests(spec as Spec));
  app.synth();
  return { spec, tf: JSON.parse(readFileSync(join(out, 'stacks', 'eks', 'cdk.tf.json'), 'utf8')) as TfJson, out };
}

/** Seconds of a Karpenter duration such as `1h30m`. */
const durationSeconds = (d: string) => [...d.matchAll(/(\d+)([smh])/g)].reduce((s, [, n, u]) => s + Number(n) * { s: 1, m: 60, h: 3600 }[u as 's' | 'm' | 'h'], 0);

const resources = (tf: TfJson, type: string) => Object.values(tf.resource[type] ?? {});
const entries = (tf: TfJson, type: string) => Object.entries(tf.resource[type] ?? {}).map(([id, r]) => ({ address: `${type}.${id}`, r }));
const release = (tf: TfJson, name: string) => entries(tf, 'helm_release').find((e) => e.r['name'] === name);
const setOf = (r: Resource) => Object.fromEntries(((r['set'] as { name: string; value: string }[] | undefined) ?? []).map((s) => [s.name, s.value]));
const minor = (tag: string) => tag.replace(/^v/, '').split('.').slice(0, 2).join('.');

/** Everything `address` waits for (references, depends_on and provider configurations, transitively). */
const reachable = (tf: TfJson, address: string): Set<string> => new TfGraph(tf).ancestors(address);

/** The role bound to a namespace/service account through an association, and that association. */
function podIdentity(tf: TfJson, namespace: string, serviceAccount: string) {
  const assoc = entries(tf, 'aws_eks_pod_identity_association').find((e) => e.r['namespace'] === namespace && e.r['service_account'] === serviceAccount);
  const roleId = String(assoc?.r['role_arn']).match(/aws_iam_role\.([^.]+)\.arn/)?.[1];
  const role = roleId ? tf.resource['aws_iam_role']![roleId] : undefined;
  return { assoc, role, roleId };
}
type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const inlineStatements = (role: Resource | undefined): Statement[] =>
  ((role?.['inline_policy'] as { policy: string }[] | undefined) ?? []).flatMap((p) => (JSON.parse(p.policy) as { Statement: Statement[] }).Statement);
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the version table: the cluster-autoscaler runs the minor of the cluster', () => {
  it('every pinned release runs the image of its own minor, in a chart of that minor, from the upstream chart repository', () => {
    for (const [k8s, r] of Object.entries(CLUSTER_AUTOSCALER)) {
      expect(minor(r.imageTag), `Kubernetes ${k8s}`).toBe(k8s);
      expect(minor(r.chartAppVersion), `Kubernetes ${k8s}: chart ${r.chart.version}`).toBe(k8s);
      expect(r.chart).toMatchObject({ name: 'cluster-autoscaler', repository: 'https://kubernetes.github.io/autoscaler' });
      expect(r.chart.version).toMatch(/^9\.\d+\.\d+$/);
    }
    expect(Object.keys(CLUSTER_AUTOSCALER)).toEqual(expect.arrayContaining(['1.33', '1.34', '1.35']));
  });

  it('the pinned EKS minor has a cluster-autoscaler and a Karpenter that support it; an unknown minor is refused', () => {
    expect(clusterAutoscalerFor(VERSIONS.kubernetes.eks).imageTag).toMatch(new RegExp(`^v${VERSIONS.kubernetes.eks.replace('.', '\\.')}\\.`));
    expect(karpenterSupports(VERSIONS.kubernetes.eks)).toBe(true);
    expect(() => clusterAutoscalerFor('1.29')).toThrow(/no release pinned for Kubernetes 1\.29/);
    expect(karpenterSupports('1.29')).toBe(false);
    expect(karpenterSupports('1.36', { ...KARPENTER_CHART, version: '1.12.0' })).toBe(false);
    expect(karpenterSupports('1.36', { ...KARPENTER_CHART, version: '1.13.0' })).toBe(true);
    for (const m of Object.keys(KARPENTER_MIN_FOR_KUBERNETES)) expect(karpenterSupports(m), `Karpenter ${KARPENTER_CHART.version} on ${m}`).toBe(true);
  });

  it('the spec refuses a minor without a pinned autoscaler, and the autoscaler field outside EKS', () => {
    expect(problemsOf('targets: { eks: { cluster: { kubernetesVersion: "1.29" } } }').join('\n')).toMatch(/kubernetesVersion.*no cluster-autoscaler release is pinned for Kubernetes 1\.29/);
    expect(problemsOf('targets: { eks: { cluster: { kubernetesVersion: "1.29", autoscaler: karpenter } } }').join('\n')).toMatch(/Karpenter .* does not support Kubernetes 1\.29/);
    // No released cluster-autoscaler chart has app 1.36 yet: refused with the cluster-autoscaler, fine with Karpenter.
    expect(problemsOf('targets: { eks: { cluster: { kubernetesVersion: "1.36" } } }').join('\n')).toMatch(/kubernetesVersion.*no cluster-autoscaler release is pinned for Kubernetes 1\.36/);
    expect(problemsOf('targets: { eks: { cluster: { kubernetesVersion: "1.36", autoscaler: karpenter } } }').join('\n')).not.toMatch(/kubernetesVersion/);
    expect(problemsOf('targets: { gke: { cluster: { autoscaler: karpenter } } }').join('\n')).toMatch(/cluster\.autoscaler.*eks only/);
  });
});

describe('cluster-autoscaler (the default)', () => {
  const { spec, tf } = synthEks();
  const profile = eksProfile(spec);
  const ca = release(tf, 'cluster-autoscaler')!;

  it('is installed from the chart of the cluster minor, with an image of that minor', () => {
    const cluster = resources(tf, 'aws_eks_cluster')[0]!;
    const pinned = CLUSTER_AUTOSCALER[String(cluster['version'])]!;
    expect(ca.r).toMatchObject({ chart: 'cluster-autoscaler', repository: pinned.chart.repository, version: pinned.chart.version, namespace: 'kube-system' });
    const set = setOf(ca.r);
    expect(minor(set['image.tag']!)).toBe(cluster['version']);
    expect(set).toMatchObject({ cloudProvider: 'aws', awsRegion: spec.cluster.region, 'autoDiscovery.clusterName': spec.cluster.name });
    for (const [flag, value] of Object.entries(CLUSTER_AUTOSCALER_FLAGS)) expect(set[`extraArgs.${flag}`], flag).toBe(value);
  });

  it('runs on the system pool, non-root, without privilege escalation', () => {
    const values = String((ca.r['values'] as string[])[0]);
    for (const [k, v] of Object.entries(profile.systemPool!.nodeSelector)) expect(values).toContain(`${k}: ${v}`);
    expect(values).toMatch(/runAsNonRoot: true/);
    expect(values).toMatch(/allowPrivilegeEscalation: false/);
  });

  it('its service account is bound by Pod Identity to a role with exactly the upstream actions, writes scoped to this cluster', () => {
    const { assoc, role } = podIdentity(tf, 'kube-system', setOf(ca.r)['rbac.serviceAccount.name']!);
    expect(assoc).toBeDefined();
    const statements = inlineStatements(role);
    expect(statements.flatMap(actionsOf).sort()).toEqual([...CLUSTER_AUTOSCALER_READ_ACTIONS, ...CLUSTER_AUTOSCALER_WRITE_ACTIONS].sort());
    expect(statements.flatMap(actionsOf)).toContain('eks:DescribeNodegroup');
    const write = statements.find((s) => actionsOf(s).includes('autoscaling:SetDesiredCapacity'))!;
    expect(actionsOf(write).sort()).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    // The condition names a tag that every GPU Auto Scaling group really carries (or the writes would be denied).
    const [[key, value]] = Object.entries(write.Condition!['StringEquals']!) as [[string, string]];
    const tag = key.replace(/^aws:ResourceTag\//, '');
    const gpuGroups = entries(tf, 'aws_eks_node_group').filter((g) => g.r['node_group_name'] !== spec.cluster.systemPool.name);
    for (const g of gpuGroups) {
      const tags = resources(tf, 'aws_autoscaling_group_tag').filter((t) => JSON.stringify(t['autoscaling_group_name']).includes(g.address));
      expect(tags.map((t) => t['tag'] as { key: string; value: string }), g.address).toContainEqual(expect.objectContaining({ key: tag, value }));
    }
  });

  it('each GPU group\'s node template on its Auto Scaling group satisfies what the pool\'s workloads select and tolerate', () => {
    const groups = entries(tf, 'aws_eks_node_group').filter((g) => g.r['node_group_name'] !== spec.cluster.systemPool.name);
    expect(groups.map((g) => g.r['node_group_name']).sort()).toEqual(Object.keys(spec.cluster.gpuPools).sort());
    for (const g of groups) {
      const name = String(g.r['node_group_name']);
      const pool = profile.gpuPools[name]!;
      const tags = Object.fromEntries(
        resources(tf, 'aws_autoscaling_group_tag')
          .filter((t) => JSON.stringify(t['autoscaling_group_name']).includes(g.address))
          .map((t) => t['tag'] as { key: string; value: string })
          .map((t) => [t.key, t.value]),
      );
      const prefix = 'k8s.io/cluster-autoscaler/node-template';
      const templateLabels = Object.fromEntries(Object.entries(tags).filter(([k]) => k.startsWith(`${prefix}/label/`)).map(([k, v]) => [k.slice(`${prefix}/label/`.length), v]));
      // Everything the workloads select on (the pool label included) is in the template...
      for (const [k, v] of Object.entries(pool.nodeSelector)) expect(templateLabels[k], `${name}: ${k}`).toBe(v);
      // ...as is every label the node group really puts on its nodes, and every taint.
      for (const [k, v] of Object.entries(g.r['labels'] as Record<string, string>)) expect(templateLabels[k], `${name}: ${k}`).toBe(v);
      for (const t of pool.taints) expect(tags[`${prefix}/taint/${t.key}`], `${name}: taint ${t.key}`).toBe(`${t.value ?? ''}:${t.effect}`);
      expect(tags[`${prefix}/resources/nvidia.com/gpu`]).toBe(String(pool.gpusPerNode));
      expect(templateLabels['eks.amazonaws.com/capacityType']).toBe(g.r['capacity_type']);
      // The label the autoscaler's AWS provider reads to wait for the device plugin instead of adding a second node.
      expect((g.r['labels'] as Record<string, string>)[CLUSTER_AUTOSCALER_GPU_LABEL]).toBe(pool.accelerator);
    }
  });

  it('the release waits, directly or through earlier releases, for every GPU node group and its own Pod Identity binding', () => {
    const reach = reachable(tf, ca.address);
    for (const g of entries(tf, 'aws_eks_node_group')) expect(reach, g.address).toContain(g.address);
    expect(reach).toContain(podIdentity(tf, 'kube-system', 'cluster-autoscaler').assoc!.address);
    // The binding itself waits for the cluster (its cluster name is a literal, not a reference).
    expect(reachable(tf, podIdentity(tf, 'kube-system', 'cluster-autoscaler').assoc!.address)).toContain(entries(tf, 'aws_eks_cluster')[0]!.address);
    const platform = release(tf, 'dynamo-iac-platform')!;
    expect(reachable(tf, platform.address)).toContain(ca.address);
  });

  it('no Karpenter anywhere: no NodePools in the eks manifests, no queue', () => {
    expect(synthSpec(spec).files.map((f) => f.path)).not.toContain('eks/02-node-pools.k8s.yaml');
    expect(resources(tf, 'aws_sqs_queue')).toEqual([]);
    expect(release(tf, 'karpenter')).toBeUndefined();
  });
});

describe('cluster-autoscaler with an EFA pool', () => {
  const { tf } = synthEks('targets: { eks: { cluster: { gpuPools: { h100: { instanceType: p5.48xlarge, accelerator: nvidia-h100-80gb, gpusPerNode: 8, capacity: on-demand, fastNetwork: true, minNodes: 0, maxNodes: 2, labels: {}, taints: [] } } } } }');

  it('the node template advertises as many EFA devices as the launch template attaches (EFA workers request them)', () => {
    const group = entries(tf, 'aws_eks_node_group').find((g) => g.r['node_group_name'] === 'h100')!;
    const ltId = String((group.r['launch_template'] as { id: string }).id).match(/aws_launch_template\.([^.]+)\.id/)![1]!;
    // One interface per element of the dynamic block's range (efa on card 0, efa-only on the rest: each one device).
    const forEach = String((tf.resource['aws_launch_template']![ltId]!['dynamic'] as { network_interfaces: { for_each: string } }).network_interfaces.for_each);
    const count = /^\$\{range\(0, (.+?)(?:, 1)?\)\}$/.exec(forEach)?.[1];
    expect(count, forEach).toBeDefined();
    const tags = resources(tf, 'aws_autoscaling_group_tag').filter((t) => JSON.stringify(t['autoscaling_group_name']).includes(group.address)).map((t) => t['tag'] as { key: string; value: string });
    expect(tags).toContainEqual(expect.objectContaining({ key: `k8s.io/cluster-autoscaler/node-template/resources/${EKS_POOL_FACTS.fastNetworkResource}`, value: `\${${count}}` }));
    const plain = entries(tf, 'aws_eks_node_group').find((g) => g.r['node_group_name'] === 'gpu')!;
    const plainTags = resources(tf, 'aws_autoscaling_group_tag').filter((t) => JSON.stringify(t['autoscaling_group_name']).includes(plain.address)).map((t) => (t['tag'] as { key: string }).key);
    expect(plainTags.some((k) => k.endsWith(EKS_POOL_FACTS.fastNetworkResource!))).toBe(false);
  });
});

const KARPENTER = `
targets:
  eks:
    cluster:
      autoscaler: karpenter
      gpuPools:
        gpuspot: { instanceTypeAlternatives: [g6e.24xlarge], taints: [{ key: team, value: a, effect: NoSchedule }], labels: { team: a }, zones: [us-west-2a, us-west-2b] }
`;

describe('karpenter', () => {
  const { spec, tf, out } = synthEks(KARPENTER);
  const profile = eksProfile(spec);
  const names = karpenterNames(spec.cluster.name);
  const objects = synthSpec(spec).objects;
  const nodePools = byKind(objects, 'NodePool');
  const nodeClasses = byKind(objects, 'EC2NodeClass');
  const k = release(tf, 'karpenter')!;

  it('no GPU node groups, no cluster-autoscaler: the system pool stays a managed node group where Karpenter runs', () => {
    expect(resources(tf, 'aws_eks_node_group').map((g) => g['node_group_name'])).toEqual([spec.cluster.systemPool.name]);
    expect(release(tf, 'cluster-autoscaler')).toBeUndefined();
    expect(podIdentity(tf, 'kube-system', 'cluster-autoscaler').assoc).toBeUndefined();
    const values = String((k.r['values'] as string[])[0]);
    for (const [key, v] of Object.entries(profile.systemPool!.nodeSelector)) expect(values).toContain(`${key}: ${v}`);
  });

  it('the controller keeps the chart\'s CriticalAddonsOnly toleration and has upstream\'s resources; the node role pulls images with PullOnly', () => {
    const set = setOf(k.r);
    expect(set).toMatchObject({ 'controller.resources.requests.cpu': '1', 'controller.resources.requests.memory': '1Gi', 'controller.resources.limits.cpu': '1', 'controller.resources.limits.memory': '1Gi' });
    // A `tolerations` value replaces the chart's list: an empty one would drop CriticalAddonsOnly.
    const values = String((k.r['values'] as string[])[0]);
    expect(values).not.toMatch(/tolerations: \[\]/);
    const tainted = synthEks('targets: { eks: { cluster: { autoscaler: karpenter, systemPool: { taints: [{ key: system, value: "true", effect: NoSchedule }] } } } }').tf;
    const taintedValues = String((release(tainted, 'karpenter')!.r['values'] as string[])[0]);
    expect(taintedValues).toMatch(/key: CriticalAddonsOnly\s+operator: Exists/);
    expect(taintedValues).toMatch(/key: system/);
    const nodeRole = entries(tf, 'aws_iam_role').find((r) => r.r['name'] === names.nodeRole)!;
    const attached = resources(tf, 'aws_iam_role_policy_attachment').filter((a) => String(a['role']).includes(nodeRole.address)).map((a) => String(a['policy_arn']));
    expect(attached).toContain('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly');
    expect(attached).not.toContain('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
  });

  it('the pinned chart, configured with the cluster and the queue the stack creates', () => {
    expect(k.r).toMatchObject({ chart: KARPENTER_CHART.name, repository: KARPENTER_CHART.repository, version: KARPENTER_CHART.version, namespace: names.namespace });
    const set = setOf(k.r);
    expect(set['settings.clusterName']).toBe(spec.cluster.name);
    const queue = resources(tf, 'aws_sqs_queue')[0]!;
    expect(set['settings.interruptionQueue']).toBe(queue['name']);
    expect(queue).toMatchObject({ sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
  });

  it('EventBridge rules for spot interruption, rebalance, state change and scheduled change, each into the queue', () => {
    const queueAddress = entries(tf, 'aws_sqs_queue')[0]!.address;
    const rules = entries(tf, 'aws_cloudwatch_event_rule');
    const detailTypes = rules.flatMap((r) => (JSON.parse(String(r.r['event_pattern'])) as { 'detail-type': string[] })['detail-type']);
    expect(detailTypes).toEqual(expect.arrayContaining(['EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation', 'EC2 Instance State-change Notification', 'AWS Health Event']));
    expect(rules).toHaveLength(Object.keys(KARPENTER_INTERRUPTION_EVENTS).length);
    for (const r of rules) {
      const target = resources(tf, 'aws_cloudwatch_event_target').find((t) => String(t['rule']).includes(r.address))!;
      expect(String(target['arn'])).toContain(`${queueAddress}.arn`);
    }
    const policy = JSON.parse(String(resources(tf, 'aws_sqs_queue_policy')[0]!['policy'])) as { Statement: { Principal: unknown; Action: string }[] };
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Action: 'sqs:SendMessage', Principal: { Service: expect.arrayContaining(['events.amazonaws.com']) } }));
  });

  it('controller identity by Pod Identity: launches only with this cluster\'s tags, passes only the node role, reads only its queue', () => {
    const { role } = podIdentity(tf, names.namespace, setOf(k.r)['serviceAccount.name']!);
    const statements = inlineStatements(role);
    const nodeRole = entries(tf, 'aws_iam_role').find((r) => r.r['name'] === names.nodeRole)!;
    const pass = statements.find((s) => actionsOf(s).includes('iam:PassRole'))!;
    expect(String(pass.Resource)).toContain(`${nodeRole.address}.arn`);
    const sqs = statements.find((s) => actionsOf(s).includes('sqs:ReceiveMessage'))!;
    expect(String(sqs.Resource)).toContain(`${entries(tf, 'aws_sqs_queue')[0]!.address}.arn`);
    for (const s of statements.filter((x) => actionsOf(x).some((a) => ['ec2:TerminateInstances', 'ec2:CreateLaunchTemplate', 'iam:CreateInstanceProfile'].includes(a)))) {
      expect(JSON.stringify(s.Condition), s.Sid).toContain(`kubernetes.io/cluster/${spec.cluster.name}`);
    }
    expect(JSON.stringify(role!['inline_policy']).length).toBeLessThan(10_240);
  });

  it('the nodes\' role has an EC2_LINUX access entry, and every EC2NodeClass uses it', () => {
    const nodeRole = entries(tf, 'aws_iam_role').find((r) => r.r['name'] === names.nodeRole)!;
    expect(resources(tf, 'aws_eks_access_entry')).toContainEqual(expect.objectContaining({ type: 'EC2_LINUX', principal_arn: `\${${nodeRole.address}.arn}` }));
    expect(nodeClasses.map((c) => (c['spec'] as { role: string }).role)).toEqual(nodeClasses.map(() => names.nodeRole));
  });

  it('the private subnets (in their own tags) and the cluster security group (aws_ec2_tag) carry the tag the EC2NodeClasses select by', () => {
    const tags = resources(tf, 'aws_ec2_tag');
    const privateSubnets = entries(tf, 'aws_subnet').filter((s) => (s.r['tags'] as Record<string, string>)['kubernetes.io/role/internal-elb'] === '1');
    expect(privateSubnets.length).toBeGreaterThan(1);
    for (const c of nodeClasses) {
      const spec_ = c['spec'] as { subnetSelectorTerms: { tags: Record<string, string> }[]; securityGroupSelectorTerms: { tags: Record<string, string> }[]; metadataOptions: Record<string, unknown> };
      const [[sKey, sValue]] = Object.entries(spec_.subnetSelectorTerms[0]!.tags) as [[string, string]];
      for (const s of privateSubnets) expect((s.r['tags'] as Record<string, string>)[sKey], s.address).toBe(sValue);
      const [[gKey, gValue]] = Object.entries(spec_.securityGroupSelectorTerms[0]!.tags) as [[string, string]];
      expect(tags).toContainEqual(expect.objectContaining({ key: gKey, value: gValue, resource_id: expect.stringMatching(/aws_eks_cluster\..*cluster_security_group_id/) }));
      expect(spec_.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 2 });
    }
  });

  it('no aws_ec2_tag targets a resource of the stack: its own tags (and the provider\'s default_tags) would remove the tag on every apply', () => {
    // aws_ec2_tag docs: do not use it on a resource whose tags Terraform also manages, or the two fight every apply.
    expect(tf.provider?.['aws']?.[0]?.['default_tags']).toBeDefined();
    for (const t of resources(tf, 'aws_ec2_tag')) {
      const own = /^\$\{((?:aws|data\.aws)_[a-z0-9_]+\.[\w-]+)\.id\}$/.exec(String(t['resource_id']))?.[1];
      expect(own, `aws_ec2_tag on ${String(t['resource_id'])}`).toBeUndefined();
    }
    // A VPC the stack does not own: its subnets get the tag from aws_ec2_tag, the only way to tag them.
    const existing = synthEks('targets: { eks: { cluster: { autoscaler: karpenter, network: { existing: { networkId: vpc-0abc, subnetIds: [subnet-0a, subnet-0b] } } } } }').tf;
    const onSubnets = resources(existing, 'aws_ec2_tag').filter((t) => String(t['resource_id']).startsWith('subnet-'));
    expect(onSubnets.map((t) => [t['resource_id'], t['key'], t['value']])).toEqual(['subnet-0a', 'subnet-0b'].map((s) => [s, names.discoveryTag.key, names.discoveryTag.value]));
    // Without Karpenter, no discovery tag anywhere.
    const plain = synthEks().tf;
    expect(resources(plain, 'aws_subnet').some((s) => names.discoveryTag.key in (s['tags'] as Record<string, string>))).toBe(false);
  });

  it('one NodePool and EC2NodeClass per GPU pool, with the pool\'s labels, taints, capacity type, zones and GPU limit', () => {
    expect(nodePools.map((p) => p.metadata.name).sort()).toEqual(Object.keys(spec.cluster.gpuPools).sort());
    expect(nodeClasses.map((p) => p.metadata.name).sort()).toEqual(Object.keys(spec.cluster.gpuPools).sort());
    for (const np of nodePools) {
      const name = np.metadata.name;
      const pool = spec.cluster.gpuPools[name]!;
      const t = (np['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: { taints: unknown[]; requirements: { key: string; values: string[] }[]; nodeClassRef: { name: string } } } }).template;
      // Workloads select and tolerate a pool exactly as they would a managed node group.
      for (const [key, v] of Object.entries(profile.gpuPools[name]!.nodeSelector)) expect(t.metadata.labels[key], `${name}: ${key}`).toBe(v);
      expect(t.metadata.labels[EKS_POOL_FACTS.poolLabel]).toBe(name);
      expect(t.spec.taints).toEqual(profile.gpuPools[name]!.taints.map((x) => ({ ...x })));
      const req = Object.fromEntries(t.spec.requirements.map((r) => [r.key, r.values]));
      expect(req['karpenter.sh/capacity-type']).toEqual([pool.capacity]);
      expect(req['node.kubernetes.io/instance-type']).toEqual([pool.instanceType, ...(pool.instanceTypeAlternatives ?? [])]);
      expect(req['topology.kubernetes.io/zone']).toEqual(pool.zones);
      expect(t.spec.nodeClassRef.name).toBe(name);
      expect((np['spec'] as { limits: Record<string, string> }).limits['nvidia.com/gpu']).toBe(String(pool.maxNodes * pool.gpusPerNode));
      for (const key of Object.keys(t.metadata.labels)) expect(karpenterPoolProblems({ name, labels: { [key]: '' }, instanceTypes: ['x'], maxNodes: 1, gpusPerNode: 1 })).toEqual([]);
    }
    expect(nodePools.find((p) => p.metadata.name === 'gpuspot')!['spec']).toMatchObject({ template: { metadata: { labels: { team: 'a', 'eks.amazonaws.com/capacityType': 'SPOT' } } } });
  });

  it('the NodePools are their own release: after Karpenter, before the platform, so destroy deletes them (and Karpenter drains their nodes) while Karpenter runs', () => {
    const platform = release(tf, 'dynamo-iac-platform')!;
    const pools = release(tf, 'dynamo-iac-node-pools')!;
    const templates = (r: { r: Resource }) => readdirSync(join(out, 'stacks', 'eks', String(r.r['chart']), 'templates'));
    expect(templates(pools)).toEqual(['02-node-pools.k8s.yaml']);
    expect(templates(platform)).not.toContain('02-node-pools.k8s.yaml');
    // Terraform destroys a resource before what it depends on: platform -> node pools -> Karpenter.
    expect(reachable(tf, pools.address)).toContain(k.address);
    expect(reachable(tf, platform.address)).toContain(pools.address);
    expect(reachable(tf, k.address)).not.toContain(pools.address);
    // The helm provider uninstalls with the release's wait and timeout: it waits for the EC2NodeClass finalizers,
    // which go once Karpenter has drained (at most terminationGracePeriod) and terminated every node.
    const grace = durationSeconds(KARPENTER_TERMINATION_GRACE.duration);
    expect(pools.r).toMatchObject({ wait: true });
    expect(Number(pools.r['timeout'])).toBeGreaterThan(grace);
    // ...and the provider's own operation timeout (20 minutes unless set) must not cut the uninstall short.
    expect(durationSeconds(String((pools.r['timeouts'] as { delete?: string } | undefined)?.delete ?? '20m'))).toBeGreaterThanOrEqual(Number(pools.r['timeout']));
    for (const np of nodePools) expect((np['spec'] as { template: { spec: { terminationGracePeriod: string } } }).template.spec.terminationGracePeriod, np.metadata.name).toBe(KARPENTER_TERMINATION_GRACE.duration);
    expect(KARPENTER_TERMINATION_GRACE.duration).toMatch(/^([0-9]+(s|m|h))+$/);
    expect(grace).toBe(KARPENTER_TERMINATION_GRACE.seconds);
    // Without Karpenter there is no such release.
    expect(release(synthEks().tf, 'dynamo-iac-node-pools')).toBeUndefined();
    const reach = reachable(tf, k.address);
    for (const type of ['aws_eks_pod_identity_association', 'aws_eks_access_entry', 'aws_sqs_queue', 'aws_ec2_tag']) {
      for (const e of entries(tf, type)) expect(reach, e.address).toContain(e.address);
    }
  });

  it('the spec refuses what Karpenter here cannot do: EFA pools, alternatives on on-demand pools or without Karpenter', () => {
    expect(problemsOf('targets: { eks: { cluster: { autoscaler: karpenter, gpuPools: { gpu: { fastNetwork: true } } } } }').join('\n')).toMatch(/gpuPools\.gpu\.fastNetwork.*cluster-autoscaler/);
    expect(problemsOf('targets: { eks: { cluster: { autoscaler: karpenter, gpuPools: { gpu: { instanceTypeAlternatives: [g6e.24xlarge] } } } } }').join('\n')).toMatch(/instanceTypeAlternatives.*spot pools/);
    expect(problemsOf('targets: { eks: { cluster: { gpuPools: { gpuspot: { instanceTypeAlternatives: [g6e.24xlarge] } } } } }').join('\n')).toMatch(/instanceTypeAlternatives/);
  });

  it('label and taint keys whose cluster-autoscaler node-template tag would pass 128 characters are refused on EKS node groups only', () => {
    // k8s.io/cluster-autoscaler/node-template/label/<key>: an Auto Scaling tag key has at most 128 characters.
    const keyOf = (len: number) => `${'a'.repeat(50)}.${'b'.repeat(len - 65)}.io/${'n'.repeat(10)}`;
    expect(keyOf(83)).toHaveLength(83);
    const withLabel = (len: number, where: string) => `targets: { eks: { cluster: { ${where.replace('KEY', `"${keyOf(len)}"`)} } } }`;
    const label = (len: number) => withLabel(len, 'systemPool: { labels: { KEY: x } }');
    expect(problemsOf(label(82))).toEqual([]);
    expect(problemsOf(label(83)).join('\n')).toMatch(new RegExp(`cluster\\.systemPool\\.labels.*label key "${keyOf(83)}" .* 129 characters long; Auto Scaling tag keys have at most 128: use a key of at most 82 characters`));
    const taint = (len: number) => withLabel(len, 'gpuPools: { gpu: { taints: [{ key: KEY, effect: NoSchedule }] } }');
    expect(problemsOf(taint(82))).toEqual([]);
    expect(problemsOf(taint(83)).join('\n')).toMatch(/cluster\.gpuPools\.gpu\.taints.*taint key .* 129 characters long/);
    // Karpenter's GPU pools carry no such tags; the system pool still does; other clouds have no such tags.
    expect(problemsOf(withLabel(83, 'autoscaler: karpenter, gpuPools: { gpu: { labels: { KEY: x } } }'))).toEqual([]);
    expect(problemsOf(withLabel(83, 'autoscaler: karpenter, systemPool: { labels: { KEY: x } }')).join('\n')).toMatch(/129 characters/);
    expect(problemsOf(`targets: { gke: { cluster: { systemPool: { labels: { "${keyOf(83)}": x } } } } }`).join('\n')).not.toMatch(/node-template/);
  });

  it('labels Karpenter refuses are caught at synth', () => {
    for (const d of KARPENTER_RESTRICTED_LABEL_DOMAINS) {
      expect(karpenterPoolProblems({ name: 'p', labels: { [`${d}/x`]: 'y' }, instanceTypes: ['x'], maxNodes: 1, gpusPerNode: 1 }).join()).toMatch(/restricts/);
    }
    const restricted = specsFrom('targets: { eks: { cluster: { autoscaler: karpenter, gpuPools: { gpu: { labels: { "node.kubernetes.io/foo": bar } } } } } }').eks;
    expect(() => synthSpec(restricted)).toThrow(/restricts the node\.kubernetes\.io domain/);
  });
});

