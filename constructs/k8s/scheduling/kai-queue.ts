/**
 * KaiQueue: a KAI scheduler queue (`scheduling.run.ai/v2` Queue, cluster-scoped): parent queue, priority, and per
 * resource (cpu in millicpus, gpu, memory in MB) a quota, a limit and an over-quota weight, with -1 meaning
 * unlimited.
 *
 * At synth time every KaiQueue in the app is checked together: parents exist and form no cycle, a child's quota
 * never exceeds its parent's finite quota, and the children's finite GPU quotas fit in their parent's.
 */
import { JsonApiObject } from '../common/json-api-object.js';
import { Construct, type IConstruct } from 'constructs';
import { QUEUE_RESOURCES, queueProblems, type QueueResource, type QueueSpec } from '../../../spec/scheduling.js';
import { omitNamespaceOfClusterScoped } from '../common/cluster-scoped.js';
import { constructsUnder } from '../common/tree-index.js';
import { MANAGED_BY } from '../common/labels.js';

export interface QueueResourceProps {
  /** Guaranteed amount; -1 unlimited. @default -1 */
  readonly quota?: number;
  /** Most the queue may use; -1 unlimited. @default -1 */
  readonly limit?: number;
  /** Share of unused resources beyond the quota. @default 1 */
  readonly overQuotaWeight?: number;
}

export interface KaiQueueProps {
  /** Queue name (cluster-wide). @default - the construct id */
  readonly name?: string;
  /** @default - a top-level queue */
  readonly parent?: string;
  /** @default - KAI's (100) */
  readonly priority?: number;
  readonly displayName?: string;
  /** @default - unlimited cpu, gpu and memory, over-quota weight 1 */
  readonly resources?: Partial<Record<QueueResource, QueueResourceProps>>;
}

const QUEUE_MARK = Symbol.for('dynamo-iac.KaiQueue');

export class KaiQueue extends Construct {
  public static isKaiQueue(x: unknown): x is KaiQueue {
    return x !== null && typeof x === 'object' && QUEUE_MARK in x;
  }

  public readonly name: string;
  /** The queue as the hierarchy rules see it (defaults filled in). */
  public readonly spec: QueueSpec;

  constructor(scope: Construct, id: string, props: KaiQueueProps = {}) {
    super(scope, id);
    Object.defineProperty(this, QUEUE_MARK, { value: true });
    this.name = props.name ?? id;
    const resources = Object.fromEntries(
      QUEUE_RESOURCES.map((r) => {
        const x = props.resources?.[r] ?? {};
        return [r, { quota: x.quota ?? -1, limit: x.limit ?? -1, overQuotaWeight: x.overQuotaWeight ?? 1 }];
      }),
    ) as QueueSpec['resources'];
    this.spec = {
      ...(props.parent !== undefined && { parent: props.parent }),
      ...(props.priority !== undefined && { priority: props.priority }),
      ...(props.displayName !== undefined && { displayName: props.displayName }),
      resources,
    };
    this.node.addValidation({ validate: () => [...ownProblems(this), ...hierarchyProblems(this)] });
    new JsonApiObject(this, 'Resource', {
      apiVersion: 'scheduling.run.ai/v2',
      kind: 'Queue',
      metadata: { name: this.name, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
      spec: {
        ...(this.spec.displayName && { displayName: this.spec.displayName }),
        ...(this.spec.parent && { parentQueue: this.spec.parent }),
        ...(this.spec.priority !== undefined && { priority: this.spec.priority }),
        resources,
      },
    });
    omitNamespaceOfClusterScoped(this);
  }
}

function ownProblems(q: KaiQueue): string[] {
  const out: string[] = [];
  for (const r of QUEUE_RESOURCES) {
    const { quota, limit, overQuotaWeight } = q.spec.resources[r];
    for (const [k, v] of [['quota', quota], ['limit', limit]] as const) {
      if (v !== -1 && !(v >= 0)) out.push(`KaiQueue ${q.name}: resources.${r}.${k}: must be -1 (unlimited) or at least 0, got ${v}`);
    }
    if (!(overQuotaWeight >= 0)) out.push(`KaiQueue ${q.name}: resources.${r}.overQuotaWeight: must be at least 0, got ${overQuotaWeight}`);
    if (limit !== -1 && quota !== -1 && limit < quota) out.push(`KaiQueue ${q.name}: resources.${r}.limit: must be at least the quota (${quota}) or -1, got ${limit}`);
  }
  if (q.spec.priority !== undefined && !Number.isInteger(q.spec.priority)) out.push(`KaiQueue ${q.name}: priority: must be an integer, got ${q.spec.priority}`);
  return out;
}

/** The hierarchy rules over every KaiQueue of the app; each queue reports the problems that name it. */
function hierarchyProblems(self: KaiQueue): string[] {
  const all = constructsUnder(self.node.root).filter((c: IConstruct): c is KaiQueue => KaiQueue.isKaiQueue(c));
  const dup = all.filter((q) => q.name === self.name);
  if (dup.length > 1 && dup[0] !== self) return [`KaiQueue ${self.name}: defined twice (${dup.map((q) => q.node.path).join(', ')})`];
  const specs = Object.fromEntries(all.map((q) => [q.name, q.spec]));
  return queueProblems(specs)
    .filter((p) => p.path[0] === self.name)
    .map((p) => `KaiQueue ${self.name}: ${p.path.slice(1).join('.')}: ${p.message}`);
}
