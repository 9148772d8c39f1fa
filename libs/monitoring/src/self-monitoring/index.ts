export { SelfMonitoringModule } from './self-monitoring.module';
export { PollerHealthService } from './poller-health.service';
export type { PollCycle } from './poller-health.service';
