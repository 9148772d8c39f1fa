import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { SCALE_OUT_EVENTS } from '@netdesk/scale-out';
import type { PollerGroupUnreachableEvent } from '@netdesk/scale-out';
import { slaDueTimes } from '../domain';
import { TICKETING_EVENTS } from '../ticketing.events';
import type { TicketChangedEvent } from '../ticketing.events';
import { TicketRepository } from '../tickets/ticket.repository';

const keyOf = (group: string) => `poller-group:${group}`;

/**
 * One ticket per poller group that has no live poller (not one per device), resolved when a poller of
 * the group reports again. The open-fault-key index keeps it to one across core instances.
 */
@Injectable()
export class PollerGroupTickets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ticketing');
  private off: (() => void)[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly tickets: TicketRepository,
    private readonly config: NetdeskConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.off = [
      this.bus.subscribe<PollerGroupUnreachableEvent>(SCALE_OUT_EVENTS.groupUnreachable, (e) => this.open(e)),
      this.bus.subscribe<{ group: string; at: Date }>(SCALE_OUT_EVENTS.groupReachable, (e) => this.resolve(e)),
    ];
  }

  onApplicationShutdown(): void {
    this.off.forEach((f) => f());
  }

  async open(e: PollerGroupUnreachableEvent): Promise<void> {
    const ticket = await this.tickets
      .transaction(async (m) => {
        const existing = await this.tickets.lockByFaultKey(keyOf(e.group), m);
        if (existing && existing.status !== 'resolved') return null;
        const at = new Date(e.since);
        if (existing) {
          existing.status = 'open';
          existing.resolvedAt = null;
          existing.faultActive = true;
          existing.occurrences += 1;
          await this.tickets.save(existing, m);
          await this.tickets.addEvents(
            existing.id,
            [{ at, type: 'reopened', actor: 'system', message: `no live poller in group ${e.group} again` }],
            m,
          );
          return existing;
        }
        const sla = slaDueTimes('P2', at);
        const created = await this.tickets.insert(
          {
            title: `Poller group ${e.group} unreachable (${e.devices} devices not polled)`,
            status: 'open',
            priority: 'P2',
            source: 'auto',
            deviceId: null,
            ifIndex: null,
            faultType: 'poller_unreachable',
            faultKey: keyOf(e.group),
            faultActive: true,
            team: this.config.ticketing.defaultTeam,
            escalationAnchorAt: at,
            impactedCount: e.devices,
            openedAt: at,
            slaAckDueAt: sla.acknowledgeBy,
            slaResolveDueAt: sla.resolveBy,
          },
          m,
        );
        await this.tickets.addEvents(
          created.id,
          [
            {
              at,
              type: 'opened',
              actor: 'system',
              message: `no poller of group ${e.group} has renewed its lease: its ${e.devices} devices show their last known status (stale)`,
            },
          ],
          m,
        );
        return created;
      })
      .catch((err: unknown) => {
        // another core instance opened it at the same moment (unique open fault key)
        this.logger.debug({ err: String(err), group: e.group }, 'poller group ticket not opened');
        return null;
      });
    if (ticket) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.opened, { ticket });
  }

  async resolve(e: { group: string; at: Date }): Promise<void> {
    const ticket = await this.tickets.transaction(async (m) => {
      const existing = await this.tickets.lockByFaultKey(keyOf(e.group), m);
      if (!existing || existing.status === 'resolved' || existing.status === 'closed') return null;
      existing.status = 'resolved';
      existing.resolvedAt = new Date(e.at);
      existing.faultActive = false;
      existing.nextEscalationAt = null;
      await this.tickets.save(existing, m);
      await this.tickets.addEvents(
        existing.id,
        [
          {
            at: new Date(e.at),
            type: 'resolved',
            actor: 'system',
            message: `a poller of group ${e.group} reports again`,
          },
        ],
        m,
      );
      return existing;
    });
    if (ticket) this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket });
  }
}
