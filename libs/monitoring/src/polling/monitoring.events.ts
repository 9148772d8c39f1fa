import type { MonitoringChange } from './poll-engine.types';

/** What monitoring publishes on the EventBus once a change is stored (payload: the change and its history id). */
export const MONITORING_EVENTS = {
  deviceStatus: 'monitoring.device.status',
  interfaceStatus: 'monitoring.interface.status',
  deviceRebooted: 'monitoring.device.rebooted',
  flapping: 'monitoring.flapping',
  threshold: 'monitoring.threshold',
} as const;

export type MonitoringEvent<K extends MonitoringChange['kind'] = MonitoringChange['kind']> = Extract<
  MonitoringChange,
  { kind: K }
> & {
  historyId: number;
};

export const TOPIC_OF: Record<MonitoringChange['kind'], string> = {
  device_status: MONITORING_EVENTS.deviceStatus,
  interface_status: MONITORING_EVENTS.interfaceStatus,
  device_rebooted: MONITORING_EVENTS.deviceRebooted,
  flapping: MONITORING_EVENTS.flapping,
  threshold: MONITORING_EVENTS.threshold,
};
