/** Another app imports the constructs by package name (the exports map of package.json). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/env.js';

const CONSUMER = `
import { App, Chart } from 'cdk8s';
import { DynamoOperator, EtcdCluster, NatsCluster, cloudProfile, resolveSpecs } from 'dynamo-iac';
const app = new App();
const chart = new Chart(app, 'mine', { namespace: 'team-a', disableResourceNameHashes: true });
const nats = new NatsCluster(chart, 'nats', { replicas: 3 });
const etcd = new EtcdCluster(chart, 'etcd');
new DynamoOperator(chart, 'op', { scope: 'namespace', natsAddress: nats.clientUrl, etcdAddress: etcd.clientEndpoint });
const kinds = chart.toJson().map((o) => o.kind);
console.log(JSON.stringify({ kinds, spot: cloudProfile(resolveSpecs().aks).spotTaint.key }));
`;

describe('package entry', () => {
  it('import { ... } from "dynamo-iac" builds a platform in another app', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', CONSUMER], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { kinds: string[]; spot: string };
    expect(out.kinds.filter((k) => k === 'StatefulSet')).toHaveLength(2);
    expect(out.kinds).toContain('Deployment');
    expect(out.spot).toBe('kubernetes.azure.com/scalesetpriority');
  });

  it('the day-2 constructs are exported too: exposure, image policy, etcd snapshots, KAI queues, monitoring', () => {
    const consumer = `
import { App, Chart } from 'cdk8s';
import { applyImagePolicy, EtcdCluster, EtcdSnapshots, FrontendExposure, KaiQueue, DynamoMonitoring } from 'dynamo-iac';
const app = new App();
const chart = new Chart(app, 'mine', { namespace: 'team-a', disableResourceNameHashes: true });
const etcd = new EtcdCluster(chart, 'etcd');
new EtcdSnapshots(chart, 'snap', { etcdName: etcd.name, namespace: 'team-a', endpoint: etcd.clientEndpoint, platformVersion: '0.9.0' });
new FrontendExposure(chart, 'expose', { graph: 'g', namespace: 'team-a', flavor: 'gcp-lb' });
applyImagePolicy(app, { registry: 'r.example' });
console.log(JSON.stringify({ kinds: chart.toJson().map((o) => o.kind), queue: typeof KaiQueue, monitoring: typeof DynamoMonitoring,
  images: chart.toJson().filter((o) => o.kind === 'StatefulSet').map((o) => o.spec.template.spec.containers[0].image) }));
`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', consumer], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { kinds: string[]; queue: string; monitoring: string; images: string[] };
    expect(out.kinds).toEqual(expect.arrayContaining(['Job', 'Service', 'NetworkPolicy']));
    expect([out.queue, out.monitoring]).toEqual(['function', 'function']);
    expect(out.images[0]).toMatch(/^r\.example\/etcd-development\/etcd:/);
  });
});
