import { Injectable, Logger } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { Resolution } from './measurement.metrics';
import {
  bucketStart,
  retentionCutoff,
  retentionMs,
  ROLLUP_LATENESS_MS,
  rollupRange,
  rollupSince,
} from './measurement-resolution';
import { MeasurementRepository, RETENTION_TABLES } from './measurement.repository';

const RETENTION_BATCH_ROWS = 10_000;
const RETENTION_MAX_BATCHES = 100; // per table and run: the job stays short; the next run continues

export interface RollupResult {
  /** False when another instance was rolling up at the same moment. */
  ran: boolean;
  buckets: { '5m': number; '1h': number };
}

export type RetentionResult = Record<Resolution, number>;

/**
 * Keeps the rollups current and the tables within their retention. Rollups are recomputed for every
 * bucket touched since the previous run (a little earlier, for late samples), so running twice, or
 * over the same period again, gives the same rows.
 */
@Injectable()
export class MeasurementRollupService {
  private readonly logger = new Logger('measurements');

  constructor(
    private readonly repository: MeasurementRepository,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Rolls raw samples up into 5-minute buckets and those into hourly ones, from `since` (default:
   * the previous run, less the lateness allowance; on the first run as far back as raw samples go)
   * up to the bucket holding `now`, reading the raw samples before they are packed; then packs the
   * interface samples of complete hours (see interface-samples.sql.ts). With `wait`, waits for a run
   * in progress elsewhere instead of skipping (for callers that need the rollups current when it returns).
   */
  async rollUp(opts: { now?: Date; since?: Date; wait?: boolean } = {}): Promise<RollupResult> {
    const now = opts.now ?? this.clock.now();
    const rawKeepMs = retentionMs(this.config.measurementRetention).raw;
    const result = await this.repository.inRollupTransaction(async (manager) => {
      const marks = await this.repository.watermarks(manager);
      const buckets = { '5m': 0, '1h': 0 };
      for (const resolution of ['5m', '1h'] as const) {
        const since = opts.since ?? rollupSince(marks[resolution] ?? null, now, rawKeepMs);
        buckets[resolution] = await this.repository.rollUp(manager, resolution, rollupRange(since, now, resolution));
        await this.repository.advanceWatermark(manager, resolution, now);
      }
      // Then every hour complete (and past the lateness allowance) packs into one row per interface.
      const packBefore = bucketStart(new Date(now.getTime() - ROLLUP_LATENESS_MS), '1h');
      const hours = await this.repository.packInterfaceSamples(manager, packBefore);
      return { buckets, hours };
    }, opts.wait);
    if (!result) return { ran: false, buckets: { '5m': 0, '1h': 0 } };
    this.logger.debug({ buckets: result.buckets, packedHours: result.hours }, 'measurement rollup done');
    return { ran: true, buckets: result.buckets };
  }

  /**
   * Deletes rows older than their retention, in bounded batches. Raw samples and 5-minute rollups
   * the next coarser rollup has not consumed yet are kept, whatever their age.
   */
  async applyRetention(now: Date = this.clock.now()): Promise<RetentionResult> {
    const keep = retentionMs(this.config.measurementRetention);
    const marks = await this.repository.watermarks();
    const consumedBy: Record<Resolution, Date | null> = {
      raw: marks['5m'] ?? null,
      '5m': marks['1h'] ?? null,
      '1h': null,
    };
    const deleted: RetentionResult = { raw: 0, '5m': 0, '1h': 0 };
    for (const resolution of ['raw', '5m', '1h'] as const) {
      const cutoff = retentionCutoff(now, keep[resolution], consumedBy[resolution]);
      for (const target of RETENTION_TABLES[resolution]) {
        deleted[resolution] += await this.repository.deleteOlderThan(
          target,
          cutoff,
          RETENTION_BATCH_ROWS,
          RETENTION_MAX_BATCHES,
        );
      }
    }
    if (deleted.raw || deleted['5m'] || deleted['1h'])
      this.logger.log({ deleted }, 'deleted measurements past their retention');
    return deleted;
  }
}
