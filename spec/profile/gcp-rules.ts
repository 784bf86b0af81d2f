/** The spec rules that GKE and Google Cloud impose, each naming the field it belongs to. */
import { GCP_SERVICE_ACCOUNT_ID, GKE_SERVICE_ACCOUNT_ROLES, gkeServiceAccountId } from './gcp-names.js';
import { type GkePoolBounds, gkeInitialNodesPerZone } from './gcp-pools.js';
import { type GkeModelStorage, gkeModelStorageProblem } from './gcp-storage.js';

export interface GkeClusterRulesInput {
  readonly name: string;
  readonly systemPool: GkePoolBounds;
  readonly gpuPools: Readonly<Record<string, GkePoolBounds>>;
  readonly modelStorage: GkeModelStorage;
}

export interface GkeProblem {
  /** Path below `cluster`. */
  readonly path: readonly string[];
  readonly message: string;
}

/** A GKE cluster name (and the VPC and service accounts named after it) starts with a letter. */
const GKE_CLUSTER_NAME = /^[a-z]/;

export function gkeClusterProblems(c: GkeClusterRulesInput): GkeProblem[] {
  const problems: GkeProblem[] = [];
  if (!GKE_CLUSTER_NAME.test(c.name)) {
    problems.push({ path: ['name'], message: 'a GKE cluster name starts with a lower-case letter (so do the VPC and service account ids named after it)' });
  } else {
    for (const role of GKE_SERVICE_ACCOUNT_ROLES) {
      const id = gkeServiceAccountId(c.name, role);
      if (!GCP_SERVICE_ACCOUNT_ID.test(id)) problems.push({ path: ['name'], message: `the ${role} service account id "${id}" derived from it is not a valid Google service account id (${GCP_SERVICE_ACCOUNT_ID.source})` });
    }
  }
  const pools: [string[], GkePoolBounds][] = [[['systemPool'], c.systemPool], ...Object.entries(c.gpuPools).map(([k, v]): [string[], GkePoolBounds] => [['gpuPools', k], v])];
  for (const [path, pool] of pools) {
    if (pool.maxNodes < pool.minNodes) continue; // reported as such by the schema
    const perZone = gkeInitialNodesPerZone(pool);
    if (typeof perZone === 'string') problems.push({ path: [...path, 'maxNodes'], message: perZone });
  }
  const storage = gkeModelStorageProblem(c.modelStorage);
  if (storage) problems.push({ path: ['modelStorage', 'size'], message: storage });
  return problems;
}
