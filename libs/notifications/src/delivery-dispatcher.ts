import type { Clock } from '@netdesk/core';
import type { DeliveryOutcome } from './delivery-outcome';
import type { EmailTransport } from './email.transport';
import { formatEmail, formatSlack, formatWebhook } from './notification-payloads';
import type { NotificationMessage, NotificationResultHandler } from './notification.types';
import type { NotificationTransport } from './notification-transports';
import type { DeliverableTarget } from './notify-target';
import type { WebhookTransport } from './webhook.transport';

/** One message to one target; every attempt carries the same `id`. */
export interface Delivery {
  readonly id: string;
  readonly message: NotificationMessage;
  readonly target: DeliverableTarget;
  /** Log-safe: a webhook shows its scheme and host only. */
  readonly description: string;
  readonly onResult: NotificationResultHandler;
  attempts: number;
  lastError?: string;
}

/** One attempt of a delivery: the payload in the target's shape, through the transport of its kind. */
export class DeliveryDispatcher {
  private readonly email?: EmailTransport;
  private readonly webhook?: WebhookTransport;

  constructor(
    transports: readonly NotificationTransport[],
    private readonly timeoutMs: number,
    private readonly clock: Clock,
    /** Aborted when the shutdown grace period is over: requests still in flight are cut. */
    private readonly abandon: AbortSignal,
  ) {
    for (const t of transports) {
      if (t.kind === 'email') this.email ??= t;
      else this.webhook ??= t;
    }
  }

  /** Whether `email:` targets can be delivered (NETDESK_SMTP_URL is set). */
  get emailConfigured(): boolean {
    return this.email?.configured ?? false;
  }

  send(delivery: Delivery): Promise<DeliveryOutcome> {
    const { target, message } = delivery;
    const now = this.clock.now();
    if (target.kind === 'email') {
      return (this.email as EmailTransport).send({
        to: target.address,
        content: formatEmail(message),
        deliveryId: delivery.id,
      });
    }
    const body = target.kind === 'slack' ? formatSlack(message) : formatWebhook(message, now);
    return (this.webhook as WebhookTransport).send({
      url: target.url,
      body,
      deliveryId: delivery.id,
      timeoutMs: this.timeoutMs,
      signal: this.abandon,
      now,
    });
  }

  close(): void {
    this.email?.close();
  }
}
