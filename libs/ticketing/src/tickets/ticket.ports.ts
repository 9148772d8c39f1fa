import type { EntityManager } from 'typeorm';
import type { TicketEntity } from './ticket.entity';
import type { NewEvent } from './ticket.repository';

/** A ticket as other contexts hold it (type only: the `tickets` table stays ticketing's). */
export type Ticket = TicketEntity;

/** An automatic ticket still being worked, with the device it is about (what linking a request needs). */
export interface OpenIncident {
  ticketId: string;
  number: number;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  faultType: string;
  openedAt: Date;
  deviceId: string;
  deviceName: string;
  deviceHost: string;
  siteId: string | null;
}

/** How other contexts read tickets (live feed, reports, requests, knowledge). */
export abstract class TicketReader {
  abstract findById(id: string, manager?: EntityManager): Promise<Ticket | null>;
  /** Tickets not yet resolved, most urgent first. */
  abstract listOpen(): Promise<Ticket[]>;
  /** The id of the ticket not yet closed for a fault key, or null. */
  abstract activeIdByFaultKey(faultKey: string, manager: EntityManager): Promise<string | null>;
  /** How far ticketing has followed monitoring's status history (0 before it started). */
  abstract historyCursor(manager: EntityManager): Promise<string>;
  /** The id of the ticket with this number, or null. */
  abstract idByNumber(num: number, manager: EntityManager): Promise<string | null>;
  /** Automatic tickets not yet resolved, with their device. */
  abstract openAutoIncidents(manager: EntityManager): Promise<OpenIncident[]>;
  /** Active requests linked to an incident that was resolved after they were opened or last reopened. */
  abstract requestsOfResolvedIncidents(limit: number): Promise<{ id: string; parentId: string }[]>;
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
