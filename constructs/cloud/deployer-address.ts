/**
 * DeployerAddress: the public IPv4 address of the machine that runs Terraform, looked up at plan time with the
 * hashicorp/http provider's `http` data source, as `<address>/32`. The default public Kubernetes API endpoint admits
 * only this address, so `cdktf deploy` (whose Helm releases talk to the API from the same machine) reaches it and
 * nobody else does. A different runner changes the allowed range on its next apply (an in-place update of the
 * cluster on all three clouds).
 *
 * There is no npm binding of the http provider: the data source is cdktf's generic `TerraformDataSource`, and
 * `HttpProvider` a bare `TerraformProvider` (the provider needs no configuration). The caller pins the version.
 */
import { Fn, TerraformDataSource } from './cdktf.cjs';
import { Construct } from 'constructs';
import { BareProvider } from './bare-provider.js';

/** Answers with the caller's public IPv4 address and a newline, nothing else. */
export const DEPLOYER_ADDRESS_URL = 'https://checkip.amazonaws.com';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';

/** The Terraform address of the lookup, named in the plan's error. */
export const DEPLOYER_ADDRESS_ID = 'deployer_ip';

export const DEPLOYER_ADDRESS_ERROR =
  `Could not look up the public IPv4 address of the machine running Terraform at ${DEPLOYER_ADDRESS_URL}, which limits the ` +
  'public Kubernetes API endpoint by default (no internet access, a proxy or an IPv6-only network?). Set ' +
  'cluster.network.publicAccessCidrs to the ranges that deploy and operate the cluster, or ' +
  'cluster.network.publicEndpoint: false for a private API (air-gapped runners), and synthesize again.';

/** `hashicorp/http`, pinned by the caller; the provider has no arguments. */
export class HttpProvider extends BareProvider {
  constructor(scope: Construct, id: string, source: string, version: string) {
    super(scope, id, 'http', source, version);
  }
}

/**
 * `data "http"` of one URL: ten seconds per try, two retries on connection errors and 5xx. A generic data source
 * writes its attributes as given, so they are spelled as Terraform names them (snake_case), not as cdktf bindings do.
 */
class HttpGet extends TerraformDataSource {
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { url: DEPLOYER_ADDRESS_URL, request_timeout_ms: 10000, retry: { attempts: 2 } };
  }
}

export interface DeployerAddressProps {
  /** Provider source address. @default 'hashicorp/http' */
  readonly source?: string;
  /** Exact provider version (the version matrix's). */
  readonly providerVersion: string;
}

export class DeployerAddress extends Construct {
  /** `<address>/32`, known at plan time. */
  public readonly cidr: string;
  public readonly lookup: TerraformDataSource;

  constructor(scope: Construct, id: string, props: DeployerAddressProps) {
    super(scope, id);
    const provider = new HttpProvider(this, 'provider', props.source ?? 'hashicorp/http', props.providerVersion);
    this.lookup = new HttpGet(this, 'lookup', {
      terraformResourceType: 'http',
      terraformGeneratorMetadata: { providerName: 'http' },
      provider,
      lifecycle: {
        postcondition: [{
          // 200 and a dotted quad of 0-255 without leading zeros (which cidrnetmask would accept), that parses as an
          // IPv4 prefix (cidrnetmask refuses IPv6).
          condition: `\${self.status_code == 200 && can(regex("^${OCTET}([.]${OCTET}){3}$", chomp(self.response_body))) && can(cidrnetmask(format("%s/32", chomp(self.response_body))))}`,
          errorMessage: DEPLOYER_ADDRESS_ERROR,
        }],
      },
    });
    this.lookup.overrideLogicalId(DEPLOYER_ADDRESS_ID);
    this.cidr = `${Fn.chomp(this.lookup.getStringAttribute('response_body'))}/32`;
  }
}
