/** How articles fit a ticket, and how search text becomes a query. Pure: no database here. */

export interface ArticleFacts {
  id: string;
  title: string;
  faultTypes: string[];
  deviceKinds: string[];
  tags: string[];
  /** PostgreSQL's ts_rank of the article against the ticket's words (0: no word in common). */
  textRank: number;
}

export interface TicketFacts {
  faultType: string | null;
  deviceKind: string | null;
  text: string;
}

const STOP = new Set(
  'the a an and or of to in on at for is are was be it this that with from by not no our we you my your has have had please help'.split(
    ' ',
  ),
);

/** The distinct words of a text worth searching for (letters and digits, 3+ characters, no stop words). */
export function keywords(text: string, max = 12): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)].slice(0, max);
}

/** A `to_tsquery` text matching any of the words (each a prefix), or null when there is none. */
export function anyWordQuery(text: string): string | null {
  const words = keywords(text);
  return words.length ? words.map((w) => `${w}:*`).join(' | ') : null;
}

/**
 * How well an article fits a ticket: its fault type counts most (the same fault has the same fixes),
 * then the device kind, then tags named in the ticket's text, then the text's own rank. A generic
 * `other` fault matches nothing by type.
 */
export function scoreArticle(article: ArticleFacts, ticket: TicketFacts): number {
  let score = 0;
  if (ticket.faultType && ticket.faultType !== 'other' && article.faultTypes.includes(ticket.faultType)) score += 4;
  if (ticket.deviceKind && article.deviceKinds.includes(ticket.deviceKind)) score += 2;
  const words = new Set(keywords(ticket.text, 50));
  score += article.tags.filter((t) => words.has(t.toLowerCase())).length;
  score += Math.min(article.textRank * 10, 3);
  return score;
}

/** The best `limit` articles with any fit, best first (ties: the newer title order is stable by id). */
export function rankArticles(articles: ArticleFacts[], ticket: TicketFacts, limit: number): ArticleFacts[] {
  return articles
    .map((a) => ({ a, s: scoreArticle(a, ticket) }))
    .filter((x) => x.s > 0.05)
    .sort((x, y) => y.s - x.s || x.a.title.localeCompare(y.a.title))
    .slice(0, limit)
    .map((x) => x.a);
}
