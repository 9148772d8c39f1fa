/**
 * The message as each channel carries it: an email (subject and plain-text body), a generic JSON
 * document, and a Slack incoming-webhook payload. Pure, so the shapes are tested in milliseconds.
 */
import type { NotificationMessage } from './notification.types';

const EVENT_LABELS: Record<string, string> = {
  opened: 'Opened',
  escalated: 'Escalated',
  resolved: 'Resolved',
  reopened: 'Reopened',
  sla_breached: 'SLA breached',
  test: 'Test notification',
};

/** `sla_breached` → `SLA breached`; unknown events are humanised (`acknowledged` → `Acknowledged`). */
export function eventLabel(event: string): string {
  const known = EVENT_LABELS[event];
  if (known) return known;
  const words = event.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Update';
}

const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ').trim();
const truncate = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const fieldEntries = (m: NotificationMessage): [string, string][] =>
  Object.entries(m.fields ?? {}).filter(([, v]) => typeof v === 'string');

export interface EmailContent {
  subject: string;
  text: string;
}

/** Subject `[NetDesk #1042] Escalated: core-sw-1 down (P1)`; body: summary, text, fields, link. */
export function formatEmail(m: NotificationMessage): EmailContent {
  const subject = truncate(
    oneLine(`[NetDesk #${m.ticketNumber}] ${eventLabel(m.event)}: ${m.title} (${m.priority})`),
    250,
  );
  const lines = [`${eventLabel(m.event)}: ticket #${m.ticketNumber}, priority ${m.priority}`, m.title, '', m.text];
  const fields = fieldEntries(m);
  if (fields.length > 0) lines.push('', ...fields.map(([k, v]) => `${oneLine(k)}: ${oneLine(v)}`));
  if (m.url) lines.push('', `Open the ticket: ${m.url}`);
  lines.push('', '-- ', 'Sent by NetDesk');
  return { subject, text: lines.join('\n') };
}

export interface WebhookPayload {
  source: 'netdesk';
  event: string;
  ticket: { id: string; number: number | string; priority: string; title: string; url?: string };
  text: string;
  fields: Record<string, string>;
  sentAt: string;
}

/** The generic JSON document posted to `webhook:` targets. */
export function formatWebhook(m: NotificationMessage, sentAt: Date): WebhookPayload {
  return {
    source: 'netdesk',
    event: m.event,
    ticket: {
      id: m.ticketId,
      number: m.ticketNumber,
      priority: m.priority,
      title: m.title,
      ...(m.url ? { url: m.url } : {}),
    },
    text: m.text,
    fields: Object.fromEntries(fieldEntries(m)),
    sentAt: sentAt.toISOString(),
  };
}

export type SlackTextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: SlackTextObject }
  | { type: 'section'; text?: SlackTextObject; fields?: SlackTextObject[] }
  | { type: 'context'; elements: SlackTextObject[] };

export interface SlackPayload {
  /** Fallback shown in notifications and by clients that do not render blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn treats &, < and > as control characters. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack incoming-webhook payload within Slack's limits (header 150, section 3000, 10 fields of 2000). */
export function formatSlack(m: NotificationMessage): SlackPayload {
  const summary = oneLine(`[${m.priority}] #${m.ticketNumber} ${eventLabel(m.event)}: ${m.title}`);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(summary, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeSlack(m.text || m.title), 3000) } },
  ];
  const fields = fieldEntries(m).slice(0, 10);
  if (fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: fields.map(([k, v]) => ({
        type: 'mrkdwn',
        text: truncate(`*${escapeSlack(oneLine(k))}*\n${escapeSlack(v)}`, 2000),
      })),
    });
  }
  const link = slackLink(m.url);
  const context = `Ticket #${m.ticketNumber} · priority ${escapeSlack(m.priority)}`;
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: link ? `${context} · <${link}|open in NetDesk>` : context }],
  });
  return { text: truncate(escapeSlack(summary), 3000), blocks };
}

/** An http(s) URL made safe inside Slack's `<url|label>` syntax; anything else is left out. */
function slackLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  } catch {
    return undefined;
  }
}
