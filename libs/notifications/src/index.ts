export { NotificationsModule } from './notifications.module';
export { NotificationService } from './notification.service';
export { NOTIFICATION_OPTIONS, DEFAULT_NOTIFICATION_OPTIONS } from './notification-options';
export type { NotificationOptions } from './notification-options';
export type {
  NotificationEvent,
  NotificationMessage,
  NotificationResult,
  NotificationResultHandler,
  NotifyTargetInput,
} from './notification.types';
export {
  parseNotifyTarget,
  describeTarget,
  isDeliverable,
  InvalidNotifyTargetError,
  NOTIFY_TARGET_MAX_LENGTH,
} from './notify-target';
export type {
  NotifyTarget,
  DeliverableTarget,
  UnresolvedTarget,
  EmailTarget,
  WebhookTarget,
  NotificationChannel,
} from './notify-target';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
