import type { Provider } from '@nestjs/common';
import { SmtpEmailTransport } from './email.transport';
import type { EmailTransport } from './email.transport';
import { FetchWebhookTransport } from './webhook.transport';
import type { WebhookTransport } from './webhook.transport';

export type NotificationTransport = EmailTransport | WebhookTransport;

/** The transports notifications go out through (`NotificationTransport[]`), one per kind. */
export const NOTIFICATION_TRANSPORTS = Symbol('NOTIFICATION_TRANSPORTS');

/** SMTP for email, `fetch` for webhooks and Slack. */
export const NOTIFICATION_TRANSPORT_PROVIDERS: Provider[] = [
  SmtpEmailTransport,
  FetchWebhookTransport,
  {
    provide: NOTIFICATION_TRANSPORTS,
    useFactory: (email: EmailTransport, webhook: WebhookTransport): NotificationTransport[] => [email, webhook],
    inject: [SmtpEmailTransport, FetchWebhookTransport],
  },
];
