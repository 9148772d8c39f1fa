/** One reading of the poller host's load; from `systeminformation` in production, faked in tests. */
export interface HostStats {
  /** CPU busy, 0..100, over all cores since the previous reading. */
  cpuLoadPct: number;
  /** Memory in use by processes: total minus available (page cache not counted). */
  memUsedBytes: number;
  memTotalBytes: number;
}

export interface HostStatsSource {
  sample(): Promise<HostStats>;
}

export interface SelfMonitoringOptions {
  /** How often the host is sampled, ms (off the polling hot path). */
  sampleIntervalMs: number;
  /** Window of poll lags judged by /health and the p95 gauge, ms. */
  lagWindowMs: number;
  /** Most lag samples kept in the window. */
  maxLagSamples: number;
}

export const DEFAULT_SELF_MONITORING_OPTIONS: SelfMonitoringOptions = {
  sampleIntervalMs: 10_000,
  lagWindowMs: 60_000,
  maxLagSamples: 10_000,
};

export const HOST_STATS_SOURCE = Symbol('HOST_STATS_SOURCE');
export const SELF_MONITORING_OPTIONS = Symbol('SELF_MONITORING_OPTIONS');
