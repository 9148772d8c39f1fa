/** A link the capacity report covers, with what its utilisation is judged against. */
export interface WanLinkRow {
  deviceId: string;
  deviceName: string;
  deviceKind: string;
  deviceThresholds: Record<string, number> | null;
  ifIndex: number;
  name: string;
  provider: string | null;
  circuitId: string | null;
  capacityBps: number | null;
  speedBps: number | null;
  utilisationPct: number | null;
}

/** A link to aggregate, with the base rate and threshold its buckets are judged against. */
export interface WanLinkThreshold {
  deviceId: string;
  ifIndex: number;
  baseBps: number | null;
  thresholdPct: number;
}

export interface WanLinkStats {
  deviceId: string;
  ifIndex: number;
  inP95Bps: number | null;
  outP95Bps: number | null;
  inPeakBps: number | null;
  outPeakBps: number | null;
  /** Buckets whose average in or out rate was over the link's threshold. */
  bucketsOver: number;
}

export type WanLinkResolution = '5m' | '1h';

/**
 * The link figures of the WAN capacity report. The SQL aggregates monitoring's interface rollups (and day
 * summaries) per link in the database: it lives here, with the table owner, and reports asks through this
 * port (docs/decisions.md, "Bounded contexts").
 */
export abstract class LinkStatistics {
  /** Watched interfaces of `wan-link` devices, and every interface with a contracted capacity. */
  abstract links(): Promise<WanLinkRow[]>;
  /**
   * 95th percentile of the bucket averages, peaks from the bucket maxima, and how many buckets averaged
   * over `baseBps × thresholdPct` in either direction, for each link, from one resolution's rollups.
   */
  abstract stats(
    links: WanLinkThreshold[],
    from: Date,
    to: Date,
    resolution: WanLinkResolution,
  ): Promise<WanLinkStats[]>;
}
