import { readFile } from 'node:fs/promises';
import { Module } from '@nestjs/common';
import * as si from 'systeminformation';
import { PollerHealthService } from './poller-health.service';
import {
  DEFAULT_SELF_MONITORING_OPTIONS,
  HOST_STATS_SOURCE,
  HostStatsSource,
  SELF_MONITORING_OPTIONS,
} from './self-monitoring.ports';

/**
 * CPU and memory: on Linux read from /proc/stat and /proc/meminfo directly (systeminformation's
 * `currentLoad` runs `cat /proc/stat | grep cpu` through a shell, a fork of the whole server every
 * sample); elsewhere through systeminformation.
 */
export const systemHostStats: HostStatsSource = {
  async sample() {
    if (process.platform === 'linux') {
      try {
        return await procHostStats();
      } catch {
        // no /proc: fall through
      }
    }
    const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
    return { cpuLoadPct: load.currentLoad, memUsedBytes: mem.total - mem.available, memTotalBytes: mem.total };
  },
};

let lastCpu: { busy: number; total: number } | null = null;

async function procHostStats(): Promise<{ cpuLoadPct: number; memUsedBytes: number; memTotalBytes: number }> {
  const [stat, meminfo] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((n, v) => n + v, 0);
  const busy = total - fields[3] - (fields[4] ?? 0);
  const since = lastCpu && total > lastCpu.total ? { busy: busy - lastCpu.busy, total: total - lastCpu.total } : null;
  lastCpu = { busy, total };
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? NaN) * 1024;
  const memTotal = kb('MemTotal');
  const memAvailable = kb('MemAvailable');
  if (!(total > 0) || !Number.isFinite(memTotal) || !Number.isFinite(memAvailable)) throw new Error('unreadable /proc');
  return {
    cpuLoadPct: since ? (100 * since.busy) / since.total : (100 * busy) / total,
    memUsedBytes: memTotal - memAvailable,
    memTotalBytes: memTotal,
  };
}

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
