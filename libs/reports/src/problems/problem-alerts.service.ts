import { Injectable } from '@nestjs/common';
import { TicketReader } from '@netdesk/ticketing';
import { ProblemEntity } from './problem.entity';
import { ProblemRepository } from './problem.repository';
import { ManagerNotifier } from './manager-notifier.service';

/** The one email managers get when a problem opens (never per episode). */
@Injectable()
export class ProblemAlerts {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly tickets: TicketReader,
    private readonly notifier: ManagerNotifier,
  ) {}

  async problemOpened(problem: ProblemEntity): Promise<void> {
    const facts = (await this.problems.facts([problem.id])).get(problem.id)!;
    const tickets = await this.tickets.summary(facts.ticketIds);
    const what =
      problem.scope === 'device'
        ? `${facts.episodes} occurrences`
        : `${facts.episodes} occurrences on ${facts.devices} devices`;
    await this.notifier.send({
      ticketId: problem.id,
      ticketNumber: `PRB-${problem.number}`,
      event: 'problem_opened',
      priority: tickets.priority ?? 'n/a',
      title: problem.title,
      text:
        `${problem.title}: ${what} since ${facts.firstAt?.toISOString()} (latest ${facts.lastAt?.toISOString()}).` +
        (tickets.numbers.length ? ` Tickets: ${tickets.numbers.map((n) => `#${n}`).join(', ')}.` : ''),
      fields: {
        problem: problem.id,
        scope: problem.scope,
        fault: problem.faultType,
        occurrences: String(facts.episodes),
        devices: String(facts.devices),
      },
    });
  }
}
