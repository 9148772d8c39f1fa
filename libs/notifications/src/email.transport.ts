import { Inject, Injectable, Optional } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { NetdeskConfig } from '@netdesk/config';
import type { DeliveryOutcome } from './delivery-outcome';
import type { EmailContent } from './notification-payloads';
import { NOTIFICATION_OPTIONS, notificationOptions } from './notification-options';
import type { NotificationOptions } from './notification-options';

export interface EmailRequest {
  to: string;
  content: EmailContent;
  /** Same for every attempt of one delivery (used for the Message-ID's uniqueness, not for dedupe). */
  deliveryId: string;
}

/** Delivers `email:` targets. */
export interface EmailTransport {
  readonly kind: 'email';
  /** False when it cannot deliver (no server configured): such targets fail at once. */
  readonly configured: boolean;
  send(request: EmailRequest): Promise<DeliveryOutcome>;
  close(): void;
}

/** Socket-level failures worth another attempt; anything else nodemailer reports without a reply code is final. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'ETLS']);

/**
 * Sends through nodemailer's SMTP transport over `NETDESK_SMTP_URL` (which may carry credentials:
 * never logged); not configured when it is unset. SMTP 4xx replies are transient and retried, 5xx are final.
 */
@Injectable()
export class SmtpEmailTransport implements EmailTransport {
  readonly kind = 'email';
  private readonly transporter?: Transporter;
  private readonly from: string;

  constructor(config: NetdeskConfig, @Optional() @Inject(NOTIFICATION_OPTIONS) options?: Partial<NotificationOptions>) {
    const { timeoutMs } = notificationOptions(options);
    this.from = config.smtpFrom;
    this.transporter = config.smtpUrl
      ? createTransport({
          url: config.smtpUrl,
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs * 2,
          logger: false,
        })
      : undefined;
  }

  get configured(): boolean {
    return this.transporter !== undefined;
  }

  async send(request: EmailRequest): Promise<DeliveryOutcome> {
    if (!this.transporter) return { ok: false, retryable: false, error: 'email is not configured' };
    try {
      await this.transporter.sendMail({
        from: this.from,
        to: request.to,
        subject: request.content.subject,
        text: request.content.text,
        headers: { 'X-NetDesk-Delivery': request.deliveryId },
      });
      return { ok: true };
    } catch (e) {
      return smtpFailure(e);
    }
  }

  close(): void {
    this.transporter?.close();
  }
}

export function smtpFailure(e: unknown): DeliveryOutcome {
  const err = e as { responseCode?: unknown; code?: unknown; response?: unknown };
  if (typeof err.responseCode === 'number') {
    // The server's reply ("550 5.1.1 <x@y>: user unknown") says why; it holds no credentials of ours.
    const reply = typeof err.response === 'string' ? err.response.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
    return {
      ok: false,
      retryable: err.responseCode >= 400 && err.responseCode < 500,
      error: reply ? `SMTP ${reply}` : `SMTP ${err.responseCode}`,
    };
  }
  const code = typeof err.code === 'string' ? err.code : 'unknown';
  return { ok: false, retryable: TRANSIENT_CODES.has(code), error: `SMTP error: ${code}` };
}
