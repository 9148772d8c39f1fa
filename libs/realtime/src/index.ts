export { RealtimeModule } from './realtime.module';
export { LiveFeedService } from './live-feed.service';
export type { LiveClientInfo } from './live-feed.service';
export { LIVE_EVENTS, LIVE_MESSAGES, LIVE_NAMESPACE } from './live.events';
export type {
  DeviceStatusMessage,
  InterfaceStatusMessage,
  LiveDelta,
  SessionExpiredMessage,
  SnapshotMessage,
  TicketMessage,
} from './live.events';
export { DEFAULT_LIVE_OPTIONS } from './live.options';
export type { LiveOptions } from './live.options';
