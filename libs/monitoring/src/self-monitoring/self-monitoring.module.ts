import { Module } from '@nestjs/common';
import * as si from 'systeminformation';
import { PollerHealthService } from './poller-health.service';
import {
  DEFAULT_SELF_MONITORING_OPTIONS,
  HOST_STATS_SOURCE,
  HostStatsSource,
  SELF_MONITORING_OPTIONS,
} from './self-monitoring.ports';

/** CPU and memory from /proc through systeminformation; no network, no child process on Linux. */
export const systemHostStats: HostStatsSource = {
  async sample() {
    const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
    return { cpuLoadPct: load.currentLoad, memUsedBytes: mem.total - mem.available, memTotalBytes: mem.total };
  },
};

/** The poller's own health: host CPU/memory and poll lag on /metrics, a `poller` check on /health. */
@Module({
  providers: [
    PollerHealthService,
    { provide: HOST_STATS_SOURCE, useValue: systemHostStats },
    { provide: SELF_MONITORING_OPTIONS, useValue: DEFAULT_SELF_MONITORING_OPTIONS },
  ],
  exports: [PollerHealthService],
})
export class SelfMonitoringModule {}
