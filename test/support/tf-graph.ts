/**
 * The dependency graph Terraform builds from a stack's JSON: an edge from a resource (or data source) to every
 * resource or data source its arguments reference (`${type.name...}`) and to every entry of its `depends_on`.
 */
type Blocks = Record<string, Record<string, Record<string, unknown>>>;
export interface TfDoc {
  readonly resource?: Blocks;
  readonly data?: Blocks;
}

export interface TfNode {
  /** `type.name` or `data.type.name`, as Terraform addresses it. */
  readonly address: string;
  readonly type: string;
  readonly body: Record<string, unknown>;
}

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

export class TfGraph {
  readonly nodes = new Map<string, TfNode>();
  private readonly edges = new Map<string, Set<string>>();

  constructor(doc: TfDoc) {
    for (const [prefix, blocks] of [['', doc.resource ?? {}], ['data.', doc.data ?? {}]] as const) {
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, body] of Object.entries(byName)) this.nodes.set(`${prefix}${type}.${name}`, { address: `${prefix}${type}.${name}`, type, body });
      }
    }
    const address = /(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/g;
    for (const node of this.nodes.values()) {
      const { depends_on: dependsOn, ...args } = node.body;
      const refs = strings(args).flatMap((s) => [...s.matchAll(/\$\{([^}]*)\}/g)].flatMap((m) => m[1]!.match(address) ?? []));
      this.edges.set(node.address, new Set([...refs, ...strings(dependsOn)].filter((a) => a !== node.address && this.nodes.has(a))));
    }
  }

  /** The nodes of a type. */
  ofType(type: string): TfNode[] {
    return [...this.nodes.values()].filter((n) => n.type === type);
  }

  /** Every node the given one depends on, directly or through others. */
  reachable(from: string): Set<string> {
    const seen = new Set<string>();
    const todo = [...(this.edges.get(from) ?? [])];
    while (todo.length) {
      const a = todo.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      todo.push(...(this.edges.get(a) ?? []));
    }
    return seen;
  }

  /** Whether `from` depends on some node that `target` accepts. */
  reaches(from: string, target: (n: TfNode) => boolean): boolean {
    return [...this.reachable(from)].some((a) => target(this.nodes.get(a)!));
  }
}
