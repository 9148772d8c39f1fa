import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, EventBus } from '@netdesk/core';
import { HistoryCursor } from '@netdesk/database';
import { MONITORING_EVENTS, StatusHistoryReader } from '@netdesk/monitoring';
import type { StatusChange } from '@netdesk/monitoring';
import { TicketNotifier } from '../notify/ticket-notifier.service';
import { TicketRepository } from '../tickets/ticket.repository';
import { TICKETING_EVENTS } from '../ticketing.events';
import { AutomationEffects } from './automation-effects';
import { StatusChangeHandler } from './status-change.handler';
import { ticketingHistory } from './ticketing-history.source';

const LOCK = 0x6e64_746b; // 'ndtk': one instance turns history into tickets at a time
const BATCH = 200;
/** A gap in history ids older than this is a rolled-back insert, not one still committing. */
const GAP_PATIENCE_MS = 10_000;

/**
 * Turns monitoring's status history into tickets: one per fault, reopened when it recurs before it is
 * closed, resolved by the system on recovery. It reads the history through a cursor moved in the same
 * transaction as the tickets it writes, under an advisory lock, so after a crash nothing is lost or
 * done twice, and several instances never race. Events on the bus only wake it up; a timer does too.
 * What one change does to tickets is `StatusChangeHandler`'s; publishing and paging wait for the commit.
 */
@Injectable()
export class TicketAutomation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ticket-automation');
  private readonly cursor: HistoryCursor<StatusChange>;

  constructor(
    tickets: TicketRepository,
    changes: StatusChangeHandler,
    history: StatusHistoryReader,
    notifier: TicketNotifier,
    clock: Clock,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
  ) {
    this.cursor = new HistoryCursor<StatusChange>(
      {
        lock: LOCK,
        batch: BATCH,
        transaction: (work) => tickets.transaction(work),
        source: ticketingHistory(history),
        gaps: { patienceMs: GAP_PATIENCE_MS, now: () => clock.now() },
        onError: (err, suppressed) => this.logger.error({ err, suppressed }, 'ticket automation failed; will retry'),
      },
      () => {
        const effects = new AutomationEffects();
        let handled = 0;
        return {
          handle: (row, m) => {
            handled++;
            return changes.handle(row, m, effects);
          },
          afterCommit: () => {
            effects.flush(bus, notifier);
            if (handled) bus.publish(TICKETING_EVENTS.historyProcessed, {});
          },
        };
      },
    );
  }

  onApplicationBootstrap(): void {
    this.cursor.start(this.bus, Object.values(MONITORING_EVENTS), this.config.ticketing.automationIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.cursor.stop();
  }

  /** Processes everything pending; calls while a run is under way fold into one more run. */
  kick(): Promise<void> {
    return this.cursor.kick();
  }

  /** One transaction: up to BATCH history rows after the cursor, their tickets, the cursor moved. */
  processBatch(): Promise<number> {
    return this.cursor.processBatch();
  }
}
