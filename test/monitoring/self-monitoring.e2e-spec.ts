/**
 * Self-monitoring in the whole app: host gauges on /metrics, the `poller` check on /health, and poll
 * lag fed through PollerHealthService turning /health degraded. No network traffic.
 *
 *   npx jest --selectProjects e2e --testPathPatterns test/monitoring/self-monitoring
 */
import { PollerHealthService } from '@netdesk/monitoring';
import { startTestApp, TestApp } from '../support/test-app';

/** Value of an unlabelled metric in Prometheus text, or undefined. */
function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('self-monitoring', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('self-monitoring');
  });
  afterAll(() => t?.close());

  it('exposes the host CPU and memory gauges on /metrics', async () => {
    const text = await eventually(
      async () => (await t.http.get('/metrics').expect(200)).text,
      (body) => (metric(body, 'netdesk_host_memory_total_bytes') ?? 0) > 0,
    );
    const total = metric(text, 'netdesk_host_memory_total_bytes') as number;
    const used = metric(text, 'netdesk_host_memory_used_bytes') as number;
    const cpu = metric(text, 'netdesk_host_cpu_load_percent') as number;
    expect(total).toBeGreaterThan(64 * 1024 * 1024);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(total);
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^# TYPE netdesk_poll_lag_seconds histogram$/m);
    expect(metric(text, 'netdesk_poll_lag_p95_seconds')).toBe(0);
  });

  it('has an ok poller check on /health while nothing polls (poller disabled here)', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.poller).toMatchObject({
      status: 'ok',
      note: expect.stringMatching(/disabled/),
      samples: 0,
      windowSec: 60,
    });
  });

  it('is ok while polls are on time and degraded once the poll lag exceeds the interval', async () => {
    const poller = t.app.get(PollerHealthService);
    for (let i = 0; i < 20; i++) poller.recordPollLag(120, 30);
    poller.recordCycle({ devices: 20, durationMs: 850 });
    const ok = await t.http.get('/health').expect(200);
    expect(ok.body.status).toBe('ok');
    expect(ok.body.checks.poller).toMatchObject({ status: 'ok', samples: 20, p95LagMs: 120, late: 0 });
    expect(ok.body.checks.poller.lastCycle).toMatchObject({ devices: 20, durationMs: 850 });

    for (let i = 0; i < 20; i++) poller.recordPollLag(45_000, 30); // 1.5 intervals late
    const degraded = await t.http.get('/health').expect(200);
    expect(degraded.body).toMatchObject({ status: 'degraded' });
    expect(degraded.body.checks.poller).toMatchObject({
      status: 'degraded',
      samples: 40,
      p95LagMs: 45_000,
      late: 20,
      note: expect.stringMatching(/falling behind/),
    });
    expect(degraded.body.checks.database.status).toBe('ok');

    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metric(metrics, 'netdesk_poll_lag_seconds_count')).toBe(40);
    expect(metric(metrics, 'netdesk_poll_lag_p95_seconds')).toBe(45);
    expect(metric(metrics, 'netdesk_poll_lag_p95_ratio')).toBe(1.5);
    expect(metric(metrics, 'netdesk_poll_cycle_devices')).toBe(20);
  });
});
