/**
 * Gang scheduling for the graphs: Grove (PodCliqueSets, which the Dynamo operator creates for every graph when Grove
 * is installed) and the KAI scheduler (queues with GPU quotas). This module holds the spec sections, the KAI queue
 * hierarchy rules and the operator's rule for who sets the scheduler of a graph's pods; the constructs and the
 * spec loader both use them, so a rule is written once.
 */
import { z } from './zod.cjs';
import { DNS_LABEL } from './fields.js';

/** Upstream's names (Dynamo 0.9.0 operator `consts.go`, KAI v0.9.4 chart). */
export const KAI_SCHEDULER_NAME = 'kai-scheduler';
export const KAI_QUEUE_LABEL = 'kai.scheduler/queue';
/** DGD annotation naming the KAI queue; the operator uses `dynamo` when it is absent. */
export const KAI_QUEUE_ANNOTATION = 'nvidia.com/kai-scheduler-queue';
export const DEFAULT_KAI_QUEUE = 'dynamo';
/** DGD annotation: `"false"` takes a graph off the Grove path (component mode: Deployments, LWS for multinode). */
export const ENABLE_GROVE_ANNOTATION = 'nvidia.com/enable-grove';
/** The parent queue upstream's platform chart creates above `dynamo`. */
export const DEFAULT_PARENT_QUEUE = 'dynamo-default';
/**
 * `--grove-termination-delay` that upstream's platform chart passes (`dynamo-operator.dynamo.groveTerminationDelay`
 * in deploy/helm/charts/platform/values.yaml, 0.9.0). Without the flag the 0.9.0 binary falls back to its own
 * `DefaultGroveTerminationDelay` of 15 minutes (`internal/consts/consts.go`), which ends a gang that lost a pod long
 * before a GPU node comes back from a scale-up or a repair.
 */
export const UPSTREAM_GROVE_TERMINATION_DELAY = '4h';

// ---------------------------------------------------------------------------------------------- queues

export const QUEUE_RESOURCES = ['cpu', 'gpu', 'memory'] as const;
export type QueueResource = (typeof QUEUE_RESOURCES)[number];

/** -1 means unlimited; otherwise a non-negative amount (cpu: millicpus, gpu: GPUs, fractions allowed, memory: MB). */
const amount = z.number().refine((n) => n === -1 || n >= 0, { message: 'must be -1 (unlimited) or at least 0' });

export const queueResourceSchema = z
  .strictObject({
    quota: amount.default(-1).describe('Guaranteed amount (-1: unlimited).'),
    limit: amount.default(-1).describe('Most the queue may use, over quota included (-1: unlimited).'),
    overQuotaWeight: z.number().min(0, { message: 'must be at least 0' }).default(1).describe('Share of unused resources the queue gets beyond its quota.'),
  })
  .superRefine((r, ctx) => {
    if (r.limit !== -1 && r.quota !== -1 && r.limit < r.quota) ctx.addIssue({ code: 'custom', path: ['limit'], message: `must be at least the quota (${r.quota}) or -1` });
  });

const UNLIMITED = { quota: -1, limit: -1, overQuotaWeight: 1 } as const;

export const queueSchema = z
  .strictObject({
    parent: z.string().min(1).optional().describe('Parent queue. @default - a top-level queue'),
    priority: z.number().int().optional().describe('Higher priority queues get over-quota resources first and are reclaimed last. @default - KAI\'s (100)'),
    displayName: z.string().min(1).optional().describe('Name shown in KAI tooling.'),
    resources: z
      .strictObject({
        cpu: queueResourceSchema.default(UNLIMITED).describe('CPU in millicpus (1000 = 1 CPU).'),
        gpu: queueResourceSchema.default(UNLIMITED).describe('GPUs (0.5 = half a GPU).'),
        memory: queueResourceSchema.default(UNLIMITED).describe('Memory in megabytes (10^6 bytes).'),
      })
      .default({ cpu: UNLIMITED, gpu: UNLIMITED, memory: UNLIMITED })
      .describe('Quota, limit and over-quota weight per resource.'),
  })
  .describe('A KAI scheduler queue (scheduling.run.ai/v2 Queue).');

export type QueueSpec = z.output<typeof queueSchema>;
export type QueueResources = QueueSpec['resources'];

export const groveSchema = z
  .strictObject({
    enabled: z.boolean().describe('Install Grove; the operator then runs every graph as a PodCliqueSet (gang scheduling, multinode).'),
    terminationDelay: z
      .string()
      .regex(/^(0|([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+)$/, { message: 'must be a Go duration such as 4h, 30m, 90s or 0' })
      .optional()
      .describe(`\`--grove-termination-delay\`: how long a gang with missing pods may run before Grove terminates it (\`0\`: the 0.9.0 operator then sets none on the PodCliqueSet, and Grove v0.1.0-alpha.6 defaults it to 4h). @default - ${UPSTREAM_GROVE_TERMINATION_DELAY}, as upstream's platform chart passes (the operator binary alone would use 15m)`),
  })
  .describe('Grove: gang scheduling and multinode orchestration.');

export const kaiSchema = z
  .strictObject({
    enabled: z.boolean().describe('Install the KAI scheduler and create the queues; graphs are scheduled by KAI.'),
    queues: z.record(z.string().regex(DNS_LABEL, { message: 'a queue name must be a DNS label' }), queueSchema).describe('Queues keyed by name. The default hierarchy is upstream\'s: `dynamo-default` with the child `dynamo`.'),
  })
  .describe('KAI scheduler: queues with GPU quotas.');

export const graphSchedulingSchema = z
  .strictObject({
    queue: z.string().min(1).optional().describe('KAI queue of the graph (`nvidia.com/kai-scheduler-queue`). @default - the operator\'s (`dynamo`)'),
    grove: z.boolean().default(true).describe('false: run this graph without Grove (`nvidia.com/enable-grove: "false"`); single-node only here.'),
    schedulerName: z.string().min(1).optional().describe('Scheduler of every pod of the graph; another scheduler than KAI takes the graph out of KAI.'),
  })
  .default({ grove: true })
  .describe('Scheduling of the graph.');

// ---------------------------------------------------------------------------------------------- queue rules

export interface QueueProblem {
  /** Queue name and the field path below it, e.g. ['team-a', 'resources', 'gpu', 'quota']. */
  readonly path: (string | number)[];
  readonly message: string;
}

const finite = (n: number) => n !== -1;

/**
 * The hierarchy rules: parents exist and form no cycle; a child's finite quota never exceeds its parent's finite
 * quota; the finite GPU quotas of a parent's children sum to at most the parent's finite GPU quota.
 */
export function queueProblems(queues: Readonly<Record<string, QueueSpec>>): QueueProblem[] {
  const out: QueueProblem[] = [];
  const names = Object.keys(queues).sort();
  for (const name of names) {
    const q = queues[name]!;
    if (q.parent === undefined) continue;
    const parent = queues[q.parent];
    if (!parent) {
      out.push({ path: [name, 'parent'], message: `parent queue "${q.parent}" is not defined (queues: ${names.join(', ')})` });
      continue;
    }
    const seen = new Set([name]);
    for (let p: string | undefined = q.parent; p !== undefined; p = queues[p]?.parent) {
      if (seen.has(p)) {
        out.push({ path: [name, 'parent'], message: `the queue hierarchy has a cycle: ${[...seen, p].join(' -> ')}` });
        break;
      }
      seen.add(p);
    }
    for (const r of QUEUE_RESOURCES) {
      const mine = q.resources[r].quota;
      const theirs = parent.resources[r].quota;
      if (finite(theirs) && (!finite(mine) || mine > theirs)) {
        out.push({ path: [name, 'resources', r, 'quota'], message: `exceeds the ${r} quota of parent "${q.parent}" (${theirs})${finite(mine) ? '' : ': an unlimited quota under a finite parent'}` });
      }
    }
  }
  for (const name of names) {
    const parent = queues[name]!;
    const quota = parent.resources.gpu.quota;
    if (!finite(quota)) continue;
    const children = names.filter((n) => queues[n]!.parent === name && finite(queues[n]!.resources.gpu.quota));
    const sum = children.reduce((acc, n) => acc + queues[n]!.resources.gpu.quota, 0);
    if (sum > quota) {
      out.push({
        path: [name, 'resources', 'gpu', 'quota'],
        message: `the GPU quotas of the children (${children.map((n) => `${n}: ${queues[n]!.resources.gpu.quota}`).join(', ')}; sum ${sum}) exceed this queue's quota (${quota})`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- the operator's rule

export interface SchedulingInputs {
  /** Grove is installed (the operator detects it). */
  readonly groveInstalled: boolean;
  /** The graph allows Grove (no `nvidia.com/enable-grove: "false"`). */
  readonly graphGrove: boolean;
  /** KAI is installed (the operator detects it). */
  readonly kaiInstalled: boolean;
  /** A scheduler the service (or graph) sets itself. */
  readonly schedulerName?: string;
  /** The KAI queue of the graph. @default 'dynamo' */
  readonly queue?: string;
}

export interface SchedulingDecision {
  /** Who puts the pods on KAI: the operator (Grove path), our construct (no Grove), or nobody. */
  readonly kaiBy: 'operator' | 'construct' | 'none';
  /** The scheduler the pods end up with (`undefined`: the cluster's default scheduler). */
  readonly schedulerName?: string;
  /** The `kai.scheduler/queue` label the pods end up with. */
  readonly queueLabel?: string;
  /** What our construct writes into the service: schedulerName and the queue label, when it, not the operator, must. */
  readonly set: { readonly schedulerName?: string; readonly queueLabel?: string };
}

/**
 * The Dynamo 0.9.0 operator's rule (`injectKaiSchedulerIfEnabled`), and our completion of it:
 *
 * - On the Grove path (Grove installed and the graph allows it), the operator sets `schedulerName: kai-scheduler` and
 *   the `kai.scheduler/queue` label on every PodClique, but only when KAI is installed too, and only when the service
 *   set no other scheduler (setting `kai-scheduler` itself still gets the label).
 * - Off the Grove path the operator never does: when KAI is installed and the service set no scheduler, our
 *   construct sets both itself, so KAI's queues apply to every graph.
 * - A scheduler the service sets is always kept.
 */
export function schedulingDecision(i: SchedulingInputs): SchedulingDecision {
  const queue = i.queue ?? DEFAULT_KAI_QUEUE;
  const own = i.schedulerName;
  const wantsKai = i.kaiInstalled && (own === undefined || own === KAI_SCHEDULER_NAME);
  const grovePath = i.groveInstalled && i.graphGrove;
  if (!wantsKai) return { kaiBy: 'none', ...(own !== undefined && { schedulerName: own }), set: own !== undefined ? { schedulerName: own } : {} };
  if (grovePath) return { kaiBy: 'operator', schedulerName: KAI_SCHEDULER_NAME, queueLabel: queue, set: own !== undefined ? { schedulerName: own } : {} };
  return { kaiBy: 'construct', schedulerName: KAI_SCHEDULER_NAME, queueLabel: queue, set: { schedulerName: KAI_SCHEDULER_NAME, queueLabel: queue } };
}
