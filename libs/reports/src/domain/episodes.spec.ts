import { buildEpisodes, episodeEffects, HistoryChange } from './episodes';

const t = (min: number) => new Date(Date.UTC(2026, 5, 1, 8, min));
const dev = (to: string, causes: string[] = []): HistoryChange => ({
  kind: 'device_status',
  toStatus: to,
  ifIndex: null,
  detail: { causes },
});
const row = (c: HistoryChange, min: number, deviceId = 'd1') => ({ ...c, deviceId, at: t(min) });

describe('episodeEffects', () => {
  it('reads a device status as the whole state of its device-level faults', () => {
    expect(episodeEffects(dev('down')).starts).toEqual([{ faultType: 'device_down', ifIndex: null }]);
    expect(episodeEffects(dev('degraded', ['latency', 'snmp'])).starts).toEqual([
      { faultType: 'high_latency', ifIndex: null },
    ]);
    expect(episodeEffects(dev('up')).ends.map((f) => f.faultType)).toEqual([
      'device_down',
      'high_latency',
      'packet_loss',
    ]);
  });

  it('ends device-level episodes when the device becomes unreachable, and ignores unknown', () => {
    expect(episodeEffects(dev('unreachable')).ends).toHaveLength(3);
    expect(episodeEffects(dev('unknown'))).toEqual({ starts: [], ends: [], instants: [] });
  });

  it('opens interface episodes only for monitored interfaces going down', () => {
    const iface = (to: string, monitored?: boolean): HistoryChange => ({
      kind: 'interface_status',
      toStatus: to,
      ifIndex: 3,
      detail: { monitored },
    });
    expect(episodeEffects(iface('lowerLayerDown', true)).starts).toEqual([{ faultType: 'interface_down', ifIndex: 3 }]);
    expect(episodeEffects(iface('down', false)).starts).toEqual([]);
    expect(episodeEffects(iface('up')).ends).toEqual([{ faultType: 'interface_down', ifIndex: 3 }]);
    expect(episodeEffects(iface('testing')).ends).toEqual([]);
  });
});

describe('buildEpisodes', () => {
  it('builds down→…→up as one episode, repeated downs do not restart it, reboots are zero-length', () => {
    const episodes = buildEpisodes([
      row(dev('down'), 0),
      row(dev('down'), 1),
      row(dev('up'), 5),
      row({ kind: 'device_rebooted', toStatus: null, ifIndex: null }, 6),
      row(dev('degraded', ['loss']), 10),
    ]);
    expect(episodes).toEqual([
      { deviceId: 'd1', faultType: 'device_down', ifIndex: null, startedAt: t(0), endedAt: t(5) },
      { deviceId: 'd1', faultType: 'device_rebooted', ifIndex: null, startedAt: t(6), endedAt: t(6) },
      { deviceId: 'd1', faultType: 'packet_loss', ifIndex: null, startedAt: t(10), endedAt: null },
    ]);
  });

  it('switches latency to loss as two episodes, and down ends them', () => {
    const episodes = buildEpisodes([
      row(dev('degraded', ['latency']), 0),
      row(dev('degraded', ['loss']), 2),
      row(dev('down'), 4),
      row(dev('unreachable'), 7),
    ]);
    expect(episodes.map((e) => [e.faultType, e.startedAt, e.endedAt])).toEqual([
      ['high_latency', t(0), t(2)],
      ['packet_loss', t(2), t(4)],
      ['device_down', t(4), t(7)],
    ]);
  });
});
