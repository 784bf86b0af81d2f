/**
 * Field schemas the spec sections share (the schema, the graphs, the exposure): each rule and its message written
 * once, so a name, a quantity or a CIDR is judged the same way wherever it appears.
 */
import { z } from './zod.cjs';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS label (Kubernetes names of namespaces, graphs, pools); `what` names the field in the message. */
export const dnsLabel = (what: string) =>
  z
    .string()
    .max(63, { message: `${what} must be at most 63 characters` })
    .regex(DNS_LABEL, { message: `${what} must be a DNS label (lower-case letters, digits and '-', alphanumeric at both ends)` });

/** A Kubernetes resource quantity such as `10Gi`, `500m` or `2`. */
export const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/, {
    message: 'must be a Kubernetes quantity such as 10Gi, 512Mi, 500m or 2',
  });

/** An IPv4 CIDR. */
export const cidr = z.string().regex(/^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$/, { message: 'must be an IPv4 CIDR such as 10.0.0.0/16' });
