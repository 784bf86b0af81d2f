/**
 * Security contexts that pass the `restricted` Pod Security Standard, and go beyond upstream's defaults:
 * non-root with a fixed uid, no privilege escalation, every capability dropped, RuntimeDefault seccomp and a
 * read-only root filesystem (writable paths are explicit emptyDir or PVC mounts).
 */
import type { PodSecurityContext, SecurityContext } from 'cdk8s-plus-28/lib/imports/k8s.js';

export function restrictedPodSecurityContext(uid: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedContainerSecurityContext(): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
