import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, EventBus } from '@netdesk/core';
import { autoCloseDue, dueEscalations, nextEscalation, slaBreaches, SlaKind } from '../domain';
import { TICKETING_EVENTS, TicketChangedEvent } from '../ticketing.events';
import { TicketNotifier } from '../notify/ticket-notifier.service';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { asPolicy, EscalationPolicies } from './escalation-policies.service';
import type { EscalationStep } from './escalation-policy.entity';
import { quietWhileDatabaseDown } from '@netdesk/database';

const BATCH = 100;

/**
 * The ticket clocks, all kept in the database so a restart loses nothing: escalation steps when due
 * (each step once: the due rows are locked with SKIP LOCKED, so with several instances exactly one
 * performs it), SLA breaches, and closing tickets that stayed resolved for the stable period.
 *
 * The clock is checked every second, but the database only when something may be due: after each pass
 * it reads the earliest due time of any ticket, and a ticket change on this instance (every change
 * publishes an event) makes the next second's check run a pass. A pass also runs at least every
 * `NETDESK_TICKETING_SWEEP_MS` as a safety net (tickets changed by another instance).
 */
@Injectable()
export class TicketTimers implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ticket-timers');
  private busy = false;
  /** Earliest time (ms) a clock may be due; 0: unknown, run a pass at the next check. */
  private nextDueAt = 0;
  private lastPassAt = 0;
  /** A ticket changed since the current pass started: its due time may be earlier than the one read. */
  private changed = false;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly tickets: TicketRepository,
    private readonly policies: EscalationPolicies,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
  ) {}

  private readonly onError = quietWhileDatabaseDown((err, suppressed) =>
    this.logger.error({ err, suppressed }, 'ticket timers failed; will retry'),
  );

  onModuleInit(): void {
    const changed = () => {
      this.changed = true;
      this.nextDueAt = 0;
    };
    this.unsubscribe = [TICKETING_EVENTS.opened, TICKETING_EVENTS.updated].map((topic) =>
      this.bus.subscribe(topic, changed),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  @Interval(1000)
  async tick(): Promise<void> {
    if (this.busy) return;
    const now = this.clock.now().getTime();
    if (now < this.nextDueAt && now - this.lastPassAt < this.config.ticketing.automationIntervalMs) return;
    this.busy = true;
    try {
      this.changed = false;
      this.lastPassAt = now;
      await this.runOnce();
      const due = await this.tickets.nextTimerDue(this.config.ticketing.autoCloseAfterSec);
      this.nextDueAt = this.changed ? 0 : (due?.getTime() ?? Number.POSITIVE_INFINITY);
    } catch (err) {
      this.nextDueAt = 0;
      this.onError(err);
    } finally {
      this.busy = false;
    }
  }

  /** One pass over every clock; returns what it did (tests call it with a fake clock). */
  async runOnce(): Promise<{ escalated: number; breaches: number; closed: number }> {
    return {
      escalated: await this.escalate(),
      breaches: await this.recordSlaBreaches(),
      closed: await this.autoClose(),
    };
  }

  private async escalate(): Promise<number> {
    const now = this.clock.now();
    const done: { ticket: TicketEntity; steps: EscalationStep[] }[] = [];
    await this.tickets.transaction(async (m) => {
      for (const t of await this.tickets.dueForEscalation(now, BATCH, m)) {
        const policy =
          t.status === 'open' && t.source === 'auto' ? await this.policies.byId(t.escalationPolicyId, m) : null;
        if (!policy) {
          t.nextEscalationAt = null;
          await this.tickets.save(t, m);
          continue;
        }
        const due = dueEscalations(asPolicy(policy), t.escalationAnchorAt, t.escalationLevel, now);
        for (const { level, step, dueAt } of due) {
          t.escalationLevel = level;
          if (step.team) t.team = step.team;
          await this.tickets.addEvents(
            t.id,
            [
              {
                at: now,
                type: 'escalated',
                actor: 'system',
                message: `not acknowledged ${Math.round((now.getTime() - t.escalationAnchorAt.getTime()) / 1000)} s after opening: escalated to level ${level} (policy ${policy.name}, step due ${dueAt.toISOString()})${step.team ? `, handed to team ${step.team}` : ''}`,
              },
            ],
            m,
          );
        }
        t.nextEscalationAt =
          nextEscalation(asPolicy(policy), { openedAt: t.escalationAnchorAt, escalationLevel: t.escalationLevel }, now)
            ?.dueAt ?? null;
        await this.tickets.save(t, m);
        if (due.length) done.push({ ticket: t, steps: due.map((d) => d.step) });
      }
    });
    for (const { ticket, steps } of done) {
      this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
      steps.forEach((step) => this.notifier.onEscalated(ticket, step));
    }
    return done.length;
  }

  private async recordSlaBreaches(): Promise<number> {
    const now = this.clock.now();
    const breached: { ticket: TicketEntity; kind: SlaKind }[] = [];
    await this.tickets.transaction(async (m) => {
      for (const t of await this.tickets.dueForSla(now, BATCH, m)) {
        const anchor = t.escalationAnchorAt;
        const found = slaBreaches(
          {
            priority: t.priority,
            openedAt: anchor,
            acknowledgedAt: t.acknowledgedAt,
            resolvedAt: t.resolvedAt,
            alreadyRecorded: new Set(t.slaBreaches as SlaKind[]),
          },
          now,
        );
        for (const b of found) {
          t.slaBreaches = [...t.slaBreaches, b.kind];
          breached.push({ ticket: t, kind: b.kind });
          await this.tickets.addEvents(
            t.id,
            [
              {
                at: now,
                type: 'sla_breached',
                actor: 'system',
                message: `SLA breached: not ${b.kind === 'ack' ? 'acknowledged' : 'resolved'} by ${b.dueAt.toISOString()} (${t.priority})`,
                data: { kind: b.kind, dueAt: b.dueAt.toISOString() },
              },
            ],
            m,
          );
        }
        if (found.length) await this.tickets.save(t, m);
      }
    });
    for (const { ticket, kind } of breached) {
      this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
      this.notifier.onSlaBreached(ticket, kind);
    }
    return breached.length;
  }

  private async autoClose(): Promise<number> {
    const now = this.clock.now();
    const stable = this.config.ticketing.autoCloseAfterSec;
    const closed: TicketEntity[] = [];
    await this.tickets.transaction(async (m) => {
      for (const t of await this.tickets.dueForAutoClose(new Date(now.getTime() - stable * 1000), BATCH, m)) {
        if (!autoCloseDue(t, now, stable)) continue;
        t.status = 'closed';
        t.closedAt = now;
        await this.tickets.save(t, m);
        await this.tickets.addEvents(
          t.id,
          [
            {
              at: now,
              type: 'closed',
              actor: 'system',
              message: `closed: no recurrence for ${Math.round(stable / 60)} min after it was resolved`,
            },
          ],
          m,
        );
        closed.push(t);
      }
    });
    for (const ticket of closed) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
    return closed.length;
  }
}
