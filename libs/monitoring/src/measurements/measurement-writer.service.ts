import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { foreignKeyViolation } from '@netdesk/database';
import { MetricsService } from '@netdesk/observability';
import { BoundedQueue } from './bounded-queue';
import { MeasurementRepository } from './measurement.repository';
import { DeviceSample, DeviceSampleRow, InterfaceSample, InterfaceSampleRow } from './measurement.types';

export interface MeasurementWriterOptions {
  /** How often buffered samples are written. */
  flushIntervalMs: number;
  /** A flush starts early once this many samples (of either kind) are waiting. */
  flushAtRows: number;
  /** Most rows per INSERT statement. */
  batchRows: number;
  /** Most samples held in memory per kind while the database cannot take them; the oldest go first. */
  maxBufferedDeviceRows: number;
  maxBufferedInterfaceRows: number;
}

export const MEASUREMENT_WRITER_OPTIONS = Symbol('MEASUREMENT_WRITER_OPTIONS');

export const DEFAULT_WRITER_OPTIONS: MeasurementWriterOptions = {
  flushIntervalMs: 1000,
  flushAtRows: 5000,
  batchRows: 5000,
  maxBufferedDeviceRows: 50_000,
  maxBufferedInterfaceRows: 250_000,
};

type Kind = 'device' | 'interface';
type DropReason = 'buffer_full' | 'invalid' | 'rejected' | 'shutdown';

const REAL_MAX = 3.4e38; // beyond PostgreSQL's `real` range; such a value would fail its whole batch
const finiteOrNull = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < REAL_MAX ? v : null;
/** SQLSTATE classes 22 (data exception) and 23 (integrity): the batch itself is bad, retrying cannot help. */
const isBadData = (e: unknown): boolean => {
  const code =
    (e as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
};
const validDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/**
 * Takes measurements from the poller without ever making it wait: `recordDevice` and
 * `recordInterfaces` only buffer in memory. The buffer is written in batches (one multi-row INSERT
 * per batch) every second, sooner when it fills, and on shutdown. While the database is down the
 * buffer keeps at most a bounded number of rows, dropping the oldest and counting what it drops.
 */
@Injectable()
export class MeasurementWriter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('measurements');
  private readonly options: MeasurementWriterOptions;
  private readonly devices: BoundedQueue<DeviceSampleRow>;
  private readonly interfaces: BoundedQueue<InterfaceSampleRow>;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private droppedSinceWarning = 0;
  /** Set by the final flush: a sample recorded later can no longer be written, and is counted as dropped. */
  private closed = false;
  private failing = false;
  private readonly written: Counter<'kind'>;
  private readonly dropped: Counter<'kind' | 'reason'>;
  private readonly failures: Counter;
  private readonly flushDuration: Histogram;

  constructor(
    private readonly repository: MeasurementRepository,
    metrics: MetricsService,
    @Optional() @Inject(MEASUREMENT_WRITER_OPTIONS) options?: Partial<MeasurementWriterOptions>,
  ) {
    this.options = { ...DEFAULT_WRITER_OPTIONS, ...options };
    this.devices = new BoundedQueue(this.options.maxBufferedDeviceRows);
    this.interfaces = new BoundedQueue(this.options.maxBufferedInterfaceRows);
    const registers = [metrics.registry];
    this.written = new Counter({
      name: 'netdesk_measurement_rows_written_total',
      help: 'Measurement samples stored, by kind (device or interface)',
      labelNames: ['kind'],
      registers,
    });
    this.dropped = new Counter({
      name: 'netdesk_measurement_rows_dropped_total',
      help: 'Measurement samples not stored, by kind and reason (buffer_full, invalid, rejected: device deleted or sample already stored, shutdown)',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.failures = new Counter({
      name: 'netdesk_measurement_flush_failures_total',
      help: 'Flushes of measurement samples the database refused (the samples stay buffered)',
      registers,
    });
    this.flushDuration = new Histogram({
      name: 'netdesk_measurement_flush_duration_seconds',
      help: 'Time to write the buffered measurement samples',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const devices = this.devices;
    const interfaces = this.interfaces;
    const buffered = new Gauge({
      name: 'netdesk_measurement_rows_buffered',
      help: 'Measurement samples waiting in memory to be written, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        buffered.set({ kind: 'device' }, devices.size);
        buffered.set({ kind: 'interface' }, interfaces.size);
      },
    });
  }

  /** Buffers one device poll. Never blocks and never throws. */
  recordDevice(s: DeviceSample): void {
    if (this.closed) return this.dropAfterClose('device', 1);
    if (typeof s?.deviceId !== 'string' || !validDate(s.at)) return this.drop('device', 'invalid', 1);
    const dropped = this.devices.push({
      deviceId: s.deviceId,
      at: s.at,
      rttMs: finiteOrNull(s.rttMs),
      lossPct: finiteOrNull(s.lossPct),
      jitterMs: finiteOrNull(s.jitterMs),
      cpuPct: finiteOrNull(s.cpuPct),
      memPct: finiteOrNull(s.memPct),
    });
    if (dropped) this.drop('device', 'buffer_full', dropped);
    this.flushIfFull();
  }

  /** Buffers the interfaces of one device poll. Never blocks and never throws. */
  recordInterfaces(deviceId: string, at: Date, rows: InterfaceSample[]): void {
    if (this.closed) return this.dropAfterClose('interface', Array.isArray(rows) ? rows.length : 1);
    if (typeof deviceId !== 'string' || !validDate(at) || !Array.isArray(rows))
      return this.drop('interface', 'invalid', Array.isArray(rows) ? rows.length : 1);
    let dropped = 0;
    let invalid = 0;
    for (const r of rows) {
      if (!Number.isInteger(r?.ifIndex) || r.ifIndex < 0 || r.ifIndex > 2_147_483_647) {
        invalid += 1;
        continue;
      }
      dropped += this.interfaces.push({
        deviceId,
        at,
        ifIndex: r.ifIndex,
        inBps: finiteOrNull(r.inBps),
        outBps: finiteOrNull(r.outBps),
        inErrors: finiteOrNull(r.inErrors),
        outErrors: finiteOrNull(r.outErrors),
        inDiscards: finiteOrNull(r.inDiscards),
        outDiscards: finiteOrNull(r.outDiscards),
      });
    }
    if (invalid) this.drop('interface', 'invalid', invalid);
    if (dropped) this.drop('interface', 'buffer_full', dropped);
    this.flushIfFull();
  }

  /** Samples waiting to be written. */
  get buffered(): { device: number; interface: number } {
    return { device: this.devices.size, interface: this.interfaces.size };
  }

  /**
   * Writes everything buffered, batch by batch; resolves when the buffer is empty or the database
   * refused a batch (which then stays buffered for the next flush). Concurrent calls share one flush.
   */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.warnAboutDrops();
      void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Graceful shutdown: one last flush while the database pool is still open. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    const left = this.buffered;
    if (left.device) this.drop('device', 'shutdown', this.devices.take(left.device).length);
    if (left.interface) this.drop('interface', 'shutdown', this.interfaces.take(left.interface).length);
    this.warnAboutDrops();
  }

  /** Samples that came after the final flush (the poller outlived the writer): never silent. */
  private dropAfterClose(kind: Kind, n: number): void {
    const first = this.droppedSinceWarning === 0;
    this.drop(kind, 'shutdown', n);
    if (first) this.warnAboutDrops();
  }

  private flushIfFull(): void {
    if (this.devices.size + this.interfaces.size >= this.options.flushAtRows) void this.flush();
  }

  private async drain(): Promise<void> {
    const started = process.hrtime.bigint();
    let wrote = false;
    try {
      while (this.devices.size || this.interfaces.size) {
        if (!(await this.writeBatch('device', this.devices, (rows) => this.repository.insertDeviceSamples(rows))))
          return;
        if (
          !(await this.writeBatch('interface', this.interfaces, (rows) => this.repository.insertInterfaceSamples(rows)))
        )
          return;
        wrote = true;
      }
    } finally {
      if (wrote) this.flushDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Writes one batch of one kind; on failure puts it back at the front of the buffer and returns false. */
  private async writeBatch<T>(
    kind: Kind,
    queue: BoundedQueue<T>,
    insert: (rows: T[]) => Promise<number>,
  ): Promise<boolean> {
    const rows = queue.take(this.options.batchRows);
    if (!rows.length) return true;
    try {
      let stored: number;
      try {
        stored = await insert(rows);
      } catch (e) {
        // A device deleted between the existence check and the insert: once more, it is skipped now.
        if (!foreignKeyViolation(e)) throw e;
        stored = await insert(rows);
      }
      this.written.inc({ kind }, stored);
      if (stored < rows.length) this.dropped.inc({ kind, reason: 'rejected' }, rows.length - stored);
      if (this.failing) this.logger.log({ buffered: this.buffered }, 'writing measurements again');
      this.failing = false;
      return true;
    } catch (e) {
      this.failures.inc();
      if (isBadData(e)) {
        this.drop(kind, 'invalid', rows.length);
        this.logger.error(
          { err: e, kind, rows: rows.length },
          'the database refused a batch of measurements; dropped it',
        );
        return true;
      }
      const dropped = queue.restore(rows);
      if (dropped) this.drop(kind, 'buffer_full', dropped);
      // one line per outage, not one per flush
      if (!this.failing)
        this.logger.warn(
          { err: e, kind, rows: rows.length, buffered: this.buffered, bound: this.options.maxBufferedDeviceRows },
          `could not write measurements; keeping up to ${this.options.maxBufferedDeviceRows} device and ${this.options.maxBufferedInterfaceRows} interface samples buffered (oldest dropped first, counted)`,
        );
      this.failing = true;
      return false;
    }
  }

  private drop(kind: Kind, reason: DropReason, n: number): void {
    if (n <= 0) return;
    this.dropped.inc({ kind, reason }, n);
    if (reason !== 'rejected') this.droppedSinceWarning += n;
  }

  /** At most one warning per flush interval, with the count, however many samples were dropped. */
  private warnAboutDrops(): void {
    if (!this.droppedSinceWarning) return;
    this.logger.warn(
      { dropped: this.droppedSinceWarning, buffered: this.buffered },
      'dropped measurement samples (buffer full while the database was unavailable, invalid, or shutting down)',
    );
    this.droppedSinceWarning = 0;
  }
}
