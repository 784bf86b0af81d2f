/** The cdk8s construct library of dynamo-iac. */
export * from './common/labels.js';
export * from './common/network.js';
export * from './common/placement.js';
export * from './common/quantity.js';
export * from './common/resources.js';
export * from './common/security.js';
export * from './common/disruption.js';
export * from './namespace/platform-namespace.js';
export * from './storage/storage-classes.js';
export * from './nats/nats-conf.js';
export * from './nats/nats-cluster.js';
export * from './etcd/etcd-args.js';
export * from './etcd/etcd-cluster.js';
export * from './operator/rbac-rules.js';
export * from './operator/webhook.js';
export * from './operator/dynamo-operator.js';
