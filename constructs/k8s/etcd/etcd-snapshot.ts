/**
 * EtcdSnapshots: backups of the bundled etcd onto a claim of their own, without Helm hooks, so that GitOps tools and
 * `kubectl apply` run them the same way.
 *
 * - A pre-upgrade Job whose name carries the platform version and a hash of its pod template
 *   (`<etcd>-snapshot-pre-<version>-<hash>`): a Job's template cannot change, so a new platform version (or a new
 *   image, registry, pull Secret or placement) is a new Job, applied and waited for before the new platform, instead
 *   of an update the API server rejects. It saves `pre-upgrade-<version>.db` and then checks the file
 *   with `etcdutl snapshot status` (hash and revision), so a truncated snapshot fails the Job.
 * - Optionally a CronJob that keeps one rolling `scheduled.db` (etcdctl writes `.part` and renames, so a failed run
 *   never replaces the last good snapshot).
 *
 * The etcd release image is distroless: the containers run `etcdctl` and `etcdutl` directly, as the image's
 * non-root user, with the same restricted security context as the members.
 */
import { KubeCronJob, KubeJob, KubePersistentVolumeClaim, Quantity } from '../common/kube.cjs';
import type { PodSpec } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { Construct } from 'constructs';
import { imageString, type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { rewriteImage } from '../../../spec/images.js';
import { checksum } from '../common/checksum.js';
import type { ImagePolicy } from '../common/images.js';
import { appLabels } from '../common/labels.js';
import { resourceRequirements } from '../common/resources.js';
import { podPlacement, type WorkloadPlacement } from '../common/placement.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/security.js';
import { ACCEPT, checkovSkipAnnotations } from '../common/checkov.js';

export interface EtcdSnapshotsProps {
  /** The etcd StatefulSet's name (the snapshot objects are named after it). */
  readonly etcdName: string;
  readonly namespace: string;
  /** Client endpoint, host:port. */
  readonly endpoint: string;
  /** Platform version the pre-upgrade snapshot is taken for, e.g. `0.9.0`. */
  readonly platformVersion: string;
  /** Capacity of the snapshot claim. @default '5Gi' */
  readonly storageSize?: string;
  /** @default - the cluster's default class */
  readonly storageClassName?: string;
  /** Cron schedule of the rolling snapshot. @default - none */
  readonly schedule?: string;
  /** @default - the version matrix's etcd image (its etcdctl matches the server) */
  readonly image?: ImageRef;
  /** @default - any node */
  readonly placement?: WorkloadPlacement;
  /** Mirror registry and pull Secrets, applied here so that the Job's name hashes the template the cluster gets. */
  readonly imagePolicy?: ImagePolicy;
}

const UID = 65532;
const MOUNT = '/snapshots';

/** `0.9.0-post1` -> `0-9-0-post1`: a version as part of an object name. */
export const versionSlug = (v: string): string => v.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

export class EtcdSnapshots extends Construct {
  public readonly claimName: string;
  /** `<etcd>-snapshot-pre-<version>-<template hash>`, at most 63 characters. */
  public readonly jobName: string;
  /** Path of the pre-upgrade snapshot inside the claim. */
  public readonly preUpgradeFile: string;

  constructor(scope: Construct, id: string, props: EtcdSnapshotsProps) {
    super(scope, id);
    this.claimName = `${props.etcdName}-snapshots`;
    this.preUpgradeFile = `pre-upgrade-${versionSlug(props.platformVersion)}.db`;
    const registry = props.imagePolicy?.registry;
    const pullSecrets = [...(props.imagePolicy?.pullSecrets ?? [])].sort();
    const image = registry ? rewriteImage(imageString(props.image ?? VERSIONS.etcd.image), registry) : imageString(props.image ?? VERSIONS.etcd.image);
    const labels = appLabels({ name: 'etcd-snapshot', instance: props.etcdName, component: 'backup', version: (props.image ?? VERSIONS.etcd.image).tag });
    const meta = (name: string) => ({ name, namespace: props.namespace, labels });
    const ACCEPTED = checkovSkipAnnotations({ CKV_K8S_43: ACCEPT.tagNotDigest, CKV_K8S_15: ACCEPT.pullIfNotPresent });

    new KubePersistentVolumeClaim(this, 'Claim', {
      metadata: meta(this.claimName),
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(props.storageClassName && { storageClassName: props.storageClassName }),
        resources: { requests: { storage: Quantity.fromString(props.storageSize ?? '5Gi') } },
      },
    });

    const container = (name: string, command: string[]) => ({
      name,
      image,
      imagePullPolicy: 'IfNotPresent',
      command,
      env: [{ name: 'ETCDCTL_API', value: '3' }],
      securityContext: restrictedContainerSecurityContext(),
      resources: resourceRequirements({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
      volumeMounts: [{ name: 'snapshots', mountPath: MOUNT }],
    });
    const save = (file: string) => container('save', ['/usr/local/bin/etcdctl', `--endpoints=http://${props.endpoint}`, '--command-timeout=120s', 'snapshot', 'save', `${MOUNT}/${file}`]);
    const check = (file: string) => container('check', ['/usr/local/bin/etcdutl', 'snapshot', 'status', `${MOUNT}/${file}`, '--write-out=table']);
    const pod = (file: string): PodSpec => ({
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(UID),
      ...podPlacement(props.placement ?? {}, {}, 1),
      ...(pullSecrets.length && { imagePullSecrets: pullSecrets.map((name) => ({ name })) }),
      initContainers: [save(file)],
      containers: [check(file)],
      volumes: [{ name: 'snapshots', persistentVolumeClaim: { claimName: this.claimName } }],
    });

    const template = { metadata: { labels }, spec: pod(this.preUpgradeFile) };
    const base = `${props.etcdName}-snapshot-pre-${versionSlug(props.platformVersion)}`.slice(0, 54).replace(/-+$/, '');
    this.jobName = `${base}-${checksum(JSON.stringify(template)).slice(0, 8)}`;
    new KubeJob(this, 'PreUpgrade', {
      metadata: { ...meta(this.jobName), annotations: ACCEPTED },
      spec: {
        // On a first install etcd may still be starting: retries back off 10 s, 20 s, ... for about ten minutes.
        backoffLimit: 6,
        activeDeadlineSeconds: 1800,
        template,
      },
    });

    if (props.schedule) {
      new KubeCronJob(this, 'Scheduled', {
        metadata: { ...meta(`${props.etcdName}-snapshot`), annotations: ACCEPTED },
        spec: {
          schedule: props.schedule,
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 900, template: { metadata: { labels }, spec: pod('scheduled.db') } } },
        },
      });
    }
  }
}
