/**
 * The DCGM fields our exporter collects, as dcgm-exporter's collectors file (`<field>, <type>, <help>`), and the names
 * the GPU Operator's exporter gives its Service, so one monitor scrapes either.
 *
 * The image's `default-counters.csv` (NVIDIA/dcgm-exporter etc/, 4.4.2-4.7.0) leaves the volatile ECC counters
 * commented out, so an exporter that runs it never exports `DCGM_FI_DEV_ECC_DBE_VOL_TOTAL` and `DynamoGpuEccErrors`
 * could only fire on row-remap failures: our file lists every DCGM metric the rules and dashboards use (METRICS.gpu)
 * and a few of the defaults for context. No `DCGM_FI_PROF_*` field: profiling needs DCGM's profiling module (and
 * SYS_ADMIN), and nothing here reads one.
 */
import { METRICS } from './metrics.js';

export type DcgmMetricType = 'gauge' | 'counter' | 'label';

export interface DcgmCounter {
  readonly field: string;
  readonly type: DcgmMetricType;
  readonly help: string;
}

const G = METRICS.gpu;

/** The collected fields: the rules' and dashboards' first, with the type dcgm-exporter's own CSV files give them. */
export const DCGM_COUNTERS: readonly DcgmCounter[] = [
  { field: G.utilization, type: 'gauge', help: 'GPU utilization (in %).' },
  { field: G.memoryUsed, type: 'gauge', help: 'Framebuffer memory used (in MiB).' },
  { field: G.memoryFree, type: 'gauge', help: 'Framebuffer memory free (in MiB).' },
  { field: G.temperature, type: 'gauge', help: 'GPU temperature (in C).' },
  { field: G.power, type: 'gauge', help: 'Power draw (in W).' },
  { field: G.xid, type: 'gauge', help: 'Value of the last XID error encountered.' },
  { field: G.eccDbe, type: 'counter', help: 'Total number of double-bit volatile ECC errors.' },
  { field: G.rowRemapFailure, type: 'gauge', help: 'Whether remapping of rows has failed.' },
  { field: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %).' },
  { field: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz).' },
  { field: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C).' },
  { field: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', type: 'counter', help: 'Total number of single-bit volatile ECC errors.' },
  { field: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Number of remapped rows for uncorrectable errors.' },
  { field: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', type: 'counter', help: 'Total number of PCIe retries.' },
  { field: 'DCGM_FI_DRIVER_VERSION', type: 'label', help: 'Driver Version.' },
];

/** The collectors file: one `field, type, help` line per counter (dcgm-exporter splits on commas: none in help). */
export function dcgmCollectorsCsv(counters: readonly DcgmCounter[] = DCGM_COUNTERS): string {
  for (const c of counters) {
    if (!/^DCGM_FI_[A-Z0-9_]+$/.test(c.field)) throw new Error(`dcgm counters: field "${c.field}" is not a DCGM field id (DCGM_FI_...)`);
    if (c.help.includes(',')) throw new Error(`dcgm counters: the help of ${c.field} must not contain a comma, got "${c.help}"`);
  }
  return ['# DCGM field, Prometheus type, help (written by dynamo-iac)', ...counters.map((c) => `${c.field}, ${c.type}, ${c.help}`)].join('\n') + '\n';
}

/**
 * How the GPU Operator labels and names its exporter (gpu-operator v25.10.1 assets/state-dcgm-exporter: the Service
 * `nvidia-dcgm-exporter`, selector and label `app: nvidia-dcgm-exporter`, port `gpu-metrics` 9400 to the container
 * port `metrics`). Our GKE exporter uses the same, so the ServiceMonitor and the plain prometheus.yml job are the
 * same on every cloud.
 */
export const DCGM_EXPORTER = {
  name: 'nvidia-dcgm-exporter',
  selector: { app: 'nvidia-dcgm-exporter' },
  servicePort: 'gpu-metrics',
  containerPort: 'metrics',
  port: 9400,
} as const;
