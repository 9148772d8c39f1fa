/** One device poll as the poller reports it; a metric left out or null was not measured. */
export interface DeviceSample {
  deviceId: string;
  at: Date;
  rttMs?: number | null;
  lossPct?: number | null;
  jitterMs?: number | null;
  cpuPct?: number | null;
  memPct?: number | null;
}

/**
 * One interface of a device poll. Traffic in bits per second; errors and discards as rates in events
 * per second over the poll interval (the poller derives both from counter deltas); null when unknown.
 */
export interface InterfaceSample {
  ifIndex: number;
  inBps: number | null;
  outBps: number | null;
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
}

/** A device sample as buffered and stored: every metric present, null when not measured. */
export type DeviceSampleRow = Required<DeviceSample>;

export interface InterfaceSampleRow extends InterfaceSample {
  deviceId: string;
  at: Date;
}

/** One point of a series; for raw samples `avg`, `min` and `max` are the sample's value. */
export interface SeriesPoint {
  at: Date;
  avg: number;
  min: number;
  max: number;
}
