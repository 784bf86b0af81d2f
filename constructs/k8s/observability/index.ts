export * from './alert-rules.js';
export * from './alertmanager-config.js';
export * from './dashboards.js';
export * from './dynamo-monitoring.js';
export * from './metrics.js';
export * from './prometheus-config.js';
export * from './dcgm-counters.js';
export * from './dcgm-exporter.js';
