/**
 * The metric names the alert rules and dashboards use, in one place, as the components export them (Dynamo 0.9.0
 * frontend and runtime, the NATS exporter with `-prefix=nats`, etcd 3.5, DCGM exporter, controller-runtime,
 * kubelet). A test checks every name the dashboards query is one of these.
 */
export const METRICS = {
  frontend: {
    requests: 'dynamo_frontend_requests_total',
    queued: 'dynamo_frontend_queued_requests',
    inflight: 'dynamo_frontend_inflight_requests',
    ttft: 'dynamo_frontend_time_to_first_token_seconds',
    itl: 'dynamo_frontend_inter_token_latency_seconds',
    duration: 'dynamo_frontend_request_duration_seconds',
    outputTokens: 'dynamo_frontend_output_tokens_total',
  },
  worker: {
    requests: 'dynamo_component_requests_total',
    errors: 'dynamo_component_errors_total',
    inflight: 'dynamo_component_inflight_requests',
    kvCacheUsage: 'dynamo_component_gpu_cache_usage_percent',
  },
  nats: {
    storageUsed: 'nats_varz_jetstream_stats_storage',
    storageMax: 'nats_varz_jetstream_config_max_storage',
    slowConsumers: 'nats_varz_slow_consumers',
    connections: 'nats_varz_connections',
  },
  etcd: {
    hasLeader: 'etcd_server_has_leader',
    fsync: 'etcd_disk_wal_fsync_duration_seconds',
    dbSize: 'etcd_mvcc_db_total_size_in_bytes',
    quota: 'etcd_server_quota_backend_bytes',
    leaderChanges: 'etcd_server_leader_changes_seen_total',
  },
  gpu: {
    xid: 'DCGM_FI_DEV_XID_ERRORS',
    eccDbe: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    rowRemapFailure: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
    temperature: 'DCGM_FI_DEV_GPU_TEMP',
    memoryUsed: 'DCGM_FI_DEV_FB_USED',
    memoryFree: 'DCGM_FI_DEV_FB_FREE',
    utilization: 'DCGM_FI_DEV_GPU_UTIL',
    power: 'DCGM_FI_DEV_POWER_USAGE',
  },
  operator: {
    reconcileErrors: 'controller_runtime_reconcile_errors_total',
    reconcileTotal: 'controller_runtime_reconcile_total',
    dynamoReconcileErrors: 'dynamo_operator_reconcile_errors_total',
  },
  volumes: { used: 'kubelet_volume_stats_used_bytes', capacity: 'kubelet_volume_stats_capacity_bytes' },
  up: 'up',
} as const;

/** Every metric name above (histograms with their series suffixes). */
export function knownMetricNames(): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') for (const s of ['', '_bucket', '_sum', '_count']) out.add(`${v}${s}`);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  add(METRICS);
  return out;
}
