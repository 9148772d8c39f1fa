import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@netdesk/core';
import { MeasurementWriter } from '../measurements';
import { LastPollRow, MonitoringRepository } from './monitoring.repository';
import { TOPIC_OF } from './monitoring.events';
import type { DevicePollReport, InterfaceReading, MonitoringChange, PollSink } from './poll-engine.types';

const FLUSH_MS = 2000;

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
    await this.flush();
  }

  async commit(changes: MonitoringChange[]): Promise<void> {
    const ids = await this.repo.commit(changes);
    changes.forEach((change, i) => this.bus.publish(TOPIC_OF[change.kind], { ...change, historyId: ids[i] }));
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
      try {
        await this.repo.writeLastPolls(lastPolls);
        await this.repo.writeInterfaces(interfaces);
      } catch (err) {
        // Observations are superseded by the next poll; losing one flush costs freshness only.
        this.logger.warn({ err, devices: lastPolls.length }, 'could not write the latest poll results');
      }
    });
    return this.flushing;
  }
}
