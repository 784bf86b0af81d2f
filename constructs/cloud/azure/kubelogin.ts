/**
 * The exec credential of the deploy path on AKS (Entra ID with Azure RBAC): `kubelogin get-token` in the login mode
 * that matches how Terraform signs in to Azure, so the same CI job that applies the stack can talk to the cluster.
 * Facts from Azure/kubelogin (`pkg/internal/token/options.go`, docs `concepts/login-modes/*`):
 * - `azurecli`: the token of the `az login` session (user, or `az login --service-principal` / `--identity`).
 * - `spn`: with `--use-azurerm-env-vars` kubelogin reads Terraform's own variables, ARM_CLIENT_ID, ARM_TENANT_ID and
 *   ARM_CLIENT_SECRET or ARM_CLIENT_CERTIFICATE_PATH (+ ARM_CLIENT_CERTIFICATE_PASSWORD).
 * - `workloadidentity`: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE (and AZURE_AUTHORITY_HOST), the
 *   variables the AKS workload identity webhook injects and azurerm's `use_aks_workload_identity` reads.
 * - `msi`: the machine's managed identity; with `--use-azurerm-env-vars`, ARM_CLIENT_ID picks a user-assigned one,
 *   as it does for Terraform with ARM_USE_MSI; unset, the system-assigned identity.
 * Every value is read by kubelogin at run time: nothing secret is written into the Terraform JSON.
 */
import type { AksLoginMode } from '../../../spec/schema.js';

export type { AksLoginMode };

/** Entra ID application of the AKS API server (the audience kubelogin requests tokens for, same in every tenant). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Flags per mode besides `--login`: where kubelogin finds the credential. */
const MODE_FLAGS: Record<AksLoginMode, readonly string[]> = {
  azurecli: [],
  spn: ['--use-azurerm-env-vars'],
  workloadidentity: [],
  msi: ['--use-azurerm-env-vars'],
};

/** `kubelogin convert-kubeconfig` / `get-token` flags of a mode (no values but the mode and the server id). */
export const kubeloginLoginArgs = (mode: AksLoginMode): string[] => ['--login', mode, ...MODE_FLAGS[mode]];

/** The exec credential plugin of the Helm and Kubernetes providers for an Entra ID AKS cluster. */
export function kubeloginExec(mode: AksLoginMode): { command: string; args: string[] } {
  if (!(mode in MODE_FLAGS)) throw new Error(`kubelogin mode: expected one of ${Object.keys(MODE_FLAGS).join(', ')}, got ${JSON.stringify(mode)}`);
  return { command: 'kubelogin', args: ['get-token', ...kubeloginLoginArgs(mode), '--server-id', AKS_SERVER_APP_ID] };
}
