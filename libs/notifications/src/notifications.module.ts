import { Module } from '@nestjs/common';
import { NotificationService } from './notification.service';
import { NOTIFICATION_TRANSPORT_PROVIDERS } from './notification-transports';
import { NotificationsController } from './notifications.controller';

/**
 * Email, webhook and Slack notifications for tickets, and `/api/notifications` (channels, a test message). Needs the global `NetdeskConfig` and
 * `MetricsService` (ConfigModule, ObservabilityModule) and uses the global `Clock` (CoreModule) when
 * present. Tuning: provide `NOTIFICATION_OPTIONS` with a `Partial<NotificationOptions>`. Transports (SMTP, `fetch`)
 * are providers listed under `NOTIFICATION_TRANSPORTS`.
 */
@Module({
  controllers: [NotificationsController],
  providers: [...NOTIFICATION_TRANSPORT_PROVIDERS, NotificationService],
  exports: [NotificationService],
})
export class NotificationsModule {}
