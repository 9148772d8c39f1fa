export { MonitoringModule } from './monitoring.module';
export * from './discovery';
export * from './self-monitoring';
export * from './measurements';
export { PollingModule } from './polling/polling.module';
export { PollerService } from './polling/poller.service';
export { PollEngine, DEFAULT_POLL_ENGINE_CONFIG } from './polling/poll-engine';
export { pollEngineConfigFrom } from './polling/poll-engine.config';
export { icmpProberFrom, snmpClientFrom } from './polling/poller-probes.providers';
export type { IcmpProber, SnmpPoller, PollEngineConfig, PollEngineStats } from './polling/poll-engine';
export type {
  MonitoredDevice,
  DevicePollReport,
  InterfaceReading,
  MonitoringChange,
  PollSink,
} from './polling/poll-engine.types';
export { MONITORING_EVENTS, TOPIC_OF } from './polling/monitoring.events';
export { MonitoringStore } from './polling/monitoring-store';
export { IngestSink } from './polling/ingest-sink.port';
export { StatusHistoryReader } from './polling/status-history.port';
export type { StatusChange } from './polling/status-history.port';
export { InterfaceReader } from './polling/interface.port';
export type { DeviceInterface } from './polling/interface.port';
export { FpingProber, PingProber, SnmpClient, TrapReceiver, silentProbeLogger } from './probes';
export type { TrapEvent, ProbeLogger, SnmpCredentials } from './probes';
export { nestProbeLogger } from './nest-probe-logger';
export { firstDueAt } from './domain';
export type { InterfaceSelection, DeviceStatus } from './domain';
export type { MonitoringEvent, WanReadingEvent } from './polling/monitoring.events';
export type { HistoryDetail, HistoryKind } from './polling/status-history.entity';
export { ThresholdsService, THRESHOLD_EVENTS } from './thresholds/thresholds.service';
export {
  resolveThresholds,
  utilisationPct,
  formatBps,
  THRESHOLD_METRICS,
  BUILT_IN_THRESHOLDS,
} from './domain/thresholds';
export type { ThresholdSettings, ResolvedThresholds, ThresholdValues } from './domain/thresholds';
