/**
 * `kubectl port-forward` as fault-test starts it, with stand-in kubectl programs: the local port from kubectl's
 * "Forwarding from 127.0.0.1:<port>" line, the arguments (a pod, a free local port, loopback), SIGTERM on close,
 * kubectl's own reason when it cannot start, a forward that ends while in use reported by failure(), a missing
 * kubectl as the one-line hint.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timerSleep } from '../../tools/fault-load.js';
import { kubectlPortForward } from '../../tools/port-forward.js';

const dir = mkdtempSync(join(tmpdir(), 'port-forward-test-'));
/** A stand-in for kubectl: a node program; its arguments are written to `<name>.args`. */
function fakeKubectl(name: string, body: string): { command: string; prefixArgs: string[] } {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, `${name}.args`))}, JSON.stringify(process.argv.slice(2)));\n${body}\n`);
  return { command: process.execPath, prefixArgs: [file] };
}
async function until(check: () => boolean, ms = 3000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await timerSleep(20)) if (check()) return true;
  return check();
}

describe('kubectlPortForward', () => {
  it('forwards a free local port on loopback to the pod, reads the port kubectl chose, ends kubectl on close', async () => {
    const marker = join(dir, 'terminated');
    const k = fakeKubectl('serving', `process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(marker)}, 'x'); process.exit(0); });\nprocess.stdout.write('Forwarding from 127.0.0.1:43117 -> 8000\\nForwarding from [::1]:43117 -> 8000\\n');\nsetInterval(() => {}, 1000);`);
    const f = await kubectlPortForward('ns', 'vllm-agg-0-frontend-a', 8000, k);
    expect(f.url).toBe('http://127.0.0.1:43117');
    expect(f.pod).toBe('vllm-agg-0-frontend-a');
    expect(JSON.parse(readFileSync(join(dir, 'serving.args'), 'utf8'))).toEqual(['port-forward', '-n', 'ns', 'pod/vllm-agg-0-frontend-a', ':8000', '--address', '127.0.0.1']);
    expect(f.failure()).toBeUndefined();
    f.close();
    expect(await until(() => existsSync(marker))).toBe(true);
    expect(f.failure()).toBeUndefined();
  });

  it('kubectl failing to start is a ToolError with its reason', async () => {
    const k = fakeKubectl('no-context', `process.stderr.write('error: current-context is not set\\n'); process.exit(1);`);
    await expect(kubectlPortForward('ns', 'p', 8000, k)).rejects.toThrow(/^kubectl port-forward pod\/p ended \(exit 1\): no current kubectl context: run `kubectl config use-context <name>`/);
  });

  it('a forward that ends while in use (its pod is gone) is reported by failure()', async () => {
    const k = fakeKubectl('dies', `process.stdout.write('Forwarding from 127.0.0.1:43118 -> 8000\\n'); setTimeout(() => { process.stderr.write('E1130 portforward.go:413] an error occurred forwarding 43118 -> 8000: lost connection to pod\\n'); process.exit(1); }, 50);`);
    const f = await kubectlPortForward('ns', 'p', 8000, k);
    expect(await until(() => f.failure() !== undefined)).toBe(true);
    expect(f.failure()).toMatch(/^kubectl port-forward pod\/p ended \(exit 1\): .*lost connection to pod/);
    f.close();
  });

  it('no kubectl: the one-line hint; silence: a timeout', async () => {
    await expect(kubectlPortForward('ns', 'p', 8000, { command: join(dir, 'no-such-kubectl') })).rejects.toThrow('kubectl not found on PATH');
    const silent = fakeKubectl('silent', 'setInterval(() => {}, 1000);');
    await expect(kubectlPortForward('ns', 'p', 8000, { ...silent, startTimeoutMs: 300 })).rejects.toThrow('kubectl port-forward pod/p did not start within 0.3 s');
  });
});
