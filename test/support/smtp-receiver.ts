import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';

/** A mail as it arrived: envelope sender and recipients, the Subject header and the whole message. */
export interface RawMail {
  from: string;
  to: string[];
  subject: string;
  raw: string;
}

export interface SmtpReceiver<M> {
  server: SMTPServer;
  port: number;
  mails: M[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (a free port, no TLS, no auth, no DNS lookups) that hands each mail to `onData`. */
export async function listenSmtp<M>(
  onData: (mails: M[]) => NonNullable<SMTPServerOptions['onData']>,
): Promise<SmtpReceiver<M>> {
  const mails: M[] = [];
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData: onData(mails),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: http.Server }).server.address() as AddressInfo).port;
  return { server, port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** An SMTP receiver that keeps every mail as it arrived (see `RawMail`). */
export function startRawSmtp(): Promise<SmtpReceiver<RawMail>> {
  return listenSmtp<RawMail>((mails) => (stream, session, callback) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      mails.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
        raw,
      });
      callback();
    });
  });
}
