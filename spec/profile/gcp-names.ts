/**
 * GCP names derived from the cluster name, written once: the GKE stack creates the resources under these names and
 * the Kubernetes layer (which cannot read Terraform outputs) names them in its objects.
 */
import { createHash } from 'node:crypto';

/** The VPC the GKE stack creates for a cluster (the subnet, router and NAT take it as their prefix). */
export const gkeVpcName = (clusterName: string): string => clusterName;

/** A network named with its project: `projects/P/global/networks/N`, alone or at the end of a self link. */
export const GCP_NETWORK_PATH = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/]+?)\/*$/;

/**
 * The network a CSI driver's StorageClass `network` parameter takes: the VPC the stack creates (its name), or an
 * existing network as given: a short name stays short (both drivers resolve it in the cluster's project); a path or
 * self link naming a project becomes `projects/P/global/networks/N`, which the Managed Lustre driver passes on
 * unchanged and Filestore needs for a Shared VPC (GoogleCloudPlatform/lustre-csi-driver pkg/csi_driver/controller.go;
 * kubernetes-sigs/gcp-filestore-csi-driver README, `network` and `connect-mode`).
 */
export function gkeStorageNetwork(cluster: { readonly name: string; readonly network: { readonly existing?: { readonly networkId: string } | undefined } }): string {
  const existing = cluster.network.existing?.networkId;
  if (existing === undefined) return gkeVpcName(cluster.name);
  const full = GCP_NETWORK_PATH.exec(existing);
  return full ? `projects/${full[1]}/global/networks/${full[2]}` : existing.replace(/\/+$/, '').split('/').pop()!;
}

/** The rule of a Google service account id (IAM `accountId`). */
export const GCP_SERVICE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** The service accounts the GKE stack creates, by role; the role is part of the id. */
export const GKE_SERVICE_ACCOUNT_ROLES = ['nodes', 'workloads'] as const;
export type GkeServiceAccountRole = (typeof GKE_SERVICE_ACCOUNT_ROLES)[number];

const MAX_ID = 30;
const HASH_CHARS = 6;

/**
 * The shape of a shortened id: it ends in a hyphen and 6 hex digits, which no `<cluster>-<role>` id does (its last 6
 * characters are those of `-nodes` or `kloads`, neither all hex), so the two forms never give the same id.
 */
export const GKE_SHORTENED_SERVICE_ACCOUNT_ID = new RegExp(`-[0-9a-f]{${HASH_CHARS}}$`);

/**
 * The service account id of a role: `<cluster>-<role>` when that fits in 30 characters; otherwise the cluster name
 * shortened, the role, and a 6-character digest of the whole cluster name (so that two names with the same beginning
 * stay apart). The digest comes last so that a shortened id never equals the plain id of another cluster (one named
 * like `<prefix>-<6 hex>` would otherwise give `<prefix>-<6 hex>-<role>` too). The cluster name must start with a
 * letter (as GKE itself requires).
 */
export function gkeServiceAccountId(clusterName: string, role: GkeServiceAccountRole): string {
  const plain = `${clusterName}-${role}`;
  if (plain.length <= MAX_ID) return plain;
  const digest = createHash('sha256').update(clusterName).digest('hex').slice(0, HASH_CHARS);
  const room = MAX_ID - role.length - HASH_CHARS - 2;
  const prefix = clusterName.slice(0, room).replace(/-+$/, '');
  return `${prefix}-${role}-${digest}`;
}
