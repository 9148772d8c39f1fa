import { FakeClock } from '@netdesk/core';
import type { FpingProbeOptions, PingResult, SnmpInterface, SnmpSystemInfo, SnmpTarget } from '../probes';
import { summarizePingSamples } from '../probes';
import { PollEngine, SnmpPoller } from './poll-engine';
import type { MonitoredDevice, MonitoringChange, DevicePollReport } from './poll-engine.types';

/** A pretend network: which hosts answer ping and SNMP, and what their agents say. */
class FakeNetwork implements SnmpPoller {
  readonly down = new Set<string>();
  readonly snmpSilent = new Set<string>();
  readonly uptime = new Map<string, number>();
  readonly interfaces = new Map<string, SnmpInterface[]>();
  /** Hosts that answer ping only when probed with the quick re-probe options (a lossy link, say). */
  readonly answerQuickOnly = new Set<string>();
  readonly probes: Array<{ hosts: readonly string[]; options?: FpingProbeOptions }> = [];

  icmp = {
    probe: async (hosts: readonly string[], options?: FpingProbeOptions): Promise<PingResult[]> => {
      this.probes.push({ hosts, options });
      return hosts.map((h) =>
        summarizePingSamples(
          h,
          this.down.has(h) || (this.answerQuickOnly.has(h) && !options) ? [null, null, null] : [1, 1.2, 0.9],
        ),
      );
    },
  };

  async pollSystem(t: SnmpTarget): Promise<SnmpSystemInfo> {
    if (this.down.has(t.host) || this.snmpSilent.has(t.host))
      throw new Error('no response (timeout or wrong community)');
    return {
      sysName: t.host,
      sysDescr: 'fake',
      sysObjectID: '1.3.6.1.4.1.8072',
      sysUpTimeTicks: this.uptime.get(t.host) ?? 100_000,
      issues: [],
    };
  }
  async pollInterfaces(t: SnmpTarget): Promise<{ interfaces: SnmpInterface[] }> {
    return { interfaces: this.interfaces.get(t.host) ?? [] };
  }
  async pollHostResources(): Promise<never> {
    throw new Error('no HOST-RESOURCES');
  }
  forget(): void {}
}

function iface(ifIndex: number, operStatus: number, alias = 'uplink'): SnmpInterface {
  return {
    ifIndex,
    ifDescr: `eth${ifIndex}`,
    ifName: `eth${ifIndex}`,
    ifAlias: alias,
    ifType: 6,
    adminStatus: 1,
    operStatus,
    speedBps: 1e9,
    inOctets: 1000n,
    outOctets: 2000n,
    inOctetsBits: 64,
    outOctetsBits: 64,
    inErrors: 0,
    outErrors: 0,
    inDiscards: 0,
    outDiscards: 0,
  };
}

function device(id: string, overrides: Partial<MonitoredDevice> = {}): MonitoredDevice {
  return {
    id,
    name: id,
    host: `${id}.lab`,
    pollIntervalSec: 30,
    parentId: null,
    snmp: null,
    status: 'unknown',
    statusSince: new Date(0),
    statusReason: null,
    flapping: false,
    interfaceSelection: { include: [], exclude: [] },
    ...overrides,
  };
}

function setup(options: { failCommits?: number } = {}) {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const net = new FakeNetwork();
  const committed: MonitoringChange[] = [];
  const reports: DevicePollReport[] = [];
  let failures = options.failCommits ?? 0;
  const engine = new PollEngine({
    icmp: net.icmp,
    snmp: net,
    clock,
    sink: {
      commit: async (changes) => {
        if (failures > 0) {
          failures--;
          throw new Error('database unavailable');
        }
        committed.push(...changes);
      },
      observe: (r) => void reports.push(r),
    },
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  /** Advances time in steps, running the scheduler like the timer would. */
  const run = async (ms: number, step = 250) => {
    for (let t = 0; t < ms; t += step) {
      engine.tick();
      await settle();
      clock.advance(step);
    }
    engine.tick();
    await settle();
  };
  const statusChanges = (id: string) =>
    committed
      .filter(
        (c): c is Extract<MonitoringChange, { kind: 'device_status' }> =>
          c.kind === 'device_status' && c.deviceId === id,
      )
      .map((c) => c.to);
  return { clock, net, engine, committed, reports, run, statusChanges };
}

describe('PollEngine', () => {
  it('polls a new device at once and marks it up', async () => {
    const { engine, run, statusChanges, reports } = setup();
    engine.upsert(device('a'));
    await run(0);
    expect(statusChanges('a')).toEqual(['up']);
    expect(reports[0]).toMatchObject({ deviceId: 'a', kind: 'triggered', status: 'up' });
    expect(reports[0].icmp?.rttMs).toBeCloseTo(1.033, 2);
  });

  it('confirms an outage with fast re-probes, within seconds of the first failed poll', async () => {
    const { engine, net, clock, run, committed } = setup();
    engine.upsert(device('a'));
    await run(0);
    net.down.add('a.lab');
    const cutAt = clock.now().getTime();
    await run(31_000);
    const down = committed.find((c) => c.kind === 'device_status' && c.to === 'down');
    expect(down).toBeDefined();
    // the scheduled poll may come up to one interval after the cut; confirmation takes ~2 re-probes
    expect(down!.at.getTime() - cutAt).toBeLessThanOrEqual(30_000 + 3_000);
  });

  it('re-probes a silent device quickly (short ICMP round, SNMP system group only) and confirms it within 3 s', async () => {
    const { engine, net, run, committed, reports } = setup();
    const snmp = { version: '2c' as const, community: 'public' };
    engine.upsert(device('a', { snmp }));
    await run(0);
    net.down.add('a.lab');
    net.probes.length = 0;
    await run(31_000, 100);
    const firstFailure = reports.find((r) => r.kind === 'scheduled' && r.icmp?.received === 0)!;
    const down = committed.find((c) => c.kind === 'device_status' && c.to === 'down')!;
    expect(down.at.getTime() - firstFailure.at.getTime()).toBeLessThanOrEqual(2_100);
    const rechecks = reports.filter((r) => r.kind === 'recheck');
    expect(rechecks.length).toBe(2); // the confirmation count is kept: three failed polls in all
    expect(net.probes.filter((p) => p.options).length).toBe(2);
    expect(net.probes.find((p) => p.options)!.options).toMatchObject({ count: 3 });
  });

  it('does not declare a device down when its quick re-probe is answered (a lossy link)', async () => {
    const { engine, net, run, statusChanges } = setup();
    engine.upsert(device('a'));
    await run(0);
    net.answerQuickOnly.add('a.lab'); // the scheduled polls lose every echo, the re-probes get one back
    await run(95_000);
    expect(statusChanges('a')).toEqual(['up']);
  });

  it('needs two good polls to bring a down device back up', async () => {
    const { engine, net, run, statusChanges, reports } = setup();
    engine.upsert(device('a', { status: 'down', statusSince: new Date(0) }));
    net.down.add('a.lab');
    await run(500);
    net.down.delete('a.lab');
    await run(500);
    expect(statusChanges('a')).toEqual([]);
    expect(reports.at(-1)?.kind).toBe('recheck');
    await run(1_000);
    expect(statusChanges('a')).toEqual(['up']);
  });

  it('reports devices behind a failed parent as unreachable, never down', async () => {
    const { engine, net, run, statusChanges } = setup();
    engine.upsert(device('router'));
    engine.upsert(device('switch', { parentId: 'router' }));
    engine.upsert(device('ap', { parentId: 'switch' }));
    await run(0);
    for (const h of ['router.lab', 'switch.lab', 'ap.lab']) net.down.add(h);
    await run(40_000);
    expect(statusChanges('router')).toEqual(['up', 'down']);
    expect(statusChanges('switch')).toEqual(['up', 'unreachable']);
    expect(statusChanges('ap')).toEqual(['up', 'unreachable']);
    net.down.clear();
    await run(35_000);
    expect(statusChanges('router').at(-1)).toBe('up');
    expect(statusChanges('switch').at(-1)).toBe('up');
    expect(statusChanges('ap').at(-1)).toBe('up');
  });

  it('turns a down child unreachable when its parent is found down later', async () => {
    const { engine, net, run, statusChanges } = setup();
    engine.upsert(device('router', { pollIntervalSec: 300 }));
    engine.upsert(device('switch', { parentId: 'router', pollIntervalSec: 10 }));
    await run(0);
    net.down.add('switch.lab');
    await run(15_000);
    expect(statusChanges('switch')).toEqual(['up', 'down']);
    net.down.add('router.lab');
    engine.pollNow('router');
    await run(5_000);
    expect(statusChanges('router')).toEqual(['up', 'down']);
    expect(statusChanges('switch')).toEqual(['up', 'down', 'unreachable']);
  });

  it('checks the path first: a child polled often is not declared down before its rarely polled parent', async () => {
    const { engine, net, run, statusChanges } = setup();
    engine.upsert(device('router', { pollIntervalSec: 300 }));
    engine.upsert(device('switch', { parentId: 'router', pollIntervalSec: 10 }));
    await run(0);
    net.down.add('router.lab');
    net.down.add('switch.lab');
    await run(20_000);
    expect(statusChanges('router')).toEqual(['up', 'down']);
    expect(statusChanges('switch')).toEqual(['up', 'unreachable']);
  });

  it('marks a device that pings but does not answer SNMP degraded, with the reason', async () => {
    const { engine, net, run, committed } = setup();
    net.snmpSilent.add('a.lab');
    engine.upsert(device('a', { snmp: { version: '2c', community: 'public' } }));
    await run(0);
    expect(committed).toContainEqual(
      expect.objectContaining({
        kind: 'device_status',
        to: 'degraded',
        reason: expect.stringMatching(/snmp not answering/i),
      }),
    );
  });

  it('reports a monitored interface going down as an interface change and the device degraded', async () => {
    const { engine, net, run, committed, statusChanges } = setup();
    net.interfaces.set('a.lab', [iface(1, 1), iface(2, 1, '')]);
    engine.upsert(device('a', { snmp: { version: '2c', community: 'public' }, pollIntervalSec: 10 }));
    await run(0);
    net.interfaces.set('a.lab', [iface(1, 2), iface(2, 2, '')]);
    engine.pollNow('a');
    await run(0);
    const ifChanges = committed.filter((c) => c.kind === 'interface_status');
    expect(ifChanges).toEqual([
      expect.objectContaining({ ifIndex: 1, from: 'up', to: 'down', monitored: true }),
      expect.objectContaining({ ifIndex: 2, from: 'up', to: 'down', monitored: false }),
    ]);
    expect(statusChanges('a')).toEqual(['up', 'degraded']);
  });

  it('marks the WAN circuits among the readings it reports (for the live WAN view)', async () => {
    const { engine, net, run, reports } = setup();
    net.interfaces.set('a.lab', [iface(1, 1), iface(2, 1, ''), iface(3, 1, '')]);
    net.interfaces.set('b.lab', [iface(1, 1), iface(2, 1, '')]);
    const snmp = { version: '2c', community: 'public' } as const;
    // a wan-link device: its watched interface 1; interface 2 has a contracted capacity; 3 is neither
    engine.upsert(device('a', { snmp, judgeAllInterfaces: true, circuits: { 2: { capacityBps: 5e7 } } }));
    engine.upsert(device('b', { snmp }));
    await run(0);
    const last = (id: string) => reports.filter((r) => r.deviceId === id && r.interfaces).at(-1)!;
    expect(last('a').wanLinks).toEqual([
      { ifIndex: 1, capacityBps: null },
      { ifIndex: 2, capacityBps: 5e7 },
    ]);
    expect(last('b').wanLinks).toBeUndefined();
  });

  it('detects a reboot when sysUpTime goes back', async () => {
    const { engine, net, run, committed } = setup();
    net.uptime.set('a.lab', 5_000_000);
    engine.upsert(device('a', { snmp: { version: '2c', community: 'public' }, pollIntervalSec: 10 }));
    await run(0);
    net.uptime.set('a.lab', 300);
    await run(10_000);
    expect(committed.filter((c) => c.kind === 'device_rebooted')).toHaveLength(1);
  });

  it('loses no transition when the store fails: the next poll stores it', async () => {
    const { engine, run, statusChanges, engine: e } = setup({ failCommits: 1 });
    engine.upsert(device('a'));
    await run(0);
    expect(statusChanges('a')).toEqual([]);
    expect(e.stats().commitFailures).toBe(1);
    await run(1_500);
    expect(statusChanges('a')).toEqual(['up']);
  });

  it('flags a flapping device once, not on every change', async () => {
    const { engine, net, run, committed } = setup();
    engine.upsert(device('a', { pollIntervalSec: 1 }));
    for (let i = 0; i < 30; i++) {
      if (i % 2) net.down.add('a.lab');
      else net.down.delete('a.lab');
      await run(1_000, 500);
    }
    const flaps = committed.filter((c) => c.kind === 'flapping');
    expect(flaps[0]).toMatchObject({ flapping: true, ifIndex: null });
    expect(flaps.filter((f) => f.kind === 'flapping' && f.flapping)).toHaveLength(1);
  });

  it('spreads devices over the interval instead of polling them all at once', async () => {
    const { engine, run, reports } = setup();
    for (let i = 0; i < 200; i++) engine.upsert(device(`d${i}`, { status: 'up' }));
    await run(30_000, 1_000);
    const perSecond = new Map<number, number>();
    for (const r of reports)
      perSecond.set(Math.floor(r.at.getTime() / 1000), (perSecond.get(Math.floor(r.at.getTime() / 1000)) ?? 0) + 1);
    expect(reports).toHaveLength(200);
    expect(Math.max(...perSecond.values())).toBeLessThan(30);
  });
});
