import type { EntityManager } from 'typeorm';
import type { TicketEntity } from './ticket.entity';
import type { NewEvent } from './ticket.repository';

/** A ticket as other contexts hold it (type only: the `tickets` table stays ticketing's). */
export type Ticket = TicketEntity;

/** How other contexts read tickets (live feed, reports). */
export abstract class TicketReader {
  abstract findById(id: string, manager?: EntityManager): Promise<Ticket | null>;
  /** Tickets not yet resolved, most urgent first. */
  abstract listOpen(): Promise<Ticket[]>;
  /** The id of the ticket not yet closed for a fault key, or null. */
  abstract activeIdByFaultKey(faultKey: string, manager: EntityManager): Promise<string | null>;
  /** How far ticketing has followed monitoring's status history (0 before it started). */
  abstract historyCursor(manager: EntityManager): Promise<string>;
  /** Ticket numbers and the most urgent priority among some tickets. */
  abstract summary(
    ticketIds: string[],
    manager?: EntityManager,
  ): Promise<{ numbers: number[]; priority: string | null }>;
}

/**
 * How the requests context writes tickets in its own transactions (a mail, its ticket, its events and its
 * ledger row commit together), and how reports marks tickets recurring.
 */
export abstract class TicketWriter {
  abstract transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  abstract findById(id: string, manager?: EntityManager): Promise<Ticket | null>;
  /** Locks the ticket row for the rest of the transaction. */
  abstract lock(id: string, manager: EntityManager): Promise<Ticket | null>;
  abstract insert(ticket: Partial<Ticket>, manager: EntityManager): Promise<Ticket>;
  abstract save(ticket: Ticket, manager: EntityManager): Promise<Ticket>;
  abstract addEvents(ticketId: string, events: NewEvent[], manager?: EntityManager): Promise<void>;
  /** Marks tickets recurring; returns the ids that changed. */
  abstract flagRecurring(ticketIds: string[], manager: EntityManager): Promise<string[]>;
}
