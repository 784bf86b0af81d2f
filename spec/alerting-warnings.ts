/**
 * Receivers are usually written once for every target, but they are routed by an AlertmanagerConfig, which only the
 * Prometheus operator reads: on a target without it (`local` by default) nothing would route them. That is not an
 * error (the other targets route them), but `npm run synth` says so, naming the target.
 */
import { type Spec, type Target, TARGETS } from './schema.js';

export function unroutedReceiverWarnings(specs: Partial<Record<Target, Spec>>): string[] {
  const warnings: string[] = [];
  for (const target of TARGETS) {
    const o = specs[target]?.observability;
    if (!o?.enabled || o.prometheusOperator || o.alerting.receivers.length === 0) continue;
    warnings.push(
      `observability.alerting.receivers (${o.alerting.receivers.map((r) => r.name).join(', ')}) are not routed on target ${target}: its observability.prometheusOperator is false, and only the Prometheus operator reads the AlertmanagerConfig that routes them (set it to true, or configure your own Alertmanager there)`,
    );
  }
  return warnings;
}
