import { Injectable, Logger } from '@nestjs/common';
import { UsersService } from '@netdesk/auth';

/** A user as tickets name them: never more than id, name and email. */
export interface Person {
  id: string;
  name: string | null;
  email: string | null;
}

export interface PeopleLookup {
  get(id: string): Person | undefined;
}

/** How long the directory trusts what it read before reading the users again on a lookup. */
const REFRESH_MS = 60_000;

/**
 * Who the users are, in memory, so every ticket representation (REST and live) can name its assignee
 * and acknowledger without a read per ticket. Users are few; the whole table is read at most once a
 * minute, and at once when a ticket names someone not yet known.
 */
@Injectable()
export class PeopleDirectory implements PeopleLookup {
  private readonly logger = new Logger('people');
  private readonly people = new Map<string, Person>();
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(private readonly users: UsersService) {}

  get(id: string): Person | undefined {
    return this.people.get(id);
  }

  remember(user: { id: string; name: string | null; email: string }): void {
    this.people.set(user.id, { id: user.id, name: user.name, email: user.email });
  }

  /** Makes sure the listed ids are known (reading the users when one is not, or the list is old). */
  async ensure(ids: Iterable<string | null | undefined>): Promise<PeopleLookup> {
    const stale = performance.now() - this.readAt > REFRESH_MS;
    let missing = stale;
    for (const id of ids) if (id && !this.people.has(id)) missing = true;
    if (missing) await this.refresh();
    return this;
  }

  private refresh(): Promise<void> {
    this.reading ??= this.users
      .list()
      .then((users) => {
        this.people.clear();
        for (const u of users) this.remember(u);
        this.readAt = performance.now();
      })
      .catch((err: unknown) => this.logger.error({ err }, 'reading users for ticket names failed'))
      .finally(() => (this.reading = null));
    return this.reading;
  }
}
