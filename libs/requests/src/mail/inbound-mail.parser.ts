import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { addressOf, classifyMail, MailNature, threadIds } from '../domain/mail-classification';

/** A mail as the help desk keeps it: addresses lower-cased, HTML sanitised, attachments within limits. */
export interface InboundMail {
  messageId: string;
  inReplyTo: string | null;
  threadIds: string[];
  fromAddress: string;
  fromName: string | null;
  toAddresses: string[];
  recipientCount: number;
  subject: string;
  text: string;
  html: string | null;
  /** What sanitising removed (`script`, `iframe`, `on* handler`…), for the log. */
  removedFromHtml: string[];
  nature: MailNature;
  /** Our own loop marker (X-NetDesk-Loop), set on everything we send. */
  loopMarker: boolean;
  date: Date | null;
  attachments: { filename: string; contentType: string; size: number; content: Buffer | null }[];
}

/** A message that cannot be stored as it is; the reason is what the log line says. */
export class MailRejected extends Error {}

export const MAX_STORED_RECIPIENTS = 100;
const MAX_TEXT = 1_000_000;

/**
 * HTML a browser may show inside the ticket view: formatting, links and inline images only. Scripts,
 * event handlers, forms, frames, styles and `javascript:` URLs go (sanitize-html: an allow-list
 * parser, not a regex). The dashboard shows it in a sandboxed frame as a second line of defence.
 */
export const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'), 'img', 'font', 'center', 'span'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    '*': ['align', 'colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'cid'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  disallowedTagsMode: 'discard',
};

function removedParts(html: string): string[] {
  const found = new Set<string>();
  if (/<script\b/i.test(html)) found.add('script');
  if (/<iframe\b|<frame\b|<object\b|<embed\b/i.test(html)) found.add('frame/object');
  if (/\son[a-z]+\s*=/i.test(html)) found.add('event handler');
  if (/javascript:/i.test(html)) found.add('javascript: URL');
  if (/<form\b/i.test(html)) found.add('form');
  return [...found];
}

function addresses(value: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = value ? (Array.isArray(value) ? value : [value]) : [];
  return list
    .flatMap((a) => a.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => a.address)
    .map((a) => ({ address: a.address!.toLowerCase(), name: a.name ?? '' }));
}

/** A multipart message whose boundary never appears has no parts a reader could trust. */
function checkStructure(raw: Buffer): void {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end < 0) throw new MailRejected('malformed MIME: no blank line after the headers');
  const headers = head.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const type = /^content-type:\s*multipart\/[^\n]*/im.exec(headers)?.[0];
  if (!type) return;
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (!boundary) throw new MailRejected('malformed MIME: multipart without a boundary parameter');
  const marker = `--${boundary[1] ?? boundary[2]}`;
  if (!raw.includes(marker, end)) throw new MailRejected(`malformed MIME: boundary "${marker}" never appears`);
}

export async function parseInboundMail(
  raw: Buffer,
  limits: { maxAttachmentBytes: number },
  fallbackMessageId: string,
): Promise<InboundMail> {
  checkStructure(raw);
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 5_000_000 });
  } catch (e) {
    throw new MailRejected(`malformed MIME: ${(e as Error).message.slice(0, 200)}`);
  }
  const from = addresses(parsed.from)[0];
  const fromHeader = parsed.headers.get('from');
  const fromText = typeof fromHeader === 'string' ? fromHeader : (parsed.from?.text ?? '');
  const fromAddress = from?.address ?? addressOf(fromText);
  if (!fromAddress) throw new MailRejected('no sender address in From');
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 998) || '(no subject)';
  const header = (name: string): string | undefined => {
    const v = parsed.headers.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && 'value' in v) {
      const params = (v as { params?: Record<string, string> }).params ?? {};
      return [String((v as { value: unknown }).value), ...Object.entries(params).map(([k, p]) => `${k}=${p}`)].join(
        '; ',
      );
    }
    return String(v);
  };
  const recipients = [...addresses(parsed.to), ...addresses(parsed.cc)];
  const rawHtml = typeof parsed.html === 'string' ? parsed.html : null;
  const html = rawHtml ? sanitizeHtml(rawHtml, HTML_POLICY) : null;
  const text = (parsed.text ?? (html ? sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }) : ''))
    .replace(/\r\n/g, '\n')
    .slice(0, MAX_TEXT);
  const refs = parsed.references;
  return {
    messageId: (parsed.messageId ?? fallbackMessageId).slice(0, 998),
    inReplyTo: parsed.inReplyTo?.slice(0, 998) ?? null,
    threadIds: threadIds(parsed.inReplyTo, refs),
    fromAddress: fromAddress.slice(0, 320),
    fromName: from?.name ? from.name.slice(0, 200) : null,
    toAddresses: recipients.slice(0, MAX_STORED_RECIPIENTS).map((r) => r.address.slice(0, 320)),
    recipientCount: recipients.length,
    subject,
    text,
    html,
    removedFromHtml: rawHtml ? removedParts(rawHtml) : [],
    nature: classifyMail(header, fromAddress, subject),
    loopMarker: header('x-netdesk-loop') !== undefined,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    attachments: parsed.attachments.map((a) => ({
      filename: (a.filename ?? 'attachment').slice(0, 255),
      contentType: (a.contentType ?? 'application/octet-stream').slice(0, 255),
      size: a.size,
      content: a.size <= limits.maxAttachmentBytes ? a.content : null,
    })),
  };
}
