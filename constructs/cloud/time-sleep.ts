/**
 * TimeSleep: a `time_sleep` (hashicorp/time) after resources whose effect a cloud API makes visible only later than it
 * reports them done (a role assignment reaching Key Vault's data plane, a service agent created after its API is
 * enabled). What must wait depends on `wait`.
 *
 * `triggers` key the wait on the ids of what it waits for: `time_sleep` sleeps when it is created, so without them a
 * replaced predecessor would get no wait (the sleep, already in the state, would not run again).
 *
 * There is no npm binding of the time provider: the resource is cdktf's generic `TerraformResource`, the provider a
 * `BareProvider`; the caller pins the version (VERSIONS.unboundProviders.time) and creates one TimeSleep per stack
 * (each brings the provider's configuration block).
 */
import { TerraformResource } from './cdktf.cjs';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { BareProvider } from './bare-provider.js';

export interface TimeSleepProps {
  /** What to wait after. */
  readonly after: readonly ITerraformDependable[];
  /** Provider source address and exact version. */
  readonly provider: { readonly source: string; readonly providerVersion: string };
  readonly seconds: number;
  /** Values whose change re-creates the sleep (ids of what it waits for). @default - none */
  readonly triggers?: Readonly<Record<string, string>>;
}

class TimeSleepResource extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly attributes: Record<string, unknown>, provider: BareProvider, dependsOn: ITerraformDependable[]) {
    super(scope, id, { terraformResourceType: 'time_sleep', terraformGeneratorMetadata: { providerName: 'time' }, provider, dependsOn });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

export class TimeSleep extends Construct {
  /** What waits: depend on this. */
  public readonly wait: TerraformResource;

  constructor(scope: Construct, id: string, props: TimeSleepProps) {
    super(scope, id);
    if (!Number.isInteger(props.seconds) || props.seconds <= 0) throw new Error(`TimeSleep: seconds must be a positive whole number (got ${props.seconds})`);
    const provider = new BareProvider(this, 'provider', 'time', props.provider.source, props.provider.providerVersion);
    const triggers = props.triggers && Object.keys(props.triggers).length ? { triggers: { ...props.triggers } } : {};
    this.wait = new TimeSleepResource(this, 'wait', { create_duration: `${props.seconds}s`, ...triggers }, provider, [...props.after]);
  }
}
