import { DEFAULT_FLAP_THRESHOLDS } from '../domain';
import type { SnmpInterface } from '../probes';
import {
  errorsPerMinuteOf,
  eventsPerSecond,
  octetBps,
  readInterfaces,
  seedInterfaces,
  wanLinksOf,
} from './interface-readings';
import type { InterfaceReading, MonitoredDevice } from './poll-engine.types';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (sec: number) => new Date(T0.getTime() + sec * 1000);
const WRAP32 = 2n ** 32n;

/** eth1, admin and oper up, with 64-bit octet counters and no errors yet. */
const ETH1 = {
  ifIndex: 1,
  ifDescr: 'eth1',
  ifName: 'eth1',
  ifAlias: 'uplink',
  ifType: 6,
  adminStatus: 1,
  operStatus: 1,
};
const COUNTERS = { speedBps: 1e9, inOctets: 1_000n, outOctets: 2_000n, inOctetsBits: 64, outOctetsBits: 64 } as const;
const NO_ERRORS = { inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 };

function row(overrides: Partial<SnmpInterface> = {}): SnmpInterface {
  return { ...ETH1, ...COUNTERS, ...NO_ERRORS, ...overrides };
}

const device = { id: 'dev-1', interfaceSelection: { include: [], exclude: [] } };

/** Two walks `sec` apart, uptime advancing with the clock; returns the second walk. */
function twoWalks(first: SnmpInterface[], second: SnmpInterface[], sec = 30) {
  const a = readInterfaces(new Map(), first, { uptimeTicks: 100_000, at: T0 }, device, DEFAULT_FLAP_THRESHOLDS);
  return readInterfaces(
    a.tracks,
    second,
    { uptimeTicks: 100_000 + sec * 100, at: at(sec) },
    device,
    DEFAULT_FLAP_THRESHOLDS,
  );
}

describe('readInterfaces', () => {
  it('gives no rates on the first walk, then bit/s and errors/s from the counter deltas', () => {
    const first = readInterfaces(new Map(), [row()], { uptimeTicks: 100_000, at: T0 }, device, DEFAULT_FLAP_THRESHOLDS);
    expect(first.readings[0]).toMatchObject({ inBps: null, outBps: null, inErrors: null, monitored: true });
    const second = twoWalks(
      [row()],
      [row({ inOctets: 1_000n + 3_750_000n, outOctets: 2_000n + 375_000n, inErrors: 30, outDiscards: 60 })],
    );
    // 3.75 MB in 30 s = 1 Mbit/s; 30 errors in 30 s = 1/s
    expect(second.readings[0]).toMatchObject({ inBps: 1_000_000, outBps: 100_000, inErrors: 1, outDiscards: 2 });
    expect(second.changes).toEqual([]);
  });

  it('counts across a 32-bit counter wrap', () => {
    const walk = twoWalks(
      [row({ inOctets: WRAP32 - 1_000n, inOctetsBits: 32, outOctetsBits: 32 })],
      [row({ inOctets: 2_750n, inOctetsBits: 32, outOctetsBits: 32 })],
      10,
    );
    // 3 750 octets in 10 s = 3 000 bit/s
    expect(walk.readings[0].inBps).toBe(3_000);
  });

  it('gives no rate when the counter width changed between walks, or the device restarted', () => {
    const widthChanged = twoWalks([row()], [row({ inOctets: 5_000n, inOctetsBits: 32, outOctetsBits: 32 })]);
    expect(widthChanged.readings[0].inBps).toBeNull();
    const a = readInterfaces(new Map(), [row()], { uptimeTicks: 900_000, at: T0 }, device, DEFAULT_FLAP_THRESHOLDS);
    const rebooted = readInterfaces(
      a.tracks,
      [row({ inOctets: 500_000n })],
      { uptimeTicks: 1_000, at: at(30) },
      device,
      DEFAULT_FLAP_THRESHOLDS,
    );
    expect(rebooted.readings[0].inBps).toBeNull();
  });

  it('reports a status change of an interface, and whether it is watched', () => {
    const walk = twoWalks([row(), row({ ifIndex: 2, ifName: 'eth2' })], [row({ operStatus: 2 }), row({ ifIndex: 2 })]);
    expect(walk.changes).toEqual([
      expect.objectContaining({ kind: 'interface_status', deviceId: 'dev-1', ifIndex: 1, from: 'up', to: 'down' }),
    ]);
    expect(walk.readings.map((r) => r.operStatus)).toEqual(['down', 'up']);
  });

  it('skips a row with an out-of-range status and names it', () => {
    const walk = readInterfaces(
      new Map(),
      [row(), row({ ifIndex: 7, operStatus: 99 })],
      { uptimeTicks: 1, at: T0 },
      device,
      DEFAULT_FLAP_THRESHOLDS,
    );
    expect(walk.skipped).toEqual([7]);
    expect(walk.readings.map((r) => r.ifIndex)).toEqual([1]);
  });

  it('flags a watched interface that keeps changing as flapping, once', () => {
    let tracks = new Map();
    const flapping: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const walk = readInterfaces(
        tracks,
        [row({ operStatus: i % 2 ? 2 : 1 })],
        { uptimeTicks: 100_000 + i * 3000, at: at(i * 30) },
        device,
        DEFAULT_FLAP_THRESHOLDS,
      );
      tracks = walk.tracks;
      flapping.push(
        ...walk.changes.filter((c) => c.kind === 'flapping').map((c) => (c as { flapping: boolean }).flapping),
      );
    }
    expect(flapping).toEqual([true]);
    expect([...tracks.values()][0].reading.flapping).toBe(true);
  });
});

describe('counter maths', () => {
  it('octetBps needs two samples of the same width', () => {
    const a = { octets: 0n, sysUpTimeTicks: 100, at: T0 };
    const b = { octets: 1_250n, sysUpTimeTicks: 200, at: at(1) };
    expect(octetBps(a, b, 64, 64, null)).toBe(10_000);
    expect(octetBps(undefined, b, 64, 64, null)).toBeNull();
    expect(octetBps(a, b, 64, 32, null)).toBeNull();
    expect(octetBps(a, b, null, null, null)).toBeNull();
    // more than the interface could carry: a reset, not traffic
    expect(octetBps(a, b, 64, 64, 1_000)).toBeNull();
  });

  it('eventsPerSecond is null without a previous count or after a reset', () => {
    expect(eventsPerSecond(120, 0, 60)).toBe(2);
    expect(eventsPerSecond(120, undefined, 60)).toBeNull();
    expect(eventsPerSecond(null, 5, 60)).toBeNull();
    expect(eventsPerSecond(3, 1_000, 60)).toBeNull();
    expect(eventsPerSecond(3, 1, 0)).toBeNull();
  });

  it('errorsPerMinuteOf adds errors and discards, null when none was measured', () => {
    const r = { inErrors: 0.5, outErrors: null, inDiscards: 0.25, outDiscards: 0 } as InterfaceReading;
    expect(errorsPerMinuteOf(r)).toBe(45);
    expect(
      errorsPerMinuteOf({ inErrors: null, outErrors: null, inDiscards: null, outDiscards: null } as InterfaceReading),
    ).toBeNull();
  });
});

describe('seeding and WAN links', () => {
  const base = { id: 'd', circuits: {}, judgeAllInterfaces: false } as unknown as MonitoredDevice;

  it('seeds the stored interfaces without counters, dropping unknown statuses', () => {
    const seeded = seedInterfaces({
      ...base,
      knownInterfaces: [
        { ifIndex: 1, name: 'eth1', alias: '', adminStatus: 'up', operStatus: 'down' },
        { ifIndex: 2, name: 'eth2', alias: '', adminStatus: 'bogus', operStatus: 'up' },
      ],
    });
    expect([...seeded.keys()]).toEqual([1]);
    expect(seeded.get(1)).toMatchObject({ snapshot: { operStatus: 'down' }, reading: { inBps: null } });
    expect(seeded.get(1)!.in).toBeUndefined();
  });

  it('lists circuits with a capacity, and every watched interface of a wan-link', () => {
    const readings = [
      { ifIndex: 1, monitored: true },
      { ifIndex: 2, monitored: false },
    ] as InterfaceReading[];
    expect(wanLinksOf(base, readings)).toBeUndefined();
    const withCircuit = {
      ...base,
      circuits: { 2: { capacityBps: 1e7, provider: null, circuitId: null, utilisationPct: null } },
    };
    expect(wanLinksOf(withCircuit, readings)).toEqual([{ ifIndex: 2, capacityBps: 1e7 }]);
    expect(wanLinksOf({ ...base, judgeAllInterfaces: true }, readings)).toEqual([{ ifIndex: 1, capacityBps: null }]);
    expect(wanLinksOf(withCircuit, null)).toBeUndefined();
  });
});
