import type { DeliverableTarget, NotificationChannel } from './notify-target';

/** Ticket lifecycle events NetDesk notifies about; any other string is passed through as-is. */
export type NotificationEvent = 'opened' | 'escalated' | 'resolved' | 'reopened' | 'sla_breached' | 'test';

export interface NotificationMessage {
  ticketId: string;
  ticketNumber: number | string;
  event: NotificationEvent | (string & {});
  priority: string;
  title: string;
  /** Plain text, a few lines. */
  text: string;
  /** Link to the ticket in the dashboard. */
  url?: string;
  /** Extra facts shown as a list (device, site, fault, …). */
  fields?: Record<string, string>;
}

/** One target's outcome, reported once per target; ticketing records it as a `notified` timeline event. */
export interface NotificationResult {
  /** Log-safe description: `email:ops@example.com`, `slack:https://hooks.slack.com` (no path). */
  target: string;
  /** `invalid` for entries that could not be parsed or still need resolving (team:, user:). */
  channel: NotificationChannel | 'invalid';
  ok: boolean;
  /** Delivery attempts made (0 when nothing was sent: rate limited, dropped, not configured, invalid). */
  attempts: number;
  error?: string;
  at: Date;
}

export type NotificationResultHandler = (result: NotificationResult) => void | Promise<void>;

/** A `notify` list entry: a parsed deliverable target, or the operator's string (parsed on the way in). */
export type NotifyTargetInput = DeliverableTarget | string;
