import type { MonitoringChange } from './poll-engine.types';

/** What monitoring publishes on the EventBus once a change is stored (payload: the change and its history id). */
export const MONITORING_EVENTS = {
  deviceStatus: 'monitoring.device.status',
  interfaceStatus: 'monitoring.interface.status',
  deviceRebooted: 'monitoring.device.rebooted',
  flapping: 'monitoring.flapping',
  threshold: 'monitoring.threshold',
  /** A WAN circuit's reading of one poll (not a change, not stored as history): for the live board. */
  wanReading: 'monitoring.wan.reading',
} as const;

/** Payload of `monitoring.wan.reading`: what the WAN view shows of one circuit, as just polled. */
export interface WanReadingEvent {
  deviceId: string;
  ifIndex: number;
  inBps: number | null;
  outBps: number | null;
  /** Against the contracted capacity when set, else the port speed; one decimal. */
  inUtilisationPct: number | null;
  outUtilisationPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  at: Date;
}

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
