import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { NetdeskConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { MeasurementWriter, MonitoringStore, TOPIC_OF } from '@netdesk/monitoring';
import { isFenced } from '../domain/assignment';
import { CORE_CONSUMERS, decodeResult, messageIdOf, ResultMessage, STREAMS } from '../transport/envelope';
import { CoreNatsService } from './core-nats.service';
import { ApplyOutcome, FenceRow, IngestRepository } from './ingest.repository';
import { TrapIngest } from './trap-ingest.service';

const EVENTS_BATCH = 500;
/** How often the core looks for a newly linked branch. */
const BRANCH_CHECK_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IngestCounters {
  applied: number;
  duplicates: number;
  fenced: number;
  malformed: number;
  observations: number;
  /** Branch observations applied late (from before a cut), paced by NETDESK_BACKFILL_PER_SEC. */
  backfilled: number;
}

/**
 * The core's consumers: status changes (and traps) from their own stream, in order, in batches across
 * devices, each applied exactly once and acknowledged only after its batch's transaction committed; observations in
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
  /** Events pulled and not yet applied, in stream order. */
  private readonly pending: JsMsg[] = [];
  private draining?: Promise<void>;
  private stopEvents?: () => void;
  /** Test hook: runs after a change committed and before it is acknowledged. */
  afterCommit?: (m: ResultMessage) => void | Promise<void>;

  constructor(
    private readonly nats: CoreNatsService,
    private readonly repo: IngestRepository,
    private readonly store: MonitoringStore,
    private readonly measurements: MeasurementWriter,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
    private readonly traps: TrapIngest,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.nats.enabled) return;
    for (const f of await this.repo.allFences()) this.fences.set(f.deviceId, f);
    this.loops.push(
      this.eventsLoop(),
      this.observationsLoop(CORE_CONSUMERS.observations, false),
      this.observationsLoop(CORE_CONSUMERS.branchObservations, true),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopEvents?.();
    await Promise.race([Promise.allSettled([...this.loops, this.draining]), sleep(3000)]);
  }

  /** Which poller last wrote for each device (for `pollerName`). */
  fenceOf(deviceId: string): FenceRow | undefined {
    return this.fences.get(deviceId);
  }

  /**
   * Pulls the events stream continuously into `pending`; `drain` applies whatever has arrived in one
   * transaction, so batches grow with the load (one message when idle, up to EVENTS_BATCH under a burst)
   * and a burst of changes from many devices costs one commit instead of one each.
   */
  private async eventsLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        const { link } = await this.nats.link();
        const consumer = await link.js.consumers.get(STREAMS.events.name, CORE_CONSUMERS.events);
        const messages = await consumer.consume({ max_messages: EVENTS_BATCH, expires: 5000 });
        this.stopEvents = () => messages.stop();
        for await (const msg of messages) {
          this.pending.push(msg);
          this.drainSoon();
          // back-pressure: pull no further than one batch ahead of what is being applied
          while (this.pending.length >= EVENTS_BATCH && this.draining && !this.stopped) await this.draining;
          if (this.stopped) break;
        }
      } catch (err) {
        // while NATS is away the link logs the loss once; each retry is only worth a debug line
        if (!this.stopped)
          this.logger[this.nats.quiet ? 'debug' : 'warn']({ err: String(err) }, 'events consumer failed; retrying');
        await sleep(1000);
      }
    }
  }

  private drainSoon(): void {
    this.draining ??= (async () => {
      // messages waiting behind a slow batch are kept from redelivery (the ack wait is 30 s)
      const keep = setInterval(() => this.pending.forEach((msg) => msg.working()), 10_000);
      try {
        while (this.pending.length && !this.stopped) await this.applyEvents(this.pending.splice(0, EVENTS_BATCH));
      } finally {
        clearInterval(keep);
      }
    })().finally(() => (this.draining = undefined));
  }

  /**
   * Applies one batch; retried in place until it commits (the database away, a hook failing after the
   * commit), so later messages never overtake it: a retry after a commit finds every key and is a no-op.
   */
  private async applyEvents(msgs: JsMsg[]): Promise<void> {
    const items: { msg: JsMsg; m: ResultMessage }[] = [];
    for (const msg of msgs) {
      try {
        items.push({ msg, m: decodeResult(msg.string()) });
      } catch (err) {
        this.counters.malformed++;
        this.logger.warn({ subject: msg.subject, err: String(err) }, 'malformed result dropped');
        msg.term();
      }
    }
    const events = items.filter((i) => i.m.kind !== 'report');
    for (const i of items) if (i.m.kind === 'report') i.msg.ack();
    while (!this.stopped) {
      try {
        const outcomes = await this.repo.applyBatch(
          events.map(({ m }) => ({
            msgId: messageIdOf(m),
            origin: m,
            deviceId: m.deviceId,
            changes: m.kind === 'changes' ? m.changes : [],
          })),
        );
        for (const [i, outcome] of outcomes.entries()) if (outcome.applied) await this.afterCommit?.(events[i].m);
        for (const [i, outcome] of outcomes.entries()) this.applied(events[i].m, outcome);
        for (const { msg } of events) msg.ack();
        return;
      } catch (err) {
        if (!this.stopped)
          this.logger[this.nats.quiet ? 'debug' : 'warn'](
            { err: String(err), messages: events.length },
            'could not apply status changes; retrying',
          );
        for (const { msg } of events) msg.working();
        await sleep(1000);
      }
    }
  }

  private applied(m: ResultMessage, outcome: ApplyOutcome): void {
    if (outcome.applied) {
      this.counters.applied++;
      this.raiseLocal(m);
      if (m.kind === 'changes')
        m.changes.forEach((change, i) =>
          this.bus.publish(TOPIC_OF[change.kind], { ...change, historyId: outcome.historyIds[i] }),
        );
      else if (m.kind === 'trap') this.traps.received(m);
    } else if (outcome.why === 'duplicate') this.counters.duplicates++;
    else if (outcome.why === 'fenced') {
      this.counters.fenced++;
      this.logger.warn(
        { deviceId: m.deviceId, poller: m.poller, epoch: m.epoch },
        'stale result from an expired lease ignored',
      );
    }
  }

  /**
   * One loop per observations consumer: hub-local results (`paced` false) and branch results, whose backlog
   * after a WAN cut is paced by NETDESK_BACKFILL_PER_SEC without delaying the hub's own live results. A
   * branch's own live results stay in order behind its backlog (its history is applied in order), but are
   * not paced themselves: only what waited in the branch's buffer counts as backlog, judged by the time
   * the hub's stream stored the result (sourcing stores it anew) against the time it was measured, never
   * by how long it then queued at the hub. Otherwise the live results queued behind a gap are paced too,
   * and a branch whose live rate is near the pace never catches up.
   */
  private async observationsLoop(durable: string, paced: boolean): Promise<void> {
    const scaleOut = this.config.scaleOut;
    if (!scaleOut) return; // started only with NATS (onApplicationBootstrap)
    let ready = !paced;
    while (!this.stopped) {
      try {
        const { link } = await this.nats.link();
        // the branch consumer exists once a branch is linked to the hub (see NatsLink.ensureBranchConsumer)
        if (!ready && !(ready = await link.ensureBranchConsumer())) {
          await sleep(BRANCH_CHECK_MS);
          continue;
        }
        const consumer = await link.js.consumers.get(STREAMS.observations.name, durable);
        const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
        const msgs: JsMsg[] = [];
        for await (const msg of batch) msgs.push(msg);
        if (!msgs.length) continue;
        const raised: FenceRow[] = [];
        const started = Date.now();
        const lateAfterMs = 2 * scaleOut.leaseSec * 1000;
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
          if (storedAtMs(msg) - m.at.getTime() > lateAfterMs) late++;
        }
        await this.store.flush();
        await this.measurements.flush();
        await this.repo.raiseFences(raised);
        for (const msg of msgs) msg.ack();
        if (!paced) continue;
        this.counters.backfilled += late;
        // Backfill (results from before a cut) is paced so that live results keep the database's attention.
        const pace = (late * 1000) / scaleOut.backfillPerSec - (Date.now() - started);
        if (pace > 0) await new Promise((r) => setTimeout(r, pace));
      } catch (err) {
        // while NATS is away the link logs the loss once; each retry is only worth a debug line
        if (!this.stopped)
          this.logger[this.nats.quiet ? 'debug' : 'warn'](
            { err: String(err) },
            'observations consumer failed; retrying',
          );
        await sleep(1000);
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

/** When the hub's stream stored a message (for a branch's result: when it crossed the WAN). */
function storedAtMs(msg: JsMsg): number {
  return msg.time.getTime();
}
