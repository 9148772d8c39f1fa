/**
 * Ticketing's entity classes, for another context's entity that declares a foreign key to them (a relation
 * target) and for the database wiring. Nothing else imports this: other contexts read and write tickets
 * through `TicketReader` and `TicketWriter` (ESLint `netdesk/lib-imports` and `netdesk/entity-crossing`).
 */
export { TicketEntity } from './tickets/ticket.entity';
