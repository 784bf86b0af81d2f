/**
 * The dependency graph Terraform builds from a synthesized stack (`cdk.tf.json`): a resource or data source depends
 * on every resource, data source, local and provider configuration its arguments reference (`${...}`), on its
 * `depends_on`, and on its provider configuration (whose own references count too: a Helm provider configured from
 * the cluster's endpoint waits for the cluster). Tests ask what a node reaches, transitively.
 */

type Blocks = Record<string, Record<string, unknown>>;
export interface TfJson {
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly locals?: Record<string, unknown>;
  readonly output?: Record<string, Record<string, unknown>>;
}

/** A resource or data source address a `${...}` expression names: a type with a provider prefix (`aws_vpc.x`). */
const RESOURCE_REF = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z0-9_-]+)/g;

/** Every string in a JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/**
 * The `${...}` expressions and `%{...}` directives of a Terraform template string, with their quoted strings blanked
 * out, so that only expression text is searched for references: `$${` and `%%{` are literal, braces count only outside quotes (so
 * `${merge({a = "}"}, x.y)}` is one expression), a quoted string inside an expression ends at an unescaped quote, and
 * an interpolation inside such a string is an expression of its own.
 */
function expressions(s: string): string[] {
  const out: string[] = [];
  template(s, 0, false, out);
  return out;
}

/** Reads template text from `i` (to the end, or to the closing quote when `quoted`); returns where it stopped. */
function template(s: string, i: number, quoted: boolean, out: string[]): number {
  while (i < s.length) {
    if (quoted && s[i] === '\\') i += 2;
    else if (quoted && s[i] === '"') return i;
    else if (s.startsWith('$${', i) || s.startsWith('%%{', i)) i += 3;
    else if (s.startsWith('${', i) || s.startsWith('%{', i)) i = expression(s, i + 2, out);
    else i++;
  }
  return i;
}

/** Reads an expression whose `${` ends before `i`; records its text (quoted strings blanked); returns the index after its `}`. */
function expression(s: string, i: number, out: string[]): number {
  let depth = 1;
  let text = '';
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      i = template(s, i + 1, true, out) + 1;
      text += '""';
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) break;
    text += c;
    i++;
  }
  out.push(text);
  return i + 1;
}

/** One resource, data source, provider configuration or local, as Terraform addresses it. */
export interface TfNode {
  readonly address: string;
  /** The resource or data source type (`google_container_cluster`); empty for providers and locals. */
  readonly type: string;
  readonly body: Record<string, unknown>;
}

export class TfGraph {
  /** Address -> the addresses it depends on directly. */
  private readonly edges = new Map<string, Set<string>>();
  private readonly bodies = new Map<string, Record<string, unknown>>();
  /** Resource and data source addresses that expressions name but the stack does not define. */
  private readonly undeclared = new Set<string>();

  constructor(tf: TfJson) {
    const nodes: [string, Record<string, unknown>, string | undefined][] = [];
    for (const [type, rs] of Object.entries(tf.resource ?? {})) for (const [name, body] of Object.entries(rs)) nodes.push([`${type}.${name}`, body as Record<string, unknown>, type]);
    for (const [type, rs] of Object.entries(tf.data ?? {})) for (const [name, body] of Object.entries(rs)) nodes.push([`data.${type}.${name}`, body as Record<string, unknown>, type]);
    for (const [name, configs] of Object.entries(tf.provider ?? {})) {
      for (const body of configs) nodes.push([`provider.${name}${typeof body['alias'] === 'string' ? `.${body['alias']}` : ''}`, body, undefined]);
    }
    for (const [name, value] of Object.entries(tf.locals ?? {})) nodes.push([`local.${name}`, { value }, undefined]);
    for (const [address, body] of nodes) this.bodies.set(address, body);
    const known = new Set(this.bodies.keys());
    for (const [address, body, type] of nodes) {
      const deps = new Set<string>();
      const { depends_on: dependsOn, provider, ...args } = body;
      for (const expr of strings(args).flatMap(expressions)) {
        for (const m of expr.matchAll(/(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)/g)) {
          if (known.has(m[1]!)) deps.add(m[1]!);
        }
      }
      for (const d of (dependsOn as string[] | undefined) ?? []) {
        if (!known.has(d)) throw new Error(`${address}: depends_on names ${d}, which the stack does not define`);
        deps.add(d);
      }
      if (type !== undefined) {
        const p = typeof provider === 'string' ? `provider.${provider}` : `provider.${type.split('_')[0]}`;
        if (known.has(p)) deps.add(p);
      }
      this.edges.set(address, deps);
    }
    // Anything that names a resource or data source the stack lacks (`each.value`, `count.index`, `var.x` have no
    // provider prefix and do not count), outputs included.
    // Names a `for` binds in the same string (`for sub_net in ...`, `%{ for k, v in ... }`) are not addresses.
    const everywhere = [...nodes.map(([, body]) => body), ...Object.values(tf.output ?? {})];
    for (const str of strings(everywhere)) {
      const exprs = expressions(str);
      const bound = new Set(exprs.flatMap((e) => [...e.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)].flatMap((m) => [m[1]!, m[2] ?? m[1]!])));
      for (const m of exprs.flatMap((e) => [...e.matchAll(RESOURCE_REF)])) if (!known.has(m[1]!) && !bound.has(m[1]!.split('.')[0]!)) this.undeclared.add(m[1]!);
    }
  }

  /** Resources and data sources that the stack's expressions name but the stack does not define, sorted. */
  undeclaredReferences(): string[] {
    return [...this.undeclared].sort();
  }

  /** Addresses of resources (or `data.` sources) of a type, sorted. */
  ofType(type: string): string[] {
    return [...this.bodies.keys()].filter((a) => a.startsWith(`${type}.`)).sort();
  }

  /** Addresses of every resource (not data sources, providers or locals), sorted. */
  resourceAddresses(): string[] {
    return [...this.bodies.keys()].filter((a) => !/^(data|provider|local)\./.test(a)).sort();
  }

  body(address: string): Record<string, unknown> {
    const b = this.bodies.get(address);
    if (!b) throw new Error(`no ${address} in the stack`);
    return b;
  }

  /** Everything `from` waits for, directly or through others. */
  ancestors(from: string): Set<string> {
    this.body(from);
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) for (const d of this.edges.get(stack.pop()!) ?? []) if (!seen.has(d)) stack.push(d), seen.add(d);
    return seen;
  }

  reaches(from: string, to: string): boolean {
    return this.ancestors(from).has(to);
  }

  /** The resources (or `data.` sources) of a type as nodes, sorted by address. */
  nodesOfType(type: string): TfNode[] {
    return this.ofType(type).map((a) => this.node(a));
  }

  /** Every resource (not data sources, providers or locals) as a node, sorted by address. */
  resourceNodes(): TfNode[] {
    return this.resourceAddresses().map((a) => this.node(a));
  }

  node(address: string): TfNode {
    const m = /^(?:data\.)?([a-z][a-z0-9_]*)\./.exec(address);
    return { address, type: m && !/^(provider|local)$/.test(m[1]!) ? m[1]! : '', body: this.body(address) };
  }

  /** Whether `from` waits for some node that `target` accepts. */
  reachesWhere(from: string, target: (n: TfNode) => boolean): boolean {
    return [...this.ancestors(from)].some((a) => target(this.node(a)));
  }

  /** Of `targets`, those `from` does not wait for. */
  missing(from: string, targets: readonly string[]): string[] {
    const a = this.ancestors(from);
    return targets.filter((t) => !a.has(t));
  }
}
