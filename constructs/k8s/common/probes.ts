import { IntOrString } from './kube.cjs';
import type { Probe } from 'cdk8s-plus-28/lib/imports/k8s.js';

/** An HTTP GET probe on a named container port. */
export function httpProbe(path: string, port: string, o: { periodSeconds: number; failureThreshold: number; initialDelaySeconds?: number }): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(port) },
    ...(o.initialDelaySeconds && { initialDelaySeconds: o.initialDelaySeconds }),
    periodSeconds: o.periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: o.failureThreshold,
  };
}
