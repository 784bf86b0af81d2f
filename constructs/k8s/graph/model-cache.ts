/**
 * ModelCache: the shared model cache of a workload namespace, a ReadWriteMany claim the workers of every graph mount at
 * `/opt/models` (with `HF_HOME` pointing there), so each model is downloaded once; plus an optional access pod to
 * load or inspect it (non-root, read-only root filesystem, every capability dropped, and bounded: it stops itself).
 *
 * The claim outlives the graphs (a graph references it, it never owns it) and carries the annotations that keep
 * GitOps tools from pruning it.
 */
import { Chart } from '../common/cdk8s.cjs';
import { KubePersistentVolumeClaim, KubePod, Quantity } from '../common/kube.cjs';
import { Construct } from 'constructs';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { MANAGED_BY } from '../common/labels.js';
import { podPlacement, type WorkloadPlacement } from '../common/placement.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/security.js';
import { MODEL_CACHE_MOUNT, RUNTIME_UID } from './dynamo-graph-deployment.js';
import { ACCEPT, checkovSkipAnnotations } from '../common/checkov.js';

/** checkov findings accepted on the access pod (see README, security scan). */
const ACCESS_POD_ACCEPTED = {
  CKV_K8S_43: ACCEPT.tagNotDigest,
  CKV_K8S_15: ACCEPT.pullIfNotPresent,
  CKV_K8S_40: 'runs as the Dynamo runtime uid so the files it downloads belong to the workers that read them',
  CKV_K8S_8: 'an interactive shell pod (sleep) with a deadline: there is no service whose health a probe could check',
  CKV_K8S_9: 'an interactive shell pod (sleep) with a deadline: it serves no traffic that readiness could route',
};

/** Annotations that keep Argo CD and Flux from deleting the claim when it leaves the manifests. */
export const KEEP_ANNOTATIONS = { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } as const;

export interface ModelCacheProps {
  /** @default 'model-cache' */
  readonly claimName?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** @default '100Gi' */
  readonly size?: string;
  /** @default - the cluster's default class */
  readonly storageClassName?: string;
  /** @default 'ReadWriteMany' */
  readonly accessMode?: 'ReadWriteMany' | 'ReadWriteOnce';
  /** Emit the access pod. @default true */
  readonly accessPod?: boolean;
  /** Seconds the access pod lives. @default 3600 */
  readonly accessPodDeadlineSeconds?: number;
  /** @default - the version matrix's access pod image (Python, slim) */
  readonly accessPodImage?: ImageRef;
  /** Where the access pod runs. @default - off GPU nodes */
  readonly accessPodPlacement?: WorkloadPlacement;
  /** Scope to put the access pod in (e.g. a chart of its own). @default - this construct */
  readonly accessPodScope?: Construct;
}

export class ModelCache extends Construct {
  public readonly claimName: string;
  public readonly namespace: string;
  public readonly mountPoint = MODEL_CACHE_MOUNT;

  constructor(scope: Construct, id: string, props: ModelCacheProps = {}) {
    super(scope, id);
    this.claimName = props.claimName ?? 'model-cache';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const labels = { 'app.kubernetes.io/name': 'model-cache', 'app.kubernetes.io/instance': this.claimName, 'app.kubernetes.io/managed-by': MANAGED_BY };
    new KubePersistentVolumeClaim(this, 'Claim', {
      metadata: { name: this.claimName, namespace: this.namespace, labels, annotations: { ...KEEP_ANNOTATIONS } },
      spec: {
        accessModes: [props.accessMode ?? 'ReadWriteMany'],
        ...(props.storageClassName && { storageClassName: props.storageClassName }),
        resources: { requests: { storage: Quantity.fromString(props.size ?? '100Gi') } },
      },
    });
    if (props.accessPod === false) return;
    const deadline = props.accessPodDeadlineSeconds ?? 3600;
    if (!Number.isInteger(deadline) || deadline < 60) throw new Error(`ModelCache.accessPodDeadlineSeconds: must be a whole number of seconds, at least 60, got ${deadline}`);
    const podName = `${this.claimName}-access`;
    new KubePod(props.accessPodScope ?? this, `${id}AccessPod`, {
      metadata: { name: podName, namespace: this.namespace, labels: { ...labels, 'app.kubernetes.io/component': 'access-pod' }, annotations: checkovSkipAnnotations(ACCESS_POD_ACCEPTED) },
      spec: {
        restartPolicy: 'Never',
        activeDeadlineSeconds: deadline,
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(RUNTIME_UID),
        ...podPlacement(props.accessPodPlacement ?? { avoidNodesLabelled: { key: 'nvidia.com/gpu.present', value: 'true' } }, {}, 1),
        containers: [
          {
            name: 'shell',
            image: imageString(props.accessPodImage ?? VERSIONS.tools.accessPod),
            command: ['sleep', String(deadline)],
            env: [
              { name: 'HF_HOME', value: MODEL_CACHE_MOUNT },
              { name: 'HOME', value: '/tmp' },
            ],
            securityContext: restrictedContainerSecurityContext(),
            resources: {
              requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('256Mi') },
              limits: { cpu: Quantity.fromString('2'), memory: Quantity.fromString('2Gi') },
            },
            volumeMounts: [
              { name: 'models', mountPath: MODEL_CACHE_MOUNT },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'models', persistentVolumeClaim: { claimName: this.claimName } },
          { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('1Gi') } },
        ],
      },
    });
  }
}
