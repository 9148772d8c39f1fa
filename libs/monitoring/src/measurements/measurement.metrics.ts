/**
 * The measured metrics, their storage columns and the resolutions they are kept at. Pure data: the
 * repository builds its SQL from these tables, so a metric name from a request never reaches SQL.
 */
export const DEVICE_METRICS = ['rttMs', 'lossPct', 'jitterMs', 'cpuPct', 'memPct'] as const;
export type DeviceMetric = (typeof DEVICE_METRICS)[number];

/**
 * Interface metrics. Traffic is in bits per second; errors and discards are rates in events per
 * second over the poll interval (not per-interval deltas), so devices polled at different intervals
 * compare, and averaging them into rollups stays meaningful.
 */
export const INTERFACE_METRICS = ['inBps', 'outBps', 'inErrors', 'outErrors', 'inDiscards', 'outDiscards'] as const;
export type InterfaceMetric = (typeof INTERFACE_METRICS)[number];

export const METRICS = [...DEVICE_METRICS, ...INTERFACE_METRICS] as const;
export type Metric = DeviceMetric | InterfaceMetric;

export const RESOLUTIONS = ['raw', '5m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export type RollupResolution = Exclude<Resolution, 'raw'>;

/** The column holding a metric: `rttMs` → `rtt_ms`; rollups add `_avg`, `_min`, `_max`, `_count`. */
export function metricColumn(metric: Metric): string {
  return metric.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function isInterfaceMetric(metric: string): metric is InterfaceMetric {
  return (INTERFACE_METRICS as readonly string[]).includes(metric);
}
