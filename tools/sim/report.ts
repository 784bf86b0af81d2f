/** The readable report of a simulated run, one block per target. */
import type { TargetReport } from './run.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function renderReport(r: TargetReport, verbose = false): string {
  const lines = [`== ${r.target}: ${r.ok ? 'PASS' : 'FAIL'} in ${r.seconds} s (Kubernetes ${r.versions.kubernetes}, kwok ${r.versions.kwok})`];
  lines.push(`   pools: ${r.pools.map((p) => `${p.name} ${p.instanceType} ${p.initial}->${p.final}/${p.max}${p.autoscaler ? '' : ' (no autoscaler)'}`).join('; ')}`);
  const byPool = new Map<string, number>();
  for (const p of r.pods) byPool.set(p.pool ?? '(none)', (byPool.get(p.pool ?? '(none)') ?? 0) + 1);
  lines.push(`   pods: ${r.pods.length} (${[...byPool.entries()].map(([k, v]) => `${v} on ${k}`).join(', ')}); objects applied: ${r.objectsApplied}`);
  for (const c of r.checks) {
    lines.push(`   ${MARK[c.status]} ${c.name}`);
    const shown = c.status === 'pass' && !verbose ? c.details.slice(0, 1) : c.details.slice(0, 40);
    for (const d of shown) lines.push(`        ${d}`);
    if (c.details.length > shown.length && c.status !== 'pass') lines.push(`        ... ${c.details.length - shown.length} more`);
  }
  if (verbose) for (const p of r.pods) lines.push(`   pod ${p.pod} (${p.owner}) -> ${p.node ?? '-'} [${p.pool ?? '-'}] ${p.phase}${p.ready ? ' Ready' : ''}`);
  return lines.join('\n');
}
