import { Module } from '@nestjs/common';
import { NotificationService } from './notification.service';
import { NotificationsController } from './notifications.controller';

/**
 * Email, webhook and Slack notifications for tickets, and `/api/notifications` (channels, a test message). Needs the global `NetdeskConfig` and
 * `MetricsService` (ConfigModule, ObservabilityModule) and uses the global `Clock` (CoreModule) when
 * present. Tuning: provide `NOTIFICATION_OPTIONS` with a `Partial<NotificationOptions>`.
 */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationService],
  exports: [NotificationService],
})
export class NotificationsModule {}
