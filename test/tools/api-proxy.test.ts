/**
 * `kubectl proxy` as fault-test starts it, with stand-in kubectl programs: the URL from its "Starting to serve on"
 * line, SIGTERM on close, kubectl's own reason when it cannot start (no context), a proxy that ends while in use
 * reported by failure(), a missing kubectl as the one-line hint; and the service proxy path.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlProxy, serviceProxyUrl } from '../../tools/api-proxy.js';
import { timerSleep } from '../../tools/fault-load.js';

const dir = mkdtempSync(join(tmpdir(), 'api-proxy-'));
/** A stand-in for kubectl: a node program. */
function fakeKubectl(name: string, body: string): { command: string; args: string[] } {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { writeFileSync } from 'node:fs';\n${body}\n`);
  return { command: process.execPath, args: [file] };
}
async function until(check: () => boolean, ms = 3000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await timerSleep(20)) if (check()) return true;
  return check();
}

describe('kubectlProxy', () => {
  it('reads the port kubectl picked and ends kubectl on close', async () => {
    const marker = join(dir, 'terminated');
    const k = fakeKubectl('serving', `process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(marker)}, 'x'); process.exit(0); });\nprocess.stdout.write('Starting to serve on 127.0.0.1:43117\\n');\nsetInterval(() => {}, 1000);`);
    const proxy = await kubectlProxy(k);
    expect(proxy.url).toBe('http://127.0.0.1:43117');
    expect(proxy.failure()).toBeUndefined();
    proxy.close();
    expect(await until(() => existsSync(marker))).toBe(true);
    expect(proxy.failure()).toBeUndefined();
  });

  it('kubectl failing to start is a ToolError with its reason', async () => {
    const k = fakeKubectl('no-context', `process.stderr.write('error: current-context is not set\\n'); process.exit(1);`);
    await expect(kubectlProxy(k)).rejects.toThrow(/^kubectl proxy ended \(exit 1\): no current kubectl context: run `kubectl config use-context <name>`/);
  });

  it('a proxy that ends while in use is reported by failure()', async () => {
    const k = fakeKubectl('dies', `process.stdout.write('Starting to serve on 127.0.0.1:43118\\n'); setTimeout(() => { process.stderr.write('E1130 Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout\\n'); process.exit(3); }, 50);`);
    const proxy = await kubectlProxy(k);
    expect(await until(() => proxy.failure() !== undefined)).toBe(true);
    expect(proxy.failure()).toMatch(/^kubectl proxy ended \(exit 3\): the cluster is unreachable/);
    proxy.close();
  });

  it('no kubectl: the one-line hint; silence: a timeout', async () => {
    await expect(kubectlProxy({ command: join(dir, 'no-such-kubectl') })).rejects.toThrow('kubectl not found on PATH');
    const silent = fakeKubectl('silent', 'setInterval(() => {}, 1000);');
    await expect(kubectlProxy({ ...silent, startTimeoutMs: 300 })).rejects.toThrow('kubectl proxy did not start within 0.3 s');
  });

  it('the service proxy path names the namespace, the Service and its port', () => {
    expect(serviceProxyUrl('http://127.0.0.1:1', 'dynamo-workloads', 'vllm-agg-frontend', 'http')).toBe('http://127.0.0.1:1/api/v1/namespaces/dynamo-workloads/services/vllm-agg-frontend:http/proxy');
  });
});
