import { clock, localizeTimes } from '../format';
import type { TicketEvent } from '../types';

/** email → how a person is named on screen. */
export type PeopleNames = Map<string, string>;

/** One line of a folded timeline: one event, or a run of like system events. */
export interface TimelineItem {
  type: string;
  at: string;
  /** A person or "system", named, never an email when the name is known. */
  actor: string;
  message: string;
  /** People talking (comments, replies, a person's resolution), as opposed to what the system did. */
  talk: boolean;
  count: number;
  /** The folded events' own lines, for "show all" (empty for a single event). */
  details: string[];
}

const TALK = new Set(['commented', 'email_received', 'email_sent']);
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const NOTIFIED = /^notified (.+?) \((.+)\)$/;
const NOT_SENT = /^could not notify (.+?): (.+?)(?: \(after \d+ attempt\(s\)\))?$/;

function named(text: string, people: PeopleNames): string {
  return localizeTimes(text).replace(EMAIL, (email) => people.get(email.toLowerCase()) ?? email.split('@')[0]);
}

/** What a run of events folds on, and how the run reads. */
function foldOf(
  type: string,
  message: string,
): { key: string; who?: string; say: (who: string[], n: number) => string } {
  // targets are written as `email:alice@…`, `webhook:https://…` or bare: the channel goes
  const target = (who: string) => who.replace(/^(email|user|team):/, '');
  const ok = type === 'notified' ? NOTIFIED.exec(message) : null;
  if (ok) return { key: `ok:${ok[2]}`, who: target(ok[1]), say: (who) => `notified ${who.join(', ')} (${ok[2]})` };
  const failed = type === 'notified' ? NOT_SENT.exec(message) : null;
  if (failed)
    return {
      key: `failed:${failed[2]}`,
      who: target(failed[1]),
      say: (who) => `could not notify ${who.join(', ')}: ${failed[2]}`,
    };
  return {
    key: `type:${type}`,
    say: (_who, n) => `${n} × ${type.replace(/_/g, ' ')} — latest: ${message}`,
  };
}

/**
 * The timeline as people read it: conversation apart from system events, emails replaced by names, UTC
 * timestamps inside messages in local time, and repeats folded — consecutive notifications become
 * "notified alice, bob, maria", a delivery error ("email is not configured") is said once and later runs
 * only name who missed out, and runs of the same system event (impact lines) become one line with a count.
 */
export function foldTimeline(events: TicketEvent[], people: PeopleNames): TimelineItem[] {
  const out: TimelineItem[] = [];
  const saidErrors = new Set<string>();
  let run: { key: string; who: string[]; item: TimelineItem; say: (who: string[], n: number) => string } | null = null;
  for (const e of events) {
    const actor = e.actor === 'system' ? 'system' : (people.get(e.actor.toLowerCase()) ?? e.actor.split('@')[0]);
    const talk = TALK.has(e.type) || (e.type === 'resolved' && e.actor !== 'system');
    const message = named(e.message, people);
    if (talk || e.type === 'opened') {
      run = null;
      out.push({ type: e.type, at: e.at, actor, message, talk, count: 1, details: [] });
      continue;
    }
    const fold = foldOf(e.type, message);
    if (run && run.key === fold.key) {
      const item = run.item;
      if (item.details.length === 0) item.details.push(`${clock(item.at)} ${item.message}`);
      item.details.push(`${clock(e.at)} ${message}`);
      item.count++;
      if (fold.who && !run.who.includes(fold.who)) run.who.push(fold.who);
      item.message = fold.who ? run.say(run.who, item.count) : fold.say(run.who, item.count);
      continue;
    }
    const who = fold.who ? [fold.who] : [];
    let text = fold.who ? fold.say(who, 1) : message;
    if (fold.key.startsWith('failed:')) {
      const error = fold.key.slice(7);
      if (saidErrors.has(error)) {
        // said once already: later runs only name who missed out
        fold.say = (w) => `not sent to ${w.join(', ')} (same reason as above)`;
        text = fold.say(who, 1);
      }
      saidErrors.add(error);
    }
    const item: TimelineItem = {
      type: fold.key.startsWith('failed:') ? 'not_sent' : e.type,
      at: e.at,
      actor,
      message: text,
      talk: false,
      count: 1,
      details: [],
    };
    run = { key: fold.key, who, item, say: fold.say };
    out.push(item);
  }
  return out;
}
