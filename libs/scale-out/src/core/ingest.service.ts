import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { NetdeskConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { MeasurementWriter, MonitoringStore, TOPIC_OF } from '@netdesk/monitoring';
import { isFenced } from '../domain/assignment';
import { CORE_CONSUMERS, decodeResult, messageIdOf, ResultMessage, STREAMS } from '../transport/envelope';
import { CoreNatsService } from './core-nats.service';
import { FenceRow, IngestRepository } from './ingest.repository';

export interface IngestCounters {
  applied: number;
  duplicates: number;
  fenced: number;
  malformed: number;
  observations: number;
  /** Observations applied late (from before a cut), paced by NETDESK_BACKFILL_PER_SEC. */
  backfilled: number;
}

/**
 * The core's consumers: status changes (and traps) from their own stream, one at a time and in order,
 * each applied exactly once and acknowledged only after its transaction committed; observations in
 * batches, acknowledged after the batch was written (their rows are keyed by device and time, so a
 * redelivered batch rewrites the same rows). Results from a fenced (stale) lease epoch are dropped.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ingest');
  readonly counters: IngestCounters = {
    applied: 0,
    duplicates: 0,
    fenced: 0,
    malformed: 0,
    observations: 0,
    backfilled: 0,
  };
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly fences = new Map<string, FenceRow>();
  /** Test hook: runs after a change committed and before it is acknowledged. */
  afterCommit?: (m: ResultMessage) => void | Promise<void>;

  constructor(
    private readonly nats: CoreNatsService,
    private readonly repo: IngestRepository,
    private readonly store: MonitoringStore,
    private readonly measurements: MeasurementWriter,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.nats.enabled) return;
    for (const f of await this.repo.allFences()) this.fences.set(f.deviceId, f);
    this.loops.push(this.eventsLoop(), this.observationsLoop());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.race([Promise.allSettled(this.loops), new Promise((r) => setTimeout(r, 3000))]);
  }

  /** Which poller last wrote for each device (for `pollerName`). */
  fenceOf(deviceId: string): FenceRow | undefined {
    return this.fences.get(deviceId);
  }

  private async eventsLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        const { link } = await this.nats.link();
        const consumer = await link.js.consumers.get(STREAMS.events.name, CORE_CONSUMERS.events);
        const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
        for await (const msg of batch) {
          await this.applyEvent(msg);
          if (this.stopped) break;
        }
      } catch (err) {
        // while NATS is away the link logs the loss once; each retry is only worth a debug line
        if (!this.stopped)
          this.logger[this.nats.quiet ? 'debug' : 'warn']({ err: String(err) }, 'events consumer failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async applyEvent(msg: JsMsg): Promise<void> {
    let m: ResultMessage;
    try {
      m = decodeResult(msg.string());
    } catch (err) {
      this.counters.malformed++;
      this.logger.warn({ subject: msg.subject, err: String(err) }, 'malformed result dropped');
      msg.term();
      return;
    }
    if (m.kind !== 'changes') {
      msg.ack();
      return;
    }
    const outcome = await this.repo.applyChanges(messageIdOf(m), m, m.deviceId, m.changes);
    if (outcome.applied) {
      this.counters.applied++;
      this.raiseLocal(m);
      await this.afterCommit?.(m);
      m.changes.forEach((change, i) =>
        this.bus.publish(TOPIC_OF[change.kind], { ...change, historyId: outcome.historyIds[i] }),
      );
    } else if (outcome.why === 'duplicate') this.counters.duplicates++;
    else if (outcome.why === 'fenced') {
      this.counters.fenced++;
      this.logger.warn(
        { deviceId: m.deviceId, poller: m.poller, epoch: m.epoch },
        'stale result from an expired lease ignored',
      );
    }
    msg.ack();
  }

  private async observationsLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        const { link } = await this.nats.link();
        const consumer = await link.js.consumers.get(STREAMS.observations.name, CORE_CONSUMERS.observations);
        const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
        const msgs: JsMsg[] = [];
        for await (const msg of batch) msgs.push(msg);
        if (!msgs.length) continue;
        const raised: FenceRow[] = [];
        const started = Date.now();
        const lateBefore = started - 2 * (this.config.scaleOut?.leaseSec ?? 10) * 1000;
        let late = 0;
        for (const msg of msgs) {
          let m: ResultMessage;
          try {
            m = decodeResult(msg.string());
          } catch {
            this.counters.malformed++;
            continue;
          }
          if (m.kind !== 'report') continue;
          if (isFenced(m.epoch, this.fences.get(m.deviceId)?.epoch)) {
            this.counters.fenced++;
            continue;
          }
          if (this.raiseLocal(m)) raised.push(this.fences.get(m.deviceId)!);
          this.store.observe(m.report);
          this.counters.observations++;
          if (m.at.getTime() < lateBefore) late++;
        }
        await this.store.flush();
        await this.measurements.flush();
        await this.repo.raiseFences(raised);
        for (const msg of msgs) msg.ack();
        this.counters.backfilled += late;
        // Backfill (results from before a cut) is paced so that live results keep the database's attention.
        const pace = (late * 1000) / (this.config.scaleOut?.backfillPerSec ?? 500) - (Date.now() - started);
        if (pace > 0) await new Promise((r) => setTimeout(r, pace));
      } catch (err) {
        // while NATS is away the link logs the loss once; each retry is only worth a debug line
        if (!this.stopped)
          this.logger[this.nats.quiet ? 'debug' : 'warn'](
            { err: String(err) },
            'observations consumer failed; retrying',
          );
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Raises the in-memory fence; true when it moved (epoch or poller changed). */
  private raiseLocal(m: ResultMessage): boolean {
    const current = this.fences.get(m.deviceId);
    if (current && current.epoch >= m.epoch && current.pollerName === m.poller) return false;
    if (current && current.epoch > m.epoch) return false;
    this.fences.set(m.deviceId, { deviceId: m.deviceId, epoch: m.epoch, pollerName: m.poller, pollerGroup: m.group });
    return true;
  }
}
