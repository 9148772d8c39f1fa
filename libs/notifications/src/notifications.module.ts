import { Module } from '@nestjs/common';
import { NotificationService } from './notification.service';

/**
 * Email, webhook and Slack notifications for tickets. Needs the global `NetdeskConfig` and
 * `MetricsService` (ConfigModule, ObservabilityModule) and uses the global `Clock` (CoreModule) when
 * present. Tuning: provide `NOTIFICATION_OPTIONS` with a `Partial<NotificationOptions>`.
 */
@Module({
  providers: [NotificationService],
  exports: [NotificationService],
})
export class NotificationsModule {}
