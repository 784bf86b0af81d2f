/**
 * The operations tools (`preflight`, `gpu-inventory --check-graphs`, `verify`) run against the simulated cluster
 * through the real kubectl, as a user runs them: the package's command with KUBECONFIG pointing at the simulation.
 * Their FAIL lines are judged: a FAIL that names a component the simulation does not run (Helm prerequisites from
 * chart repositories this machine cannot reach, pods only the refused operator creates) is reported as expected;
 * any other FAIL fails the check.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { SimBinaries } from './build.js';
import type { Check } from './run.js';

interface ToolCheck {
  readonly name: string;
  readonly status: 'PASS' | 'WARN' | 'FAIL';
  readonly detail: string;
}

/** Checks whose subject the simulation cannot run, and why. */
export const NOT_SIMULATED: readonly { readonly check: RegExp; readonly detail: RegExp; readonly why: string }[] = [
  { check: /^node autoscaler running$/, detail: /^no .* pods in /, why: 'the autoscaler release comes from a Helm repository (its pods are not run; the autoscaler model plays its part)' },
  { check: /^GPU Operator running$/, detail: /^no pods in namespace gpu-operator$/, why: 'the GPU Operator comes from a Helm repository (the stack installs it; its device plugin is modelled by the nodes\' nvidia.com/gpu)' },
  { check: /^Dynamo CRDs$/, detail: /^installed: .*; pinned: dynamo-crds-/, why: 'the CRDs come from ../shared/reference, not the dynamo-crds Helm release that labels them with its chart version' },
  { check: /^graph /, detail: /^no pods; /, why: 'graph pods are created by the Dynamo operator, whose module the proxy refuses' },
];

/** `gpuOperator`: whether the target's stack installs the GPU Operator (only then is its absence here expected). */
export function runOpsTools(root: string, target: string, kubeconfig: string, bins: SimBinaries, gpuOperator: boolean): Check[] {
  const env = { ...process.env, PATH: `${bins.dir}:${process.env['PATH']}`, KUBECONFIG: kubeconfig };
  const cli = join(root, 'build', 'bin', 'dynamo-iac.js');
  const tools: [string, string[]][] = [
    ['preflight', ['preflight', '--target', target, '--json']],
    ['gpu-inventory --check-graphs', ['gpu-inventory', '--check-graphs', '--target', target, '--json']],
    ['verify', ['verify', '--target', target, '--json']],
  ];
  return tools.map(([name, args]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 120_000 });
    let parsed: { checks?: ToolCheck[]; graphProblems?: string[]; nodes?: unknown[] };
    try {
      parsed = JSON.parse(r.stdout) as typeof parsed;
    } catch {
      return { name: `${name} against the simulated cluster`, status: 'fail', details: [`exit ${r.status}, no JSON: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ')}`] };
    }
    const lines = (parsed.checks ?? []).map((c) => `${c.status} ${c.name}: ${c.detail}`);
    const fails = (parsed.checks ?? []).filter((c) => c.status === 'FAIL');
    const excuse = (c: ToolCheck) => NOT_SIMULATED.find((n) => n.check.test(c.name) && n.detail.test(c.detail) && (!/GPU Operator/.test(n.why) || gpuOperator));
    const unexplained = fails.filter((c) => !excuse(c));
    const problems = parsed.graphProblems ?? [];
    const expected = fails.filter((c) => !unexplained.includes(c)).map((c) => `expected FAIL ${c.name} (${c.detail}): ${excuse(c)!.why}`);
    const ok = (r.status === 0 || r.status === 1) && unexplained.length === 0 && problems.length === 0;
    return {
      name: `${name} against the simulated cluster`,
      status: ok ? 'pass' : 'fail',
      details: [
        `exit ${r.status}${parsed.nodes ? `, ${parsed.nodes.length} nodes inventoried` : ''}`,
        ...unexplained.map((c) => `FAIL ${c.name}: ${c.detail}`),
        ...problems.map((p) => `FAIL ${p}`),
        ...expected,
        ...lines.filter((l) => !l.startsWith('FAIL')),
      ],
    };
  });
}
