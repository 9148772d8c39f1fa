/** Pure rules about mail: what answers itself, what threads where, what a follow-up says. No I/O here. */

export type HeaderLookup = (name: string) => string | undefined;

export type MailNature = 'person' | 'auto_reply' | 'bounce';

const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|away from|vacation reply)/i;
const BOUNCE_FROM = /^(mailer-daemon|postmaster|mail-daemon|mail delivery (subsystem|system))@?/i;
const BOUNCE_SUBJECT =
  /^(undeliver(able|ed)|delivery (status notification|failure|has failed)|returned mail|mail delivery failed|failure notice)/i;

/**
 * Whether a person wrote this, or a machine answered something (RFC 3834 Auto-Submitted, the
 * de-facto X-Autoreply/X-Autorespond/Precedence headers, an out-of-office subject), or it is a
 * bounce (a delivery-status report, a null sender, MAILER-DAEMON). Machines are never answered.
 */
export function classifyMail(header: HeaderLookup, from: string, subject: string): MailNature {
  const contentType = header('content-type') ?? '';
  const returnPath = (header('return-path') ?? '').trim();
  const report = /multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType);
  if (report || BOUNCE_FROM.test(from) || BOUNCE_SUBJECT.test(subject.trim()) || returnPath === '<>') return 'bounce';
  const autoSubmitted = (header('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (header('x-autoreply') || header('x-autorespond') || header('x-auto-response-suppress')) return 'auto_reply';
  if (/^(auto_reply|bulk|junk|list)$/i.test((header('precedence') ?? '').trim())) return 'auto_reply';
  if (AUTO_SUBJECT.test(subject.trim())) return 'auto_reply';
  return 'person';
}

/** `[#123]` (or `#123` after Re:/Fwd:) in a subject: the ticket a reply belongs to when headers are lost. */
export function ticketNumberInSubject(subject: string): number | null {
  const m = /\[#(\d{1,9})\]/.exec(subject) ?? /^(?:\s*(?:re|aw|fwd?|wg)\s*:\s*)+.*?#(\d{1,9})\b/i.exec(subject);
  return m ? Number(m[1]) : null;
}

/** Message-ids named by In-Reply-To and References, nearest first. */
export function threadIds(inReplyTo: string | undefined, references: string[] | string | undefined): string[] {
  const refs = (Array.isArray(references) ? references : references ? references.split(/\s+/) : []).filter(Boolean);
  const ids = [...(inReplyTo ? [inReplyTo] : []), ...refs.reverse()];
  return [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
}

const FIXED =
  /\b(works?( again| now| fine)?|working( again| now)?|fixed|resolved|all good|back (up|online)|thanks?|thank you|danke|merci)\b/i;
const BROKEN =
  /(\bstill\b|\bnot\b|n['’]t\b|\bno longer\b|\bbroken\b|\bdown\b|\bfail(s|ing|ed)?\b|\bsame problem\b|\bkaputt\b|\bimmer noch\b|\bgeht nicht\b)/i;

/**
 * What a requester's reply to a resolved request says: `confirmed` when it reads as thanks or "works
 * now" with no sign of trouble; anything else counts as `still_broken` (a person who writes back after
 * "it is fixed" usually has a reason, and a wrongly reopened request costs less than a missed one).
 */
export function followUpOutcome(newText: string): 'confirmed' | 'still_broken' {
  const text = newText.slice(0, 2000);
  if (BROKEN.test(text)) return 'still_broken';
  return FIXED.test(text) ? 'confirmed' : 'still_broken';
}

/**
 * The text a person wrote in this message, without the quoted conversation below it (`> ` lines and
 * the "On … wrote:" / "-----Original Message-----" block that starts a quote).
 */
export function splitQuoted(text: string): { fresh: string; quoted: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (
      /^\s*>/.test(line) ||
      /^\s*(On|Am|Le)\s.+(wrote|schrieb|a écrit)\s*:\s*$/i.test(line) ||
      /^-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}/i.test(line) ||
      /^_{10,}$/.test(line) ||
      /^From:\s.+/.test(line)
    ) {
      cut = i;
      break;
    }
  }
  return { fresh: lines.slice(0, cut).join('\n').trim(), quoted: lines.slice(cut).join('\n').trim() };
}

export interface LoopCheck {
  /** Mails from this sender stored in the last ten minutes (this one not counted). */
  recentFromSender: number;
  loopMax: number;
  /** The sender is the help desk itself, or the mail carries our own loop marker. */
  fromOurselves: boolean;
}

/** Whether answering this mail would feed a loop: ourselves, or a sender writing faster than people do. */
export function isMailLoop(check: LoopCheck): boolean {
  return check.fromOurselves || check.recentFromSender >= check.loopMax;
}

/** The address part of `Name <a@b>` or `a@b`, lower-cased; null when there is none. */
export function addressOf(value: string): string | null {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>"]+@[^\s<>"]+)/.exec(value);
  return m ? m[1].toLowerCase() : null;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
