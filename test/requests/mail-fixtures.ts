import { simpleParser } from 'mailparser';
import { listenSmtp, SmtpReceiver } from '../support/smtp-receiver';

export interface SentMail {
  to: string[];
  messageId: string;
  inReplyTo?: string;
  references: string[];
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

/** A real SMTP receiver on loopback that keeps every mail NetDesk sends, parsed. */
export function startSmtp(): Promise<SmtpReceiver<SentMail>> {
  return listenSmtp<SentMail>((mails) => (stream, session, callback) => {
    void simpleParser(stream).then((parsed) => {
      const refs = parsed.references;
      mails.push({
        to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        messageId: parsed.messageId ?? '',
        inReplyTo: parsed.inReplyTo,
        references: Array.isArray(refs) ? refs : refs ? [refs] : [],
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        headers: parsed.headers as Map<string, unknown>,
      });
      callback();
    }, callback);
  });
}

let seq = 0;

/** A raw RFC 5322 message (CRLF line ends). */
export function rawMail(m: {
  from: string;
  to?: string;
  subject: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  contentType?: string;
}): { raw: string; messageId: string } {
  const messageId = m.messageId ?? `<test.${Date.now()}.${++seq}@people.test>`;
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to ?? 'helpdesk@netdesk.test'}`,
    `Subject: ${m.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references ? [`References: ${m.references}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    `Content-Type: ${m.contentType ?? 'text/plain; charset=utf-8'}`,
    '',
    (m.body ?? 'Hello').replace(/\r?\n/g, '\r\n'),
    '',
  ];
  return { raw: lines.join('\r\n'), messageId };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  ms = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
