/**
 * Notification targets as an operator writes them in an escalation policy step's `notify` list:
 *
 *   email:ops@example.com            one email recipient
 *   webhook:https://host/path        a generic JSON POST
 *   slack:https://hooks.slack.com/…  a Slack-compatible incoming webhook (`{text, blocks}`)
 *   team:<name>                      every member of a team   } resolved to email targets by the
 *   user:<uuid>                      one user                 } caller (ticketing) before `notify`
 *
 * Pure: no I/O, no DNS. Webhook URLs often embed secrets (Slack's do), so anything meant for logs or
 * the ticket timeline goes through `describeTarget`, which keeps the scheme and host only.
 */

export type NotificationChannel = 'email' | 'webhook' | 'slack';

export interface EmailTarget {
  readonly kind: 'email';
  /** Lower-cased address. */
  readonly address: string;
}

export interface WebhookTarget {
  readonly kind: 'webhook' | 'slack';
  /** The full URL, secrets included: never log it, use `describeTarget`. */
  readonly url: string;
}

/** Targets `NotificationService.notify` can deliver to. */
export type DeliverableTarget = EmailTarget | WebhookTarget;

/** Targets the caller must resolve to `email:` targets first (team members, a user's address). */
export type UnresolvedTarget =
  { readonly kind: 'team'; readonly team: string } | { readonly kind: 'user'; readonly userId: string };

export type NotifyTarget = DeliverableTarget | UnresolvedTarget;

export const NOTIFY_TARGET_MAX_LENGTH = 2048;

/** A `notify` entry that cannot be used; `message` names the entry's problem. */
export class InvalidNotifyTargetError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`invalid notify target "${safeEcho(input)}": ${reason}`);
    this.name = 'InvalidNotifyTargetError';
  }
}

const KINDS = ['email', 'webhook', 'slack', 'team', 'user'] as const;
// Deliberately conservative (no quoted local parts, no IP-literal domains): it is what a help desk needs.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TEAM = /^[a-z0-9][a-z0-9 ._-]{0,99}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses one `notify` entry, or throws `InvalidNotifyTargetError` naming what is wrong. */
export function parseNotifyTarget(input: string): NotifyTarget {
  if (typeof input !== 'string') throw new InvalidNotifyTargetError(String(input), 'must be a string');
  const raw = input.trim();
  if (raw.length === 0) throw new InvalidNotifyTargetError(input, 'is empty');
  if (raw.length > NOTIFY_TARGET_MAX_LENGTH) {
    throw new InvalidNotifyTargetError(input, `is longer than ${NOTIFY_TARGET_MAX_LENGTH} characters`);
  }
  const colon = raw.indexOf(':');
  const kind = (colon > 0 ? raw.slice(0, colon).toLowerCase() : '') as (typeof KINDS)[number];
  if (!KINDS.includes(kind)) {
    throw new InvalidNotifyTargetError(input, `must start with one of ${KINDS.map((k) => `${k}:`).join(', ')}`);
  }
  const value = raw.slice(colon + 1).trim();
  if (value.length === 0) throw new InvalidNotifyTargetError(input, `nothing after "${kind}:"`);

  switch (kind) {
    case 'email': {
      const address = value.toLowerCase();
      if (address.length > 254 || !EMAIL.test(address)) {
        throw new InvalidNotifyTargetError(input, 'not a valid email address (expected email:name@domain)');
      }
      return { kind, address };
    }
    case 'webhook':
    case 'slack':
      return { kind, url: parseWebhookUrl(input, value) };
    case 'team':
      if (!TEAM.test(value)) {
        throw new InvalidNotifyTargetError(
          input,
          'team name must be 1-100 letters, digits, spaces, dots, dashes or underscores',
        );
      }
      return { kind, team: value };
    case 'user':
      if (!UUID.test(value)) throw new InvalidNotifyTargetError(input, 'user id must be a UUID');
      return { kind, userId: value.toLowerCase() };
  }
}

export function isDeliverable(target: NotifyTarget): target is DeliverableTarget {
  return target.kind === 'email' || target.kind === 'webhook' || target.kind === 'slack';
}

/** What may appear in logs, metrics and the ticket timeline: webhooks show their scheme and host only. */
export function describeTarget(target: NotifyTarget): string {
  switch (target.kind) {
    case 'email':
      return `email:${target.address}`;
    case 'webhook':
    case 'slack':
      return `${target.kind}:${safeOrigin(target.url)}`;
    case 'team':
      return `team:${target.team}`;
    case 'user':
      return `user:${target.userId}`;
  }
}

/** `https://host[:port]` of a URL, without credentials, path or query; `invalid-url` when unparsable. */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'invalid-url';
  }
}

function parseWebhookUrl(input: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidNotifyTargetError(input, 'not a valid URL (expected http:// or https://)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidNotifyTargetError(input, `URL scheme must be http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (!url.hostname) throw new InvalidNotifyTargetError(input, 'URL has no host');
  if (url.username || url.password) {
    throw new InvalidNotifyTargetError(input, 'URL must not contain credentials (user:password@)');
  }
  if (url.hash) throw new InvalidNotifyTargetError(input, 'URL must not contain a #fragment');
  return url.href;
}

/** The input as it may appear in an error message: webhook/slack URLs are cut to scheme and host. */
function safeEcho(input: string): string {
  const s = String(input).trim();
  const m = /^(webhook|slack):(.*)$/is.exec(s);
  if (m) return `${m[1]}:${safeOrigin(m[2].trim())}…`;
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** A `notify` entry as a deliverable target; throws for one that does not parse or still needs resolving. */
export function toDeliverable(input: DeliverableTarget | string): DeliverableTarget {
  const target = typeof input === 'string' ? parseNotifyTarget(input) : input;
  if (target.kind === 'team' || target.kind === 'user') {
    throw new InvalidNotifyTargetError(
      describeTarget(target),
      'must be resolved to email targets by the caller before notify',
    );
  }
  return target;
}

/** A log-safe label for an entry that did not parse: its kind prefix only. */
export function invalidTargetDescription(input: DeliverableTarget | string): string {
  if (typeof input !== 'string') return describeTarget(input);
  const m = /^\s*(email|webhook|slack|team|user)\s*:/i.exec(input);
  if (!m) return 'invalid';
  const kind = m[1].toLowerCase();
  if (kind === 'team' || kind === 'user' || kind === 'email') return input.trim().slice(0, 120);
  return `${kind}:(invalid)`;
}
