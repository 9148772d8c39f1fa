import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { HealthCheck, HealthService, MetricsService } from '@netdesk/observability';
import { evaluatePollerHealth, PollLagWindow } from './poll-lag-window';
import {
  HOST_STATS_SOURCE,
  HostStats,
  HostStatsSource,
  SELF_MONITORING_OPTIONS,
  SelfMonitoringOptions,
} from './self-monitoring.ports';

export interface PollCycle {
  /** Devices polled in the cycle. */
  devices: number;
  /** Wall time of the cycle, ms. */
  durationMs: number;
}

/**
 * The poller watching itself: the host's CPU and memory (sampled every ~10 s on a timer), and poll lag
 * fed by the poller. Exposes both on /metrics and a `poller` check on /health that turns `degraded`
 * when polls run a whole interval late.
 *
 * The poller calls {@link recordPollLag} for every poll it starts, and {@link recordCycle} per cycle.
 */
@Injectable()
export class PollerHealthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('self-monitoring');
  private readonly lags: PollLagWindow;
  private timer: NodeJS.Timeout | null = null;
  private last: (HostStats & { at: Date }) | null = null;
  private lastCycle: (PollCycle & { at: Date }) | null = null;
  private sampleFailed = false;
  private readonly cpuGauge: Gauge;
  private readonly memUsedGauge: Gauge;
  private readonly memTotalGauge: Gauge;
  private readonly lagHistogram: Histogram;
  private readonly cycleHistogram: Histogram;
  private readonly cycleDevicesGauge: Gauge;

  constructor(
    metrics: MetricsService,
    private readonly health: HealthService,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    @Inject(HOST_STATS_SOURCE) private readonly hostStats: HostStatsSource,
    @Inject(SELF_MONITORING_OPTIONS) private readonly options: SelfMonitoringOptions,
  ) {
    this.lags = new PollLagWindow(options.lagWindowMs, options.maxLagSamples);
    const registers = [metrics.registry];
    this.cpuGauge = new Gauge({
      name: 'netdesk_host_cpu_load_percent',
      help: 'CPU busy on the NetDesk host, percent of all cores (sampled every ~10 s)',
      registers,
    });
    this.memUsedGauge = new Gauge({
      name: 'netdesk_host_memory_used_bytes',
      help: 'Memory in use on the NetDesk host: total minus available',
      registers,
    });
    this.memTotalGauge = new Gauge({
      name: 'netdesk_host_memory_total_bytes',
      help: 'Memory of the NetDesk host',
      registers,
    });
    this.lagHistogram = new Histogram({
      name: 'netdesk_poll_lag_seconds',
      help: 'How late polls start compared with when they were due',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    const window = this.lags;
    const now = (): number => this.clock.now().getTime();
    new Gauge({
      name: 'netdesk_poll_lag_p95_seconds',
      help: `95th percentile of poll lag over the last ${Math.round(options.lagWindowMs / 1000)} s (0 when idle)`,
      registers,
      collect() {
        const summary = window.summarize(now());
        this.set(summary ? summary.p95LagMs / 1000 : 0);
      },
    });
    new Gauge({
      name: 'netdesk_poll_lag_p95_ratio',
      help: 'p95 of poll lag divided by the poll interval over the window; above 1 /health reports degraded',
      registers,
      collect() {
        this.set(window.summarize(now())?.p95LagRatio ?? 0);
      },
    });
    this.cycleHistogram = new Histogram({
      name: 'netdesk_poll_cycle_duration_seconds',
      help: 'Wall time of one poller cycle',
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.cycleDevicesGauge = new Gauge({
      name: 'netdesk_poll_cycle_devices',
      help: 'Devices polled in the last poller cycle',
      registers,
    });
  }

  onModuleInit(): void {
    this.health.register('poller', () => this.check());
    void this.sampleHost();
    this.timer = setInterval(() => void this.sampleHost(), this.options.sampleIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One poll started `lagMs` after it was due, for a device polled every `intervalSec`. Cheap: an
   * array push and a histogram observation, safe to call for every poll.
   */
  recordPollLag(lagMs: number, intervalSec: number): void {
    if (!Number.isFinite(lagMs) || !Number.isFinite(intervalSec) || intervalSec <= 0) return;
    const lag = Math.max(0, lagMs);
    this.lags.add(this.clock.now().getTime(), lag, intervalSec * 1000);
    this.lagHistogram.observe(lag / 1000);
  }

  /** One poller cycle finished. */
  recordCycle(cycle: PollCycle): void {
    if (!Number.isFinite(cycle.durationMs) || cycle.durationMs < 0) return;
    this.lastCycle = { ...cycle, at: this.clock.now() };
    this.cycleHistogram.observe(cycle.durationMs / 1000);
    this.cycleDevicesGauge.set(cycle.devices);
  }

  /** Reads CPU and memory once and updates the gauges; never throws (a failure is logged once). */
  async sampleHost(): Promise<void> {
    try {
      const s = await this.hostStats.sample();
      this.last = { ...s, at: this.clock.now() };
      this.cpuGauge.set(Math.round(s.cpuLoadPct * 100) / 100);
      this.memUsedGauge.set(s.memUsedBytes);
      this.memTotalGauge.set(s.memTotalBytes);
      this.sampleFailed = false;
    } catch (e) {
      if (!this.sampleFailed) this.logger.warn({ err: e }, 'host sample failed');
      this.sampleFailed = true;
    }
  }

  /** The `poller` health check. */
  check(): HealthCheck {
    const summary = this.lags.summarize(this.clock.now().getTime());
    const verdict = evaluatePollerHealth({
      enabled: this.config.pollerEnabled,
      windowMs: this.options.lagWindowMs,
      summary,
    });
    return {
      ...verdict,
      ...(this.lastCycle
        ? {
            lastCycle: {
              at: this.lastCycle.at.toISOString(),
              devices: this.lastCycle.devices,
              durationMs: Math.round(this.lastCycle.durationMs),
            },
          }
        : {}),
      ...(this.last
        ? {
            host: {
              cpuLoadPct: Math.round(this.last.cpuLoadPct * 10) / 10,
              memUsedBytes: this.last.memUsedBytes,
              memTotalBytes: this.last.memTotalBytes,
              sampledAt: this.last.at.toISOString(),
            },
          }
        : {}),
    };
  }
}
