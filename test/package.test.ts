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
});
