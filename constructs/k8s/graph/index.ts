export * from './backends.js';
export * from './dgd-types.js';
export * from './dynamo-graph-deployment.js';
export * from './gpu-placement.js';
export * from './graph-network.js';
export * from './graph-request.js';
export * from './health.js';
export * from './model-cache.js';
