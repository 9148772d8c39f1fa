/** FpingProber / PingProber against loopback only (127.0.0.0/8 and ::1). */
import { FpingProber, PingProber, ProbeLogger } from '../../libs/monitoring/src/probes';
import { FpingLauncher } from '../../libs/monitoring/src/probes/fping-launcher';

jest.setTimeout(120_000);

function recordingLogger(): ProbeLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_o, msg) => warnings.push(msg), info: () => undefined, debug: () => undefined };
}

/** Distinct loopback addresses 127.1.0.1, 127.1.0.2, ... (never outside 127.0.0.0/8). */
function loopbackHosts(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const b = 1 + Math.floor(i / 65024);
    const c = Math.floor((i % 65024) / 254);
    const d = (i % 254) + 1;
    out.push(`127.${b}.${c}.${d}`);
  }
  return out;
}

describe('FpingProber', () => {
  it('uses fping and reports per-host RTTs for 127.0.0.1, 127.0.0.2 and ::1', async () => {
    const prober = new FpingProber({ count: 3, timeoutMs: 500, periodMs: 20, intervalMs: 1 });
    const status = await prober.status();
    expect(status).toMatchObject({ mode: 'fping', path: expect.stringMatching(/fping$/) });
    const results = await prober.probe(['127.0.0.1', '127.0.0.2', '::1', '127.0.0.1']);
    expect(results.map((r) => r.host)).toEqual(['127.0.0.1', '127.0.0.2', '::1', '127.0.0.1']);
    for (const r of results) {
      expect(r).toMatchObject({ sent: 3, received: 3, lossPct: 0 });
      expect(r.rttsMs).toHaveLength(3);
      expect(r.rttMs).toBeGreaterThan(0);
      expect(r.jitterMs).not.toBeNull();
      expect(r.minMs as number).toBeLessThanOrEqual(r.maxMs as number);
    }
  });

  it('marks invalid hosts without passing them to fping', async () => {
    const prober = new FpingProber({ count: 1, timeoutMs: 200, periodMs: 200, intervalMs: 1 });
    const [bad, good] = await prober.probe(['-f /etc/passwd', '127.0.0.1']);
    expect(bad).toMatchObject({ error: 'invalid host', sent: 0, lossPct: 100 });
    expect(good).toMatchObject({ received: 1 });
  });

  it('falls back to system ping with one warning when fping is missing', async () => {
    const logger = recordingLogger();
    const prober = new FpingProber({ fpingPath: '/nonexistent/fping', count: 2, timeoutMs: 1000, logger });
    expect(await prober.status()).toMatchObject({
      mode: 'ping-fallback',
      reason: expect.stringContaining('not executable'),
    });
    const results = await prober.probe(['127.0.0.1', '127.0.0.2']);
    await prober.probe(['127.0.0.1']);
    expect(results.map((r) => r.received)).toEqual([2, 2]);
    expect(logger.warnings).toHaveLength(1);
  });

  it('probes 50,000 loopback hosts in one cycle (chunked below fping sequence-number limit)', async () => {
    const hosts = loopbackHosts(50_000);
    const prober = new FpingProber({ count: 3, timeoutMs: 500, periodMs: 200, intervalMs: 0 });
    const started = Date.now();
    const results = await prober.probe(hosts);
    const ms = Date.now() - started;
    const alive = results.filter((r) => r.received === 3).length;
    console.log(
      `fping: ${hosts.length} hosts x 3 echoes in ${ms} ms; ${prober.lastRunStats().length} processes ` +
        `(${prober
          .lastRunStats()
          .map((s) => `${s.hosts} hosts ${Math.round(s.durationMs)} ms`)
          .join(', ')}); fully answered ${alive}`,
    );
    expect(results).toHaveLength(50_000);
    expect(prober.lastRunStats()).toHaveLength(3);
    expect(prober.lastRunStats().every((s) => !s.killed && s.exitCode !== null && s.exitCode <= 1)).toBe(true);
    expect(alive).toBeGreaterThan(49_900);
  });
});

describe('FpingLauncher (fping started by long-lived helper shells)', () => {
  it('runs fping through one helper shell for consecutive runs, with the same results as spawning it', async () => {
    const direct = new FpingProber({ count: 2, timeoutMs: 500, periodMs: 20, intervalMs: 1, helperShell: false });
    const helped = new FpingProber({ count: 2, timeoutMs: 500, periodMs: 20, intervalMs: 1 });
    const hosts = loopbackHosts(300);
    const [a, b] = [await direct.probe(hosts), await helped.probe(hosts)];
    expect(b.map((r) => [r.host, r.sent, r.received])).toEqual(a.map((r) => [r.host, r.sent, r.received]));
    expect(b.every((r) => r.received === 2)).toBe(true);
    expect(helped.lastRunStats()[0]).toMatchObject({ exitCode: 0, killed: false });
    // three more runs, two at once: the shells are reused, not one per run
    await helped.probe(['127.0.0.1']);
    await Promise.all([helped.probe(['127.0.0.2']), helped.probe(['127.0.0.3'])]);
    expect((helped as unknown as { launcher: FpingLauncher }).launcher.size).toBeLessThanOrEqual(2);
    helped.close();
  });

  it('kills a run past its deadline and keeps working', async () => {
    const launcher = new FpingLauncher();
    const t0 = Date.now();
    const out = await launcher.run({ path: '/bin/sleep', args: ['20'], hosts: [], deadlineMs: 300 });
    expect(out).toMatchObject({ killed: true, code: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    const next = await launcher.run({ path: '/bin/echo', args: ["it's", 'fine'], hosts: ['x'], deadlineMs: 5_000 });
    expect(next).toMatchObject({ text: "it's fine\n", code: 0, killed: false });
    launcher.close();
  });

  it('spawns fping directly when no helper shell can be started', async () => {
    const prober = new FpingProber({ count: 1, timeoutMs: 300, periodMs: 20, intervalMs: 1 });
    (prober as unknown as { launcher: FpingLauncher }).launcher = new FpingLauncher('/nonexistent/sh');
    const [r] = await prober.probe(['127.0.0.1']);
    expect(r).toMatchObject({ received: 1 });
  });
});

describe('PingProber', () => {
  it('returns the RTTs of 4 echoes for the device ping endpoint', async () => {
    const r = await new PingProber({ intervalMs: 200 }).ping('127.0.0.1');
    expect(r).toMatchObject({ host: '127.0.0.1', sent: 4, received: 4, lossPct: 0 });
    expect(r.rttsMs).toHaveLength(4);
    expect(r.jitterMs).not.toBeNull();
  });

  it('pings IPv6 loopback and rejects option-like hosts', async () => {
    const prober = new PingProber({ count: 2 });
    expect(await prober.ping('::1')).toMatchObject({ received: 2 });
    expect(await prober.ping('-c 1000')).toMatchObject({ error: 'invalid host', sent: 0 });
  });
});
