import { Injectable, Logger } from '@nestjs/common';
import { NotificationService, NotificationMessage, NotifyTargetInput } from '@netdesk/notifications';
import { UsersService } from '@netdesk/auth';
import { notifyAtOpen } from '../domain';
import { EscalationStep } from '../escalation/escalation-policy.entity';
import { TicketEntity } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { EscalationPolicies } from '../escalation/escalation-policies.service';

/**
 * Tells people about tickets: P1 tickets at opening (the first step's targets), each escalation step's
 * `notify` list. `team:` and `user:` targets are turned into the members' email addresses here. Every
 * delivery outcome becomes a `notified` event on the ticket; a failure never holds ticketing up.
 */
/** A delivery error that is a setup matter, not a recipient's: said once per ticket and logged once for admins. */
const SETUP_ERRORS = new Set(['email is not configured']);
/** Tickets already told about a setup error (bounded: cleared past this many). */
const SETUP_SAID_CAP = 10_000;

@Injectable()
export class TicketNotifier {
  private readonly logger = new Logger('ticket-notifier');
  private readonly setupSaid = new Set<string>();
  private setupLogged = false;

  constructor(
    private readonly notifications: NotificationService,
    private readonly users: UsersService,
    private readonly tickets: TicketRepository,
    private readonly policies: EscalationPolicies,
  ) {}

  /** A P1 ticket notifies at once: its team and the first escalation step's targets. */
  onTicketEvent(ticket: TicketEntity, event: 'opened' | 'reopened'): void {
    if (!notifyAtOpen(ticket.priority)) return;
    void this.policies.byId(ticket.escalationPolicyId).then((policy) => {
      const targets = [...(ticket.team ? [`team:${ticket.team}`] : []), ...(policy?.steps[0]?.notify ?? [])];
      if (targets.length) return this.send(ticket, event, targets, `${ticket.priority} ticket ${event}`);
    });
  }

  onEscalated(ticket: TicketEntity, step: EscalationStep): void {
    if (step.notify?.length)
      void this.send(ticket, 'escalated', step.notify, `escalated to level ${ticket.escalationLevel}`);
  }

  /** An SLA target passed: the ticket's team and the targets of its current escalation step are told. */
  onSlaBreached(ticket: TicketEntity, kind: 'ack' | 'resolve'): void {
    void this.policies.byId(ticket.escalationPolicyId).then((policy) => {
      const steps = policy?.steps ?? [];
      const current = steps.length ? steps[Math.max(0, ticket.escalationLevel - 1) % steps.length] : undefined;
      const targets = unique([...(ticket.team ? [`team:${ticket.team}`] : []), ...(current?.notify ?? [])]);
      if (targets.length)
        return this.send(
          ticket,
          'sla_breached',
          targets,
          `SLA to ${kind === 'ack' ? 'acknowledge' : 'resolve'} breached`,
        );
    });
  }

  /**
   * A flapping fault is summarised, not paged on every reopen: once when flapping starts and once when it
   * stops, to the people a page would have reached.
   */
  onFlapping(ticket: TicketEntity, started: boolean, summary: string): void {
    void this.pagedTargets(ticket).then((targets) => {
      if (targets.length) return this.send(ticket, started ? 'flapping' : 'flapping_stopped', targets, summary);
    });
  }

  /** The fault recovered: whoever was notified of it is told, if anyone was. */
  onRecovered(ticket: TicketEntity, summary: string): void {
    void (async () => {
      if (!(await this.tickets.wasNotified(ticket.id))) return;
      const targets = await this.pagedTargets(ticket);
      if (targets.length) return this.send(ticket, 'resolved', targets, summary);
    })().catch((err) => this.logger.warn({ err, ticketId: ticket.id }, 'recovery notice failed'));
  }

  /** Everyone a ticket's pages reach: team and first step for a P1, plus every escalation step reached. */
  private async pagedTargets(ticket: TicketEntity): Promise<string[]> {
    const policy = await this.policies.byId(ticket.escalationPolicyId);
    const steps = policy?.steps ?? [];
    const targets: string[] = [];
    if (notifyAtOpen(ticket.priority)) {
      if (ticket.team) targets.push(`team:${ticket.team}`);
      targets.push(...(steps[0]?.notify ?? []));
    }
    for (let level = 1; level <= ticket.escalationLevel && steps.length; level++)
      targets.push(...(steps[(level - 1) % steps.length].notify ?? []));
    return unique(targets);
  }

  private async send(ticket: TicketEntity, event: string, targets: string[], summary: string): Promise<void> {
    try {
      const resolved = await this.resolve(targets);
      const message: NotificationMessage = {
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        event,
        priority: ticket.priority,
        title: `#${ticket.number} ${ticket.title}`,
        text: `${summary}: ${ticket.title} (${ticket.priority}, ${ticket.status})`,
        fields: { fault: ticket.faultType, status: ticket.status, ...(ticket.team && { team: ticket.team }) },
      };
      this.notifications.notify(message, resolved, (result) => {
        if (
          !result.ok &&
          result.error &&
          SETUP_ERRORS.has(result.error) &&
          !this.firstSetupError(ticket.id, result.error)
        )
          return;
        return this.tickets
          .addEvents(ticket.id, [
            {
              at: result.at,
              type: 'notified',
              actor: 'system',
              message: result.ok
                ? `notified ${result.target} (${event})`
                : `could not notify ${result.target}: ${result.error} (after ${result.attempts} attempt(s))`,
              data: { ...result, at: result.at.toISOString() },
            },
          ])
          .catch((err) => this.logger.warn({ err, ticketId: ticket.id }, 'could not record a delivery'));
      });
    } catch (err) {
      this.logger.warn({ err, ticketId: ticket.id }, 'notification failed');
    }
  }

  /**
   * True the first time a ticket meets a setup error (its timeline says it once, not once per recipient per
   * step); the first time in this process it is also a warning in the log, for whoever runs the service.
   */
  private firstSetupError(ticketId: string, error: string): boolean {
    if (!this.setupLogged) {
      this.setupLogged = true;
      this.logger.warn({ error }, 'notifications are not delivered: set NETDESK_SMTP_URL to send email');
    }
    const key = `${ticketId}:${error}`;
    if (this.setupSaid.has(key)) return false;
    if (this.setupSaid.size >= SETUP_SAID_CAP) this.setupSaid.clear();
    this.setupSaid.add(key);
    return true;
  }

  /** `team:noc` → the team's members' emails; `user:<id>` → that user's email. Others pass through. */
  private async resolve(targets: string[]): Promise<NotifyTargetInput[]> {
    const users = targets.some((t) => t.startsWith('team:') || t.startsWith('user:')) ? await this.users.list() : [];
    return targets.flatMap((t) => {
      if (t.startsWith('team:')) return users.filter((u) => u.team === t.slice(5)).map((u) => `email:${u.email}`);
      if (t.startsWith('user:')) return users.filter((u) => u.id === t.slice(5)).map((u) => `email:${u.email}`);
      return [t];
    });
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
