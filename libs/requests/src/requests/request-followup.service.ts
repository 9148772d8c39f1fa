import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, CoalescingRunner, EventBus } from '@netdesk/core';
import { TICKETING_EVENTS, TicketChangedEvent, Ticket, TicketReader, TicketWriter } from '@netdesk/ticketing';
import { MailSender } from '../mail/mail-sender.service';
import { resolutionNotice } from './request-texts';
import { quietWhileDatabaseDown } from '@netdesk/database';

const BATCH = 50;

/**
 * When an incident resolves, every request linked to it is resolved and its requesters are told, each
 * in one transaction with the mail in the outbox. It reacts to ticket updates and sweeps on a timer, so
 * a restart in between only delays it. A request reopened by "still not working" after the incident was
 * resolved stays open: only a resolution newer than the request's last (re)opening resolves it.
 */
@Injectable()
export class RequestFollowUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('requests');
  private readonly runner = new CoalescingRunner(
    async () => (await this.resolveLinked()) === BATCH,
    quietWhileDatabaseDown((err, suppressed) =>
      this.logger.error({ err, suppressed }, 'resolving linked requests failed; will retry'),
    ),
  );

  constructor(
    private readonly tickets: TicketWriter,
    private readonly ticketReader: TicketReader,
    private readonly sender: MailSender,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start(this.bus, [TICKETING_EVENTS.updated], this.config.ticketing.automationIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }

  kick(): Promise<void> {
    return this.runner.kick();
  }

  async resolveLinked(): Promise<number> {
    const due = await this.ticketReader.requestsOfResolvedIncidents(BATCH);
    for (const { id, parentId } of due) {
      const resolved = await this.tickets.transaction(async (m) => {
        const request = await this.tickets.lock(id, m);
        const incident = await this.tickets.findById(parentId, m);
        if (!request || !incident || !['open', 'acknowledged', 'in_progress'].includes(request.status)) return null;
        if (request.parentTicketId !== incident.id) return null;
        const now = this.clock.now();
        request.status = 'resolved';
        request.resolvedAt = now;
        request.nextEscalationAt = null;
        request.resolution = `incident #${incident.number} was resolved${incident.resolution ? `: ${incident.resolution}` : ''}`;
        await this.tickets.save(request, m);
        await this.tickets.addEvents(
          request.id,
          [{ at: now, type: 'resolved', actor: 'system', message: request.resolution }],
          m,
        );
        await this.sender.enqueue(
          request,
          {
            kind: 'resolution_notice',
            to: request.requesters.map((r) => r.email),
            text: resolutionNotice(request, incident, this.config.mail.followUpSec),
            actor: 'system',
          },
          m,
        );
        return request;
      });
      if (resolved) {
        this.logger.log({ ticketId: resolved.id, incidentId: parentId }, 'request resolved with its incident');
        this.bus.publish<TicketChangedEvent>(TICKETING_EVENTS.updated, { ticket: resolved as Ticket });
        this.sender.kick();
      }
    }
    return due.length;
  }
}
