import { Registry } from 'prom-client';
import type { NetdeskConfig } from '@netdesk/config';
import { FakeClock } from '@netdesk/core';
import type { HealthCheck, HealthService, MetricsService } from '@netdesk/observability';
import { PollerHealthService } from './poller-health.service';
import { DEFAULT_SELF_MONITORING_OPTIONS, HostStats } from './self-monitoring.ports';

function setUp(pollerEnabled = true, stats: () => Promise<HostStats> = async () => SAMPLE) {
  const registry = new Registry();
  const checks = new Map<string, () => HealthCheck | Promise<HealthCheck>>();
  const health = { register: (name: string, fn: () => HealthCheck) => checks.set(name, fn) };
  const clock = new FakeClock();
  const sample = jest.fn(stats);
  const service = new PollerHealthService(
    { registry } as unknown as MetricsService,
    health as unknown as HealthService,
    { pollerEnabled } as NetdeskConfig,
    clock,
    { sample },
    DEFAULT_SELF_MONITORING_OPTIONS,
  );
  return { service, registry, checks, clock, sample };
}

const SAMPLE: HostStats = { cpuLoadPct: 37.256, memUsedBytes: 3_000_000_000, memTotalBytes: 8_000_000_000 };

describe('PollerHealthService', () => {
  let t: ReturnType<typeof setUp>;
  afterEach(() => t?.service.onModuleDestroy());

  it('registers the poller health check and exposes the host gauges after a sample', async () => {
    t = setUp();
    t.service.onModuleInit();
    expect(t.checks.has('poller')).toBe(true);
    await t.service.sampleHost();
    const text = await t.registry.metrics();
    expect(text).toMatch(/^netdesk_host_cpu_load_percent 37\.26$/m);
    expect(text).toMatch(/^netdesk_host_memory_used_bytes 3000000000$/m);
    expect(text).toMatch(/^netdesk_host_memory_total_bytes 8000000000$/m);
    expect(t.service.check()).toMatchObject({
      status: 'ok',
      note: 'idle: no polls in the last 60 s',
      host: { cpuLoadPct: 37.3, memUsedBytes: 3_000_000_000, memTotalBytes: 8_000_000_000 },
    });
  });

  it('turns degraded when polls lag more than their interval, and recovers when the window moves on', () => {
    t = setUp();
    for (let i = 0; i < 10; i++) t.service.recordPollLag(50, 30);
    expect(t.service.check()).toMatchObject({ status: 'ok', samples: 10, p95LagMs: 50 });
    for (let i = 0; i < 10; i++) t.service.recordPollLag(31_000, 30);
    expect(t.service.check()).toMatchObject({ status: 'degraded', samples: 20, p95LagMs: 31_000, late: 10 });
    t.clock.advance(61_000);
    expect(t.service.check()).toMatchObject({ status: 'ok', samples: 0 });
  });

  it('exposes lag and cycles as metrics', async () => {
    t = setUp();
    t.service.recordPollLag(2500, 10);
    t.service.recordCycle({ devices: 42, durationMs: 1234 });
    const text = await t.registry.metrics();
    expect(text).toMatch(/^netdesk_poll_lag_seconds_count 1$/m);
    expect(text).toMatch(/^netdesk_poll_lag_seconds_bucket\{le="2.5"\} 1$/m);
    expect(text).toMatch(/^netdesk_poll_lag_p95_seconds 2.5$/m);
    expect(text).toMatch(/^netdesk_poll_lag_p95_ratio 0.25$/m);
    expect(text).toMatch(/^netdesk_poll_cycle_devices 42$/m);
    expect(text).toMatch(/^netdesk_poll_cycle_duration_seconds_sum 1.234$/m);
    expect(t.service.check()).toMatchObject({ lastCycle: { devices: 42, durationMs: 1234 } });
  });

  it('reports a disabled poller as ok with a note', () => {
    t = setUp(false);
    expect(t.service.check()).toMatchObject({ status: 'ok', note: expect.stringMatching(/disabled/) });
  });

  it('keeps the last values when a sample fails', async () => {
    let fail = false;
    t = setUp(true, async () => {
      if (fail) throw new Error('no /proc');
      return SAMPLE;
    });
    await t.service.sampleHost();
    fail = true;
    await expect(t.service.sampleHost()).resolves.toBeUndefined();
    expect(await t.registry.metrics()).toMatch(/^netdesk_host_memory_total_bytes 8000000000$/m);
  });

  it('ignores nonsense lag input', () => {
    t = setUp();
    t.service.recordPollLag(Number.NaN, 30);
    t.service.recordPollLag(100, 0);
    t.service.recordCycle({ devices: 1, durationMs: -5 });
    expect(t.service.check()).toMatchObject({ samples: 0 });
    expect(t.service.check()).not.toHaveProperty('lastCycle');
  });
});
