import { Module } from '@nestjs/common';
import { DiscoveryModule } from './discovery/discovery.module';
import { SelfMonitoringModule } from './self-monitoring/self-monitoring.module';
import { MeasurementsModule } from './measurements/measurements.module';
import { PollingModule } from './polling/polling.module';

/**
 * Monitoring: probes devices (fping, SNMP, traps), runs the state machine with dependencies and flap
 * detection, stores transitions and measurements, and publishes status events on the EventBus.
 * Knows inventory, knows nothing of tickets.
 */
@Module({
  imports: [DiscoveryModule, SelfMonitoringModule, MeasurementsModule, PollingModule],
  exports: [PollingModule, MeasurementsModule],
})
export class MonitoringModule {}
