/**
 * A public Kubernetes API endpoint open to the whole internet is allowed (authentication still applies), but it is
 * never a default and `npm run synth` says so every time: the API server's own vulnerabilities and brute force are
 * then reachable from anywhere.
 */
import { CLOUD_TARGETS, type Spec, type Target } from './schema.js';


export function openEndpointWarnings(specs: Partial<Record<Target, Spec>>): string[] {
  const warnings: string[] = [];
  for (const target of CLOUD_TARGETS) {
    const spec = specs[target];
    if (!spec || spec.target === 'local') continue;
    const net = spec.cluster.network;
    // Any /0 is the whole address space (the spec's CIDRs are IPv4).
    const open = net.publicEndpoint ? net.publicAccessCidrs.filter((c) => c.endsWith('/0')) : [];
    if (open.length) {
      warnings.push(
        `cluster.network.publicAccessCidrs of target ${target} opens the Kubernetes API endpoint to the whole internet (${open.join(', ')}): narrow it to your offices and the runner of cdktf deploy, leave it empty to admit only the machine running Terraform (its address is looked up at plan time), or set publicEndpoint: false`,
      );
    }
  }
  return warnings;
}
