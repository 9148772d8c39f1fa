import { MonitoringRepository } from '../../libs/monitoring/src/polling/monitoring.repository';
import type { InterfaceReading } from '../../libs/monitoring/src/polling/poll-engine.types';
import { contextPorts } from './context-ports';
import { at, mediumSuite } from './medium-database';

const reading = (ifIndex: number, overrides: Partial<InterfaceReading> = {}): InterfaceReading => ({
  ifIndex,
  name: `ge-0/0/${ifIndex}`,
  alias: `uplink ${ifIndex}`,
  ifType: 6,
  adminStatus: 'up',
  operStatus: 'up',
  speedBps: 1_000_000_000,
  inBps: 1000,
  outBps: 2000,
  inErrors: 0,
  outErrors: 0,
  inDiscards: 0,
  outDiscards: 0,
  counterBits: 64,
  monitored: true,
  flapping: false,
  ...overrides,
});

describe('MonitoringRepository (medium: real PostgreSQL, real migrations)', () => {
  const s = mediumSuite('monitoring', (ds) => new MonitoringRepository(ds, contextPorts(ds).deviceStatus));

  const device = async (id: string) =>
    (await s.db.dataSource.query(`SELECT * FROM devices WHERE id = $1`, [id]))[0] as Record<string, unknown>;

  it('commits changes in one transaction: device status, interface status, flapping, reboots, each in the history', async () => {
    const d = await s.r.device();
    const t = at('2026-01-01T10:00:00Z');
    const ids = await s.repo.commit([
      { kind: 'device_status', deviceId: d.id, from: 'unknown', to: 'down', reason: 'no reply', causes: [], at: t },
      {
        kind: 'interface_status',
        deviceId: d.id,
        ifIndex: 4,
        name: 'ge-0/0/4',
        alias: 'core',
        monitored: true,
        from: 'up',
        to: 'down',
        at: t,
      },
      { kind: 'flapping', deviceId: d.id, ifIndex: null, flapping: true, percentStateChange: 42.26, at: t },
      { kind: 'flapping', deviceId: d.id, ifIndex: 4, flapping: true, percentStateChange: 30, at: t },
      {
        kind: 'device_rebooted',
        deviceId: d.id,
        at: t,
        estimatedBootAt: at('2026-01-01T09:58:00Z'),
        reason: 'uptime went back',
      },
    ]);
    expect(ids).toHaveLength(5);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);

    expect(await device(d.id)).toMatchObject({
      status: 'down',
      status_since: t,
      status_reason: 'no reply',
      flapping: true,
    });
    const [iface] = await s.repo.interfacesOf([d.id]);
    expect(iface).toMatchObject({ ifIndex: 4, name: 'ge-0/0/4', alias: 'core', operStatus: 'down', flapping: true });

    const history = await s.repo.history(d.id, 10);
    expect(history.map((h) => h.kind)).toEqual([
      'device_rebooted',
      'flapping',
      'flapping',
      'interface_status',
      'device_status',
    ]);
    expect(history[4]).toMatchObject({
      fromStatus: 'unknown',
      toStatus: 'down',
      reason: 'no reply',
      detail: { causes: [] },
    });
    expect(history[3]).toMatchObject({ ifIndex: 4, reason: 'ge-0/0/4 (core) up → down' });
    expect(history[2]).toMatchObject({ toStatus: 'flapping', reason: '42.3% state change over the last 21 polls' });
    expect(history[0]).toMatchObject({ detail: { estimatedBootAt: '2026-01-01T09:58:00.000Z' } });
    expect(await s.repo.history(d.id, 2)).toHaveLength(2);
  });

  it('rolls the whole commit back when one change fails', async () => {
    const d = await s.r.device();
    const t = at('2026-01-02T10:00:00Z');
    await expect(
      s.repo.commit([
        { kind: 'device_status', deviceId: d.id, from: 'unknown', to: 'up', reason: null, causes: [], at: t },
        // a device that does not exist: the history row breaks its foreign key
        {
          kind: 'device_rebooted',
          deviceId: '00000000-0000-4000-8000-000000000000',
          at: t,
          estimatedBootAt: t,
          reason: 'x',
        },
      ]),
    ).rejects.toThrow();
    expect(await device(d.id)).toMatchObject({ status: 'unknown' });
    expect(await s.repo.history(d.id, 10)).toEqual([]);
  });

  it('writes the last polls of many devices in one statement, keeping system fields it did not learn', async () => {
    const a = await s.r.device();
    const b = await s.r.device();
    const t = at('2026-01-03T10:00:00Z');
    await s.repo.writeLastPolls([
      {
        deviceId: a.id,
        at: t,
        rttMs: 1.5,
        lossPct: 0,
        sysName: 'core-a',
        sysDescr: 'JunOS',
        sysObjectId: '1.3.6.1.4.1.2636',
        uptimeSec: 100,
      },
      {
        deviceId: b.id,
        at: t,
        rttMs: null,
        lossPct: 100,
        sysName: null,
        sysDescr: null,
        sysObjectId: null,
        uptimeSec: null,
      },
    ]);
    await s.repo.writeLastPolls([
      {
        deviceId: a.id,
        at: at('2026-01-03T10:01:00Z'),
        rttMs: 2,
        lossPct: 0,
        sysName: null,
        sysDescr: null,
        sysObjectId: null,
        uptimeSec: null,
      },
    ]);
    expect(await device(a.id)).toMatchObject({
      last_poll_at: at('2026-01-03T10:01:00Z'),
      last_rtt_ms: 2,
      sys_name: 'core-a',
      sys_descr: 'JunOS',
      sys_object_id: '1.3.6.1.4.1.2636',
      uptime_sec: '100',
    });
    expect(await device(b.id)).toMatchObject({
      last_poll_at: t,
      last_rtt_ms: null,
      last_loss_pct: 100,
      sys_name: null,
    });
    await s.repo.writeLastPolls([]); // nothing to do
  });

  it('upserts interfaces, keeps oper_since while the status holds, and drops interfaces a device no longer has', async () => {
    const d = await s.r.device();
    const other = await s.r.device();
    const t1 = at('2026-01-04T10:00:00Z');
    const t2 = at('2026-01-04T10:01:00Z');
    await s.repo.writeInterfaces(
      new Map([
        [d.id, { at: t1, readings: [reading(1), reading(2)] }],
        [other.id, { at: t1, readings: [reading(9)] }],
      ]),
    );
    await s.repo.writeInterfaces(
      new Map([[d.id, { at: t2, readings: [reading(1, { inBps: 5000 }), reading(3, { operStatus: 'down' })] }]]),
    );
    const ifaces = await s.repo.interfacesOf([d.id]);
    expect(ifaces.map((i) => i.ifIndex)).toEqual([1, 3]);
    expect(ifaces[0]).toMatchObject({ operSince: t1, inBps: 5000 });
    expect(ifaces[1]).toMatchObject({ operStatus: 'down', operSince: t2 });
    await s.repo.writeInterfaces(
      new Map([[d.id, { at: at('2026-01-04T10:02:00Z'), readings: [reading(1, { operStatus: 'down' })] }]]),
    );
    expect(await s.repo.interfacesOf([d.id])).toEqual([
      expect.objectContaining({ ifIndex: 1, operStatus: 'down', operSince: at('2026-01-04T10:02:00Z') }),
    ]);
    expect((await s.repo.interfacesOf([other.id])).map((i) => i.ifIndex)).toEqual([9]);
    // a device polled with no interfaces loses them all
    await s.repo.writeInterfaces(new Map([[other.id, { at: t2, readings: [] }]]));
    expect(await s.repo.interfacesOf([other.id])).toEqual([]);
    expect((await contextPorts(s.db.dataSource).interfaces.all()).some((i) => i.deviceId === d.id)).toBe(true);
  });

  it('updates an interface’s settings (only those given), and says when the interface does not exist', async () => {
    const d = await s.r.device();
    await s.repo.writeInterfaces(new Map([[d.id, { at: at('2026-01-05T10:00:00Z'), readings: [reading(7)] }]]));
    expect(
      await s.repo.updateInterfaceSettings(d.id, 7, { monitored: false, provider: 'Acme', capacityBps: 1e8 }),
    ).toBe(true);
    expect((await s.repo.interfacesOf([d.id]))[0]).toMatchObject({
      monitoredOverride: false,
      provider: 'Acme',
      capacityBps: 1e8,
    });
    expect(await s.repo.updateInterfaceSettings(d.id, 7, { monitored: null })).toBe(true);
    expect((await s.repo.interfacesOf([d.id]))[0]).toMatchObject({ monitoredOverride: null, provider: 'Acme' });
    expect(await s.repo.updateInterfaceSettings(d.id, 7, {})).toBe(true);
    expect(await s.repo.updateInterfaceSettings(d.id, 8, { monitored: true })).toBe(false);
    expect(await s.repo.updateInterfaceSettings(d.id, 8, {})).toBe(false);
  });
});
