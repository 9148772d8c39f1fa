import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { NetdeskConfig } from '@netdesk/config';
import { RequestIntake } from '../requests/request-intake.service';
import { MailRepository } from './mail.repository';

/** The IMAP keyword set on a message once it is stored (or refused): the reader skips flagged messages. */
export const DONE_KEYWORD = '$NetDeskDone';

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** `imap[s]://user:password@host:port/MAILBOX` (user and password URL-encoded). */
export function parseImapUrl(value: string): ImapTarget {
  const url = new URL(value);
  const secure = url.protocol === 'imaps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Reads the help desk's mailbox over IMAP (`NETDESK_IMAP_URL`): IDLE for new mail, with a poll as a
 * safety net. Each message not yet flagged `$NetDeskDone` goes through the intake, which stores it in
 * one transaction with its ledger row; only after the commit is the message flagged. A crash in between
 * leaves the flag unset, and the ledger tells the next run to flag it without storing it again.
 * A message that cannot be stored (too large, malformed) is logged, recorded and flagged: the reader
 * keeps going. The server being away is retried with backoff; the password is never logged.
 */
@Injectable()
export class MailboxReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('mailbox');
  private readonly target: ImapTarget | null;
  private client: ImapFlow | null = null;
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private passes = 0;

  constructor(
    private readonly intake: RequestIntake,
    private readonly mail: MailRepository,
    private readonly config: NetdeskConfig,
  ) {
    this.target = config.mail.imapUrl ? parseImapUrl(config.mail.imapUrl) : null;
  }

  onApplicationBootstrap(): void {
    if (!this.target) return;
    this.logger.log(
      { host: this.target.host, port: this.target.port, mailbox: this.target.mailbox },
      'reading the help-desk mailbox',
    );
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const client = this.client;
    if (client) await Promise.race([client.logout().catch(() => undefined), sleep(2000)]);
    client?.close();
    await Promise.race([this.loop, sleep(5000)]);
  }

  /** How many times the mailbox was read to the end (tests wait on it). */
  get completedPasses(): number {
    return this.passes;
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    while (!this.stopping) {
      try {
        await this.session();
        backoff = 1000;
      } catch (err) {
        if (this.stopping) break;
        const e = err as { message?: string; code?: string; responseText?: string };
        this.logger.warn(
          { code: e.code, reason: e.responseText ?? e.message, retryInMs: backoff },
          `mailbox unreachable (${e.responseText ?? e.code ?? e.message}); retrying`,
        );
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  private async session(): Promise<void> {
    const t = this.target!;
    const client = new ImapFlow({
      host: t.host,
      port: t.port,
      secure: t.secure,
      auth: { user: t.user, pass: t.pass },
      logger: false,
      connectionTimeout: 15_000,
    });
    client.on('error', (err: Error) => this.logger.warn({ reason: err.message }, 'mailbox connection error'));
    this.client = client;
    try {
      await client.connect();
      const box = await client.mailboxOpen(t.mailbox);
      const uidValidity = String(box.uidValidity);
      while (!this.stopping && client.usable) {
        await this.drain(client, t.mailbox, uidValidity);
        this.passes++;
        await this.waitForMail(client);
      }
    } finally {
      this.client = null;
      if (client.usable) await client.logout().catch(() => undefined);
    }
  }

  private async drain(client: ImapFlow, mailbox: string, uidValidity: string): Promise<void> {
    const found = await client.search({ unKeyword: DONE_KEYWORD }, { uid: true });
    const uids = (found || []).sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.stopping) return;
      const key = { mailbox, uidValidity, uid: String(uid) };
      if (!(await this.mail.hasReceipt(mailbox, uidValidity, key.uid))) {
        const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        if (!meta) continue; // expunged meanwhile
        const size = meta.size ?? 0;
        if (size > this.config.mail.maxMessageBytes) {
          await this.intake.reject(
            key,
            `message of ${size} bytes is over the limit of ${this.config.mail.maxMessageBytes} (NETDESK_MAIL_MAX_BYTES)`,
          );
        } else {
          const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          if (!full || !full.source) continue;
          try {
            await this.intake.accept(full.source, key);
          } catch (err) {
            // the database is away or a bug: nothing was committed, the message stays unflagged for the next pass
            this.logger.error({ err, mailbox, uid }, 'mail could not be processed; it will be read again');
            continue;
          }
        }
      }
      await client.messageFlagsAdd(String(uid), [DONE_KEYWORD], { uid: true });
    }
  }

  private waitForMail(client: ImapFlow): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('exists', done);
        client.off('close', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.config.mail.pollMs);
      client.on('exists', done);
      client.on('close', done);
      this.wake = done;
    });
  }
}
