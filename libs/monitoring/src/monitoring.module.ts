import { Module } from '@nestjs/common';

/**
 * Monitoring: probes devices (fping, SNMP, traps), runs the state machine with dependencies and flap
 * detection, stores transitions and measurements, and publishes status events on the EventBus.
 * Knows inventory, knows nothing of tickets.
 */
@Module({
  imports: [],
})
export class MonitoringModule {}
