import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@netdesk/core';
import { databaseUnavailable } from '@netdesk/database';
import { MeasurementWriter } from '../measurements';
import type { LastPollRow } from '@netdesk/inventory';
import { MonitoringRepository } from './monitoring.repository';
import { utilisationPct } from '../domain/thresholds';
import { MONITORING_EVENTS, TOPIC_OF, WanReadingEvent } from './monitoring.events';
import type { DevicePollReport, InterfaceReading, MonitoringChange, PollSink } from './poll-engine.types';

const FLUSH_MS = 2000;
/** Most status-change batches held while the database is unavailable; beyond it, new ones are refused. */
export const MAX_HELD_CHANGE_BATCHES = 10_000;
const RETRY_HELD_MS = 1000;

/**
 * Where the poll engine's results go. Changes are stored durably (status, history) before they are
 * published on the EventBus; plain observations (last poll, interface readings, measurements) are
 * coalesced per device and written in batches, so polling cost does not grow with database round trips.
 */
@Injectable()
export class MonitoringStore implements PollSink, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('monitoring');
  private lastPolls = new Map<string, LastPollRow>();
  private interfaces = new Map<string, { at: Date; readings: InterfaceReading[] }>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** Status changes stored nowhere yet (database unavailable), oldest first, with their original times. */
  private held: MonitoringChange[][] = [];
  private heldRefused = 0;
  private retryTimer?: NodeJS.Timeout;
  private writingHeld?: Promise<void>;
  private lastPollsFailing = false;

  constructor(
    private readonly repo: MonitoringRepository,
    private readonly bus: EventBus,
    private readonly measurements: MeasurementWriter,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.flush();
    if (this.held.length)
      this.logger.error(
        { held: this.heldChanges },
        'status changes not stored: the database was unavailable at shutdown (they will be found again by the next polls)',
      );
  }

  /**
   * Stores status changes, then publishes them. While the database is unavailable they are held in
   * order (behind any already held) and written with their original times once it is back; the
   * engine goes on as if stored. Only when the hold is full is a change refused (the engine then
   * re-polls and finds it again).
   */
  async commit(changes: MonitoringChange[]): Promise<void> {
    if (this.held.length) return this.hold(changes);
    let ids: number[];
    try {
      ids = await this.repo.commit(changes);
    } catch (err) {
      if (!databaseUnavailable(err)) throw err;
      return this.hold(changes, err);
    }
    this.publish(changes, ids);
  }

  /** Status changes waiting for the database. */
  get heldChanges(): number {
    return this.held.reduce((n, batch) => n + batch.length, 0);
  }

  private publish(changes: MonitoringChange[], ids: number[]): void {
    changes.forEach((change, i) => this.bus.publish(TOPIC_OF[change.kind], { ...change, historyId: ids[i] }));
  }

  private hold(changes: MonitoringChange[], err?: unknown): void {
    if (this.held.length >= MAX_HELD_CHANGE_BATCHES) {
      if (this.heldRefused++ === 0)
        this.logger.error(
          { held: this.held.length },
          `database unavailable and ${MAX_HELD_CHANGE_BATCHES} status changes already held; newer ones are refused and will be found again by later polls`,
        );
      throw new Error('database unavailable and the status change hold is full');
    }
    if (!this.held.length)
      this.logger.warn(
        { err },
        `database unavailable: holding status changes in order (up to ${MAX_HELD_CHANGE_BATCHES}) until it is back`,
      );
    this.held.push(changes);
    this.scheduleHeldRetry();
  }

  private scheduleHeldRetry(): void {
    if (this.retryTimer || this.writingHeld) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.writeHeld();
    }, RETRY_HELD_MS);
    this.retryTimer.unref();
  }

  /** Writes the held changes in order; stops at the first that meets an unavailable database. */
  writeHeld(): Promise<void> {
    this.writingHeld ??= (async () => {
      let written = 0;
      while (this.held.length) {
        const batch = this.held[0];
        try {
          this.publish(batch, await this.repo.commit(batch));
          written += batch.length;
        } catch (err) {
          if (databaseUnavailable(err)) break;
          this.logger.error({ err, deviceId: batch[0]?.deviceId }, 'a held status change was refused; dropped');
        }
        this.held.shift();
      }
      if (written)
        this.logger.log(
          { written, refused: this.heldRefused, stillHeld: this.held.length },
          `database back: wrote ${written} held status changes with their original times`,
        );
      if (!this.held.length) this.heldRefused = 0;
    })().finally(() => {
      this.writingHeld = undefined;
      if (this.held.length) this.scheduleHeldRetry();
    });
    return this.writingHeld;
  }

  /** The WAN circuits' readings of a poll, on the EventBus for the live board (one event per circuit). */
  private publishWanReadings(report: DevicePollReport): void {
    const byIndex = new Map(report.interfaces!.map((r) => [r.ifIndex, r]));
    const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    for (const link of report.wanLinks!) {
      const r = byIndex.get(link.ifIndex);
      if (!r) continue;
      const event: WanReadingEvent = {
        deviceId: report.deviceId,
        ifIndex: r.ifIndex,
        inBps: r.inBps,
        outBps: r.outBps,
        inUtilisationPct: round(utilisationPct(r.inBps, link.capacityBps, r.speedBps)),
        outUtilisationPct: round(utilisationPct(r.outBps, link.capacityBps, r.speedBps)),
        rttMs: report.icmp?.rttMs ?? null,
        jitterMs: report.icmp?.jitterMs ?? null,
        at: report.at,
      };
      this.bus.publish(MONITORING_EVENTS.wanReading, event);
    }
  }

  observe(report: DevicePollReport): void {
    const system = report.snmp?.system;
    this.lastPolls.set(report.deviceId, {
      deviceId: report.deviceId,
      at: report.at,
      rttMs: report.icmp?.rttMs ?? null,
      lossPct: report.icmp ? report.icmp.lossPct : null,
      sysName: system?.sysName ?? null,
      sysDescr: system?.sysDescr ?? null,
      sysObjectId: system?.sysObjectID ?? null,
      uptimeSec: system?.sysUpTimeTicks != null ? Math.floor(system.sysUpTimeTicks / 100) : null,
    });
    if (report.interfaces) this.interfaces.set(report.deviceId, { at: report.at, readings: report.interfaces });
    if (report.wanLinks && report.interfaces) this.publishWanReadings(report);
    const resources = report.snmp?.hostResources;
    this.measurements.recordDevice({
      deviceId: report.deviceId,
      at: report.at,
      rttMs: report.icmp?.rttMs ?? null,
      lossPct: report.icmp?.lossPct ?? null,
      jitterMs: report.icmp?.jitterMs ?? null,
      cpuPct: resources?.cpuLoadPct ?? null,
      memPct: resources?.memory?.usedPct ?? null,
    });
    if (report.interfaces?.length) {
      this.measurements.recordInterfaces(
        report.deviceId,
        report.at,
        report.interfaces.map((r) => ({
          ifIndex: r.ifIndex,
          inBps: r.inBps,
          outBps: r.outBps,
          inErrors: r.inErrors,
          outErrors: r.outErrors,
          inDiscards: r.inDiscards,
          outDiscards: r.outDiscards,
        })),
      );
    }
  }

  /** Writes what was observed since the last flush; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const lastPolls = [...this.lastPolls.values()];
      const interfaces = this.interfaces;
      this.lastPolls = new Map();
      this.interfaces = new Map();
      if (this.held.length) await this.writeHeld();
      try {
        await this.repo.writeLastPolls(lastPolls);
        await this.repo.writeInterfaces(interfaces);
        if (this.lastPollsFailing) this.logger.log('writing the latest poll results again');
        this.lastPollsFailing = false;
      } catch (err) {
        // Observations are superseded by the next poll; losing one flush costs freshness only.
        // One line per outage, not one per flush.
        if (!this.lastPollsFailing)
          this.logger.warn({ err, devices: lastPolls.length }, 'could not write the latest poll results');
        this.lastPollsFailing = true;
      }
    });
    return this.flushing;
  }
}
