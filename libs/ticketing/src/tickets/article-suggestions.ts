import type { TicketEntity } from './ticket.entity';

/**
 * Knowledge-base articles that fit a ticket. Ticketing only declares the port: the knowledge context
 * (which depends on ticketing, never the other way) provides it; without it a ticket suggests nothing.
 */
export abstract class ArticleSuggestionSource {
  abstract suggest(ticket: TicketEntity, limit: number): Promise<{ id: string; title: string }[]>;
}
