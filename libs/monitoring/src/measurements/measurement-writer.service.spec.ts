import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MetricsService } from '@netdesk/observability';
import { MeasurementRepository } from './measurement.repository';
import { MeasurementWriter, MeasurementWriterOptions } from './measurement-writer.service';
import { DeviceSampleRow, InterfaceSampleRow } from './measurement.types';

/** A repository that stores batches in memory, and can be told to fail like a database that is down. */
class FakeRepository {
  devices: DeviceSampleRow[][] = [];
  interfaces: InterfaceSampleRow[][] = [];
  down = false;
  knownDevices?: Set<string>;

  async insertDeviceSamples(rows: DeviceSampleRow[]): Promise<number> {
    if (this.down) throw new Error('connection refused');
    const stored = rows.filter((r) => !this.knownDevices || this.knownDevices.has(r.deviceId));
    this.devices.push(stored);
    return stored.length;
  }

  async insertInterfaceSamples(rows: InterfaceSampleRow[]): Promise<number> {
    if (this.down) throw new Error('connection refused');
    this.interfaces.push(rows);
    return rows.length;
  }
}

const AT = new Date('2026-03-10T12:00:00Z');
const iface = (ifIndex: number) => ({
  ifIndex,
  inBps: 1000,
  outBps: 2000,
  inErrors: 0,
  outErrors: 0.5,
  inDiscards: null,
  outDiscards: null,
});

function setup(options: Partial<MeasurementWriterOptions> = {}) {
  const repo = new FakeRepository();
  const registry = new Registry();
  const writer = new MeasurementWriter(repo as unknown as MeasurementRepository, { registry } as MetricsService, {
    flushAtRows: 1_000_000,
    ...options,
  });
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    const v = (m?.values as { value: number; labels: Record<string, string> }[] | undefined)?.find((x) =>
      Object.entries(labels).every(([k, l]) => x.labels[k] === l),
    );
    return v?.value ?? 0;
  };
  return { repo, writer, metric, registry };
}

describe('MeasurementWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  it('buffers without touching the database until flushed, then writes everything in one batch per kind', async () => {
    const { repo, writer, metric, registry } = setup();
    for (let i = 0; i < 3; i++) writer.recordDevice({ deviceId: 'd1', at: new Date(AT.getTime() + i), rttMs: i });
    writer.recordInterfaces('d1', AT, [iface(1), iface(2)]);
    expect(repo.devices).toEqual([]);
    expect(writer.buffered).toEqual({ device: 3, interface: 2 });
    await writer.flush();
    expect(repo.devices.map((b) => b.length)).toEqual([3]);
    expect(repo.interfaces.map((b) => b.length)).toEqual([2]);
    expect(repo.devices[0][1]).toEqual({
      deviceId: 'd1',
      at: new Date(AT.getTime() + 1),
      rttMs: 1,
      lossPct: null,
      jitterMs: null,
      cpuPct: null,
      memPct: null,
    });
    expect(writer.buffered).toEqual({ device: 0, interface: 0 });
    expect(await metric('netdesk_measurement_rows_written_total', { kind: 'device' })).toBe(3);
    expect(await metric('netdesk_measurement_rows_written_total', { kind: 'interface' })).toBe(2);
    const flushes = await registry.getSingleMetric('netdesk_measurement_flush_duration_seconds')!.get();
    const values = flushes.values as { metricName?: string; value: number }[];
    expect(values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(1);
  });

  it('splits a large buffer into batches of at most batchRows', async () => {
    const { repo, writer } = setup({ batchRows: 4 });
    for (let i = 0; i < 10; i++) writer.recordDevice({ deviceId: 'd1', at: new Date(AT.getTime() + i) });
    await writer.flush();
    expect(repo.devices.map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it('starts a flush by itself once flushAtRows samples wait', async () => {
    const { repo, writer } = setup({ flushAtRows: 5 });
    writer.recordInterfaces('d1', AT, [1, 2, 3, 4].map(iface));
    expect(repo.interfaces).toEqual([]);
    writer.recordDevice({ deviceId: 'd1', at: AT });
    await writer.flush();
    expect(repo.interfaces.flat()).toHaveLength(4);
    expect(repo.devices.flat()).toHaveLength(1);
  });

  it('keeps samples buffered while the database is down and writes them once it is back', async () => {
    const { repo, writer, metric } = setup();
    repo.down = true;
    writer.recordDevice({ deviceId: 'd1', at: AT, rttMs: 1 });
    await writer.flush();
    expect(writer.buffered.device).toBe(1);
    expect(await metric('netdesk_measurement_flush_failures_total')).toBe(1);
    writer.recordDevice({ deviceId: 'd1', at: new Date(AT.getTime() + 1000), rttMs: 2 });
    repo.down = false;
    await writer.flush();
    expect(repo.devices.flat().map((r) => r.rttMs)).toEqual([1, 2]);
  });

  it('holds at most the configured rows while the database is down, dropping the oldest and counting them', async () => {
    const { repo, writer, metric } = setup({ maxBufferedDeviceRows: 3 });
    repo.down = true;
    for (let i = 1; i <= 5; i++) writer.recordDevice({ deviceId: 'd1', at: new Date(AT.getTime() + i), rttMs: i });
    await writer.flush();
    expect(writer.buffered.device).toBe(3);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'device', reason: 'buffer_full' })).toBe(2);
    repo.down = false;
    await writer.flush();
    expect(repo.devices.flat().map((r) => r.rttMs)).toEqual([3, 4, 5]);
  });

  it('counts samples the database skipped (device deleted meanwhile) as rejected', async () => {
    const { repo, writer, metric } = setup();
    repo.knownDevices = new Set(['d1']);
    writer.recordDevice({ deviceId: 'd1', at: AT });
    writer.recordDevice({ deviceId: 'gone', at: AT });
    await writer.flush();
    expect(await metric('netdesk_measurement_rows_written_total', { kind: 'device' })).toBe(1);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'device', reason: 'rejected' })).toBe(1);
  });

  it('stores non-finite numbers as null and rejects samples without a valid time or ifIndex', async () => {
    const { repo, writer, metric } = setup();
    writer.recordDevice({ deviceId: 'd1', at: AT, rttMs: NaN, lossPct: Infinity, cpuPct: 12.5 });
    writer.recordDevice({ deviceId: 'd1', at: new Date('nonsense') });
    writer.recordInterfaces('d1', AT, [iface(-1), iface(7)]);
    await writer.flush();
    expect(repo.devices.flat()).toEqual([expect.objectContaining({ rttMs: null, lossPct: null, cpuPct: 12.5 })]);
    expect(repo.interfaces.flat().map((r) => r.ifIndex)).toEqual([7]);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'device', reason: 'invalid' })).toBe(1);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'interface', reason: 'invalid' })).toBe(1);
  });

  it('drops a batch the database refuses as bad data instead of retrying it forever', async () => {
    const { repo, writer, metric } = setup();
    repo.insertDeviceSamples = async () => {
      throw Object.assign(new Error('value out of range'), { code: '22003' });
    };
    writer.recordDevice({ deviceId: 'd1', at: AT });
    writer.recordInterfaces('d1', AT, [iface(1)]);
    await writer.flush();
    expect(writer.buffered).toEqual({ device: 0, interface: 0 });
    expect(repo.interfaces.flat()).toHaveLength(1);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'device', reason: 'invalid' })).toBe(1);
  });

  it('shares one flush between concurrent callers', async () => {
    const { repo, writer } = setup();
    writer.recordDevice({ deviceId: 'd1', at: AT });
    await Promise.all([writer.flush(), writer.flush(), writer.flush()]);
    expect(repo.devices).toHaveLength(1);
  });

  it('flushes what is buffered when the module is destroyed', async () => {
    const { repo, writer } = setup({ flushIntervalMs: 60_000 });
    writer.onModuleInit();
    writer.recordInterfaces('d1', AT, [iface(1)]);
    await writer.onModuleDestroy();
    expect(repo.interfaces.flat()).toHaveLength(1);
  });

  it('reports what it could not write at shutdown as dropped', async () => {
    const { repo, writer, metric } = setup();
    writer.onModuleInit();
    repo.down = true;
    writer.recordDevice({ deviceId: 'd1', at: AT });
    await writer.onModuleDestroy();
    expect(writer.buffered.device).toBe(0);
    expect(await metric('netdesk_measurement_rows_dropped_total', { kind: 'device', reason: 'shutdown' })).toBe(1);
  });
});
