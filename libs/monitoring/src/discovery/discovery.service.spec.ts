import { DomainError, FakeClock } from '@netdesk/core';
import type { DevicesService } from '@netdesk/inventory';
import {
  failedPingResult,
  PingResult,
  SnmpProbeError,
  SnmpSystemInfo,
  SnmpTarget,
  summarizePingSamples,
} from '../probes';
import { DEFAULT_DISCOVERY_OPTIONS, DiscoveryOptions, SystemGroupReader } from './discovery.ports';
import { DiscoveryService, suggestName, toCredentials } from './discovery.service';
import { LocalInterface } from './local-subnets';

/** Answers for the given hosts; records every batch it was asked to ping (nothing is sent anywhere). */
class FakeSweeper {
  readonly batches: string[][] = [];
  gate: Promise<void> = Promise.resolve();
  constructor(private readonly alive: Record<string, number>) {}
  async probe(hosts: readonly string[]): Promise<PingResult[]> {
    this.batches.push([...hosts]);
    await this.gate;
    return hosts.map((h) =>
      this.alive[h] !== undefined ? summarizePingSamples(h, [this.alive[h]], 1) : failedPingResult(h, 'timeout'),
    );
  }
}

class FakeSnmp implements SystemGroupReader {
  readonly targets: SnmpTarget[] = [];
  closed = 0;
  constructor(
    private readonly agents: Record<string, Partial<SnmpSystemInfo> | 'timeout' | 'hang'>,
    private readonly clock?: FakeClock,
  ) {}
  async pollSystem(target: SnmpTarget): Promise<SnmpSystemInfo> {
    this.targets.push(target);
    const a = this.agents[target.host];
    this.clock?.advance(1000);
    if (a === 'hang') return new Promise(() => undefined);
    if (!a || a === 'timeout') throw new SnmpProbeError('timeout', 'no response (timeout or wrong community)');
    return { sysName: null, sysDescr: null, sysObjectID: null, sysUpTimeTicks: null, issues: [], ...a };
  }
  closeAll(): void {
    this.closed++;
  }
}

const device = (id: string, name: string, host: string) => ({ id, name, host });

function setUp(opts: {
  alive?: Record<string, number>;
  agents?: Record<string, Partial<SnmpSystemInfo> | 'timeout' | 'hang'>;
  inventory?: Array<ReturnType<typeof device>>;
  interfaces?: LocalInterface[];
  options?: Partial<DiscoveryOptions>;
}) {
  const clock = new FakeClock();
  const sweeper = new FakeSweeper(opts.alive ?? {});
  const snmp = new FakeSnmp(opts.agents ?? {}, clock);
  const devices = { list: jest.fn(async () => opts.inventory ?? []) } as unknown as DevicesService;
  const interfaces = { networkInterfaces: jest.fn(async () => opts.interfaces ?? []) };
  const service = new DiscoveryService(devices, clock, sweeper, () => snmp, interfaces, {
    ...DEFAULT_DISCOVERY_OPTIONS,
    ...opts.options,
  });
  return { service, sweeper, snmp, devices, interfaces, clock };
}

const CISCO = {
  sysName: 'core-sw1',
  sysDescr: 'Cisco IOS Software, C2960X Software',
  sysObjectID: '1.3.6.1.4.1.9.1.1208',
};
const LINUX = { sysName: 'nms', sysDescr: 'Linux nms 6.1.0 x86_64', sysObjectID: '1.3.6.1.4.1.8072.3.2.10' };

describe('DiscoveryService', () => {
  it('sweeps the range in one batch, reads SNMP on the hosts that answered and proposes them', async () => {
    const { service, sweeper, snmp } = setUp({
      alive: { '192.0.2.10': 0.4, '192.0.2.3': 1.25, '192.0.2.20': 0.3 },
      agents: { '192.0.2.10': CISCO, '192.0.2.3': LINUX },
    });
    const result = await service.discover({
      cidr: '192.0.2.0/27',
      snmp: { version: '2c', community: 'c0mm' },
      port: 1161,
    });
    expect(sweeper.batches).toHaveLength(1);
    expect(sweeper.batches[0]).toHaveLength(30);
    expect(snmp.targets.map((t) => t.host).sort()).toEqual(['192.0.2.10', '192.0.2.20', '192.0.2.3']);
    expect(snmp.targets[0].credentials).toEqual({ version: '2c', community: 'c0mm', port: 1161 });
    expect(snmp.closed).toBe(1);
    expect(result).toMatchObject({
      cidrs: ['192.0.2.0/27'],
      scanned: 30,
      answered: 3,
      snmpAnswered: 2,
      complete: true,
    });
    expect(result.devices).toEqual([
      {
        host: '192.0.2.3',
        rttMs: 1.25,
        sysName: 'nms',
        sysDescr: LINUX.sysDescr,
        sysObjectId: LINUX.sysObjectID,
        vendor: 'net-snmp',
        kind: 'server',
        suggestedName: 'nms',
        alreadyInInventory: false,
      },
      {
        host: '192.0.2.10',
        rttMs: 0.4,
        sysName: 'core-sw1',
        sysDescr: CISCO.sysDescr,
        sysObjectId: CISCO.sysObjectID,
        vendor: 'Cisco',
        kind: 'switch',
        suggestedName: 'core-sw1',
        alreadyInInventory: false,
      },
      {
        host: '192.0.2.20',
        rttMs: 0.3,
        kind: 'other',
        suggestedName: 'other-192-0-2-20',
        alreadyInInventory: false,
        snmpError: 'no response (timeout or wrong community)',
      },
    ]);
  });

  it('flags hosts already in the inventory and never suggests a name the inventory uses', async () => {
    const { service } = setUp({
      alive: { '192.0.2.10': 1, '192.0.2.11': 1 },
      agents: { '192.0.2.10': CISCO, '192.0.2.11': { ...LINUX, sysName: 'core-sw1' } },
      inventory: [device('d1', 'Core switch', '192.0.2.10'), device('d2', 'core-sw1-x', '198.51.100.1')],
    });
    const result = await service.discover({ cidr: '192.0.2.8/29', snmp: { version: '2c', community: 'c' } });
    expect(result.devices[0]).toMatchObject({
      host: '192.0.2.10',
      alreadyInInventory: true,
      existingDeviceId: 'd1',
      suggestedName: 'Core switch',
    });
    expect(result.devices[1]).toMatchObject({
      host: '192.0.2.11',
      alreadyInInventory: false,
      suggestedName: 'core-sw1',
    });
    expect(result.devices[1]).not.toHaveProperty('existingDeviceId');
  });

  it('without SNMP credentials only sweeps, and says so', async () => {
    const { service, snmp } = setUp({ alive: { '192.0.2.1': 1 } });
    const result = await service.discover({ cidr: '192.0.2.0/30' });
    expect(snmp.targets).toEqual([]);
    expect(result.devices).toEqual([
      { host: '192.0.2.1', rttMs: 1, kind: 'other', suggestedName: 'other-192-0-2-1', alreadyInInventory: false },
    ]);
    expect(result.notes).toContain('no snmp credentials given: kinds are not guessed');
  });

  it('without cidr sweeps the local subnets systeminformation reports, and only those', async () => {
    const { service, sweeper, interfaces } = setUp({
      alive: { '192.168.10.1': 0.2 },
      interfaces: [
        { iface: 'lo', ip4: '127.0.0.1', ip4subnet: '255.0.0.0', internal: true },
        { iface: 'eth0', ip4: '192.168.10.23', ip4subnet: '255.255.255.0', internal: false, operstate: 'up' },
        { iface: 'eth1', ip4: '10.20.4.9', ip4subnet: '255.255.255.252', internal: false, operstate: 'up' },
        { iface: 'corp', ip4: '10.1.2.3', ip4subnet: '255.0.0.0', internal: false, operstate: 'up' },
        { iface: 'll', ip4: '169.254.3.3', ip4subnet: '255.255.0.0', internal: false, operstate: 'up' },
      ],
    });
    const result = await service.discover({});
    expect(interfaces.networkInterfaces).toHaveBeenCalledTimes(1);
    expect(result.cidrs).toEqual(['10.20.4.8/30', '192.168.10.0/24']);
    expect(result.scanned).toBe(2 + 254);
    const swept = sweeper.batches.flat();
    expect(swept).toHaveLength(256);
    expect(swept.every((h) => h.startsWith('192.168.10.') || h === '10.20.4.9' || h === '10.20.4.10')).toBe(true);
    expect(result.notes).toEqual(
      expect.arrayContaining(['skipped corp 10.1.2.3/8: larger than /16', 'skipped ll 169.254.3.3/16: link-local']),
    );
  });

  it('without cidr and without a usable local subnet: 400 naming cidr, nothing swept', async () => {
    const { service, sweeper } = setUp({
      interfaces: [{ iface: 'corp', ip4: '10.1.2.3', ip4subnet: '255.0.0.0', internal: false }],
    });
    const err = await service.discover({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid');
    expect((err as DomainError).message).toMatch(/^cidr: .*corp 10\.1\.2\.3\/8: larger than \/16/);
    expect(sweeper.batches).toEqual([]);
  });

  it('tells a form which local subnets a discovery without cidr would sweep, and which it leaves out', async () => {
    const { service, sweeper } = setUp({
      interfaces: [
        { iface: 'lo', ip4: '127.0.0.1', ip4subnet: '255.0.0.0', internal: true },
        { iface: 'eth0', ip4: '192.168.10.23', ip4subnet: '255.255.255.0', internal: false, operstate: 'up' },
        { iface: 'corp', ip4: '10.1.2.3', ip4subnet: '255.0.0.0', internal: false, operstate: 'up' },
      ],
    });
    const defaults = await service.defaults();
    expect(defaults).toEqual({
      cidrs: ['192.168.10.0/24'],
      addresses: 256,
      maxAddresses: 65536,
      skipped: ['lo 127.0.0.1/8: loopback/internal', 'corp 10.1.2.3/8: larger than /16'],
    });
    expect(sweeper.batches).toEqual([]);
  });

  it('refuses local subnets that add up to more than a /16', async () => {
    const { service, sweeper } = setUp({
      interfaces: [
        { iface: 'a', ip4: '10.1.0.1', ip4subnet: '255.255.0.0', internal: false },
        { iface: 'b', ip4: '10.2.0.1', ip4subnet: '255.255.255.0', internal: false },
      ],
    });
    await expect(service.discover({})).rejects.toThrow(
      /^cidr: the local subnets 10\.1\.0\.0\/16, 10\.2\.0\.0\/24 add up/,
    );
    expect(sweeper.batches).toEqual([]);
  });

  it.each([
    ['198.18.0.0/15', /^cidr: 198\.18\.0\.0\/15 has 131,072 addresses/],
    ['10.0.0.0/8', /^cidr: /],
    ['10.0.0.0/33', /^cidr: /],
    ['banana', /^cidr: /],
  ])('rejects cidr %s before sweeping', async (cidr, message) => {
    const { service, sweeper } = setUp({});
    const err = await service.discover({ cidr }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid' });
    expect((err as Error).message).toMatch(message);
    expect(sweeper.batches).toEqual([]);
  });

  it('runs one discovery at a time: a second one is a conflict, and the lock is released afterwards', async () => {
    const { service, sweeper } = setUp({ alive: { '192.0.2.1': 1 } });
    let open!: () => void;
    sweeper.gate = new Promise((r) => (open = r));
    const first = service.discover({ cidr: '192.0.2.0/30' });
    expect(service.isRunning).toBe(true);
    await expect(service.discover({ cidr: '192.0.2.0/30' })).rejects.toMatchObject({ code: 'conflict' });
    open();
    await expect(first).resolves.toMatchObject({ answered: 1 });
    expect(service.isRunning).toBe(false);
    await expect(service.discover({ cidr: '192.0.2.0/30' })).resolves.toMatchObject({ answered: 1 });
  });

  it('releases the lock when the sweep fails', async () => {
    const { service, sweeper } = setUp({});
    sweeper.gate = Promise.reject(new Error('boom'));
    await expect(service.discover({ cidr: '192.0.2.0/30' })).rejects.toThrow('boom');
    expect(service.isRunning).toBe(false);
  });

  it('stops reading SNMP at the time limit and reports the discovery incomplete', async () => {
    const alive = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`192.0.2.${i + 1}`, 1]));
    const agents = Object.fromEntries(Object.keys(alive).map((h) => [h, LINUX]));
    // Each fake SNMP read advances the clock 1 s; the limit is 3.5 s with one host at a time.
    const { service, snmp } = setUp({ alive, agents, options: { timeLimitMs: 3500, snmpConcurrency: 1 } });
    const result = await service.discover({ cidr: '192.0.2.0/28', snmp: { version: '2c', community: 'c' } });
    expect(snmp.targets).toHaveLength(4);
    expect(result.complete).toBe(false);
    expect(result.snmpAnswered).toBe(4);
    expect(result.answered).toBe(10);
    expect(result.devices).toHaveLength(10);
    expect(result.notes.join()).toMatch(/time limit/);
    expect(snmp.closed).toBe(1);
  });

  it('does not wait past the time limit for an agent that never answers', async () => {
    const { service } = setUp({
      alive: { '192.0.2.1': 1 },
      agents: { '192.0.2.1': 'hang' },
      options: { timeLimitMs: 300 }, // the read never settles: the 300 ms deadline timer ends it
    });
    const result = await service.discover({ cidr: '192.0.2.0/30', snmp: { version: '2c', community: 'c' } });
    expect(result.complete).toBe(false);
    expect(result.devices[0]).not.toHaveProperty('sysName');
  });
});

describe('toCredentials', () => {
  it('maps v2c and v3 with the port', () => {
    expect(toCredentials({ version: '2c', community: 'x' }, undefined)).toEqual({
      version: '2c',
      community: 'x',
      port: 161,
    });
    expect(
      toCredentials({ version: '3', username: 'u', authProtocol: 'sha', authKey: 'k'.repeat(8) }, 1161),
    ).toMatchObject({ version: '3', username: 'u', authKey: 'kkkkkkkk', port: 1161 });
  });

  it('rejects fields of the other version, naming them', () => {
    expect(() => toCredentials({ version: '2c', community: 'x', username: 'u' }, undefined)).toThrow(
      'snmp.username is only for version 3',
    );
    expect(() => toCredentials({ version: '3', username: 'u', community: 'x' }, undefined)).toThrow(/snmp\.community/);
    expect(() => toCredentials({ version: '3', username: 'u', privKey: 'p'.repeat(8) }, undefined)).toThrow(/^snmp: /);
  });
});

describe('suggestName', () => {
  it('uses sysName, else kind and address, and never repeats a taken name', () => {
    const taken = new Set(['edge', 'edge-192-0-2-2']);
    expect(suggestName('192.0.2.1', 'router', 'gw', taken)).toBe('gw');
    expect(suggestName('192.0.2.9', 'switch', undefined, taken)).toBe('switch-192-0-2-9');
    expect(suggestName('192.0.2.1', 'router', 'edge', taken)).toBe('edge-192-0-2-1');
    expect(suggestName('192.0.2.2', 'router', 'edge', taken)).toBe('edge-192-0-2-2-2');
    expect(suggestName('192.0.2.3', 'router', 'gw', taken)).toBe('gw-192-0-2-3');
    expect(suggestName('192.0.2.4', 'router', 'n'.repeat(200), new Set()).length).toBe(128);
  });
});
