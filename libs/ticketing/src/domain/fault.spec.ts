import { FaultChange, faultEffects, faultKey, FaultType } from './fault';

const dev = (faultType: FaultType) => ({ faultType, ifIndex: null });
const ifDown = (ifIndex: number) => ({ faultType: 'interface_down' as const, ifIndex });

describe('faultEffects: device status', () => {
  it.each<[string, FaultChange, FaultType[], FaultType[]]>([
    ['down', { kind: 'device_status', to: 'down' }, ['device_down'], ['high_latency', 'packet_loss']],
    ['back up', { kind: 'device_status', to: 'up' }, [], ['device_down', 'high_latency', 'packet_loss']],
    [
      'degraded by latency',
      { kind: 'device_status', to: 'degraded', causes: ['latency'] },
      ['high_latency'],
      ['device_down', 'packet_loss'],
    ],
    [
      'degraded by loss and latency',
      { kind: 'device_status', to: 'degraded', causes: ['loss', 'latency'] },
      ['packet_loss', 'high_latency'],
      ['device_down'],
    ],
    [
      'degraded by snmp and an interface only',
      { kind: 'device_status', to: 'degraded', causes: ['snmp', 'interface'] },
      [],
      ['device_down', 'high_latency', 'packet_loss'],
    ],
    ['unreachable behind a down parent', { kind: 'device_status', to: 'unreachable' }, [], []],
    ['unknown', { kind: 'device_status', to: 'unknown' }, [], []],
  ])('%s', (_case, change, opens, clears) => {
    expect(faultEffects(change)).toEqual({ opens: opens.map(dev), clears: clears.map(dev) });
  });
});

describe('faultEffects: interfaces, reboots, flapping', () => {
  it.each<[string, FaultChange, ReturnType<typeof faultEffects>]>([
    [
      'monitored interface down',
      { kind: 'interface_status', ifIndex: 3, to: 'down', monitored: true },
      { opens: [ifDown(3)], clears: [] },
    ],
    [
      'lowerLayerDown',
      { kind: 'interface_status', ifIndex: 4, to: 'lowerLayerDown' },
      { opens: [ifDown(4)], clears: [] },
    ],
    [
      'unmonitored interface down',
      { kind: 'interface_status', ifIndex: 5, to: 'down', monitored: false },
      { opens: [], clears: [] },
    ],
    [
      'interface back up',
      { kind: 'interface_status', ifIndex: 3, to: 'up', monitored: true },
      { opens: [], clears: [ifDown(3)] },
    ],
    ['interface dormant', { kind: 'interface_status', ifIndex: 3, to: 'dormant' }, { opens: [], clears: [] }],
    [
      'reboot: opened and cleared at once',
      { kind: 'device_rebooted' },
      { opens: [dev('device_rebooted')], clears: [dev('device_rebooted')] },
    ],
    ['flapping', { kind: 'flapping' }, { opens: [], clears: [] }],
  ])('%s', (_case, change, expected) => {
    expect(faultEffects(change)).toEqual(expected);
  });
});

describe('faultKey', () => {
  it('tells faults apart by device, type and interface', () => {
    const keys = [
      faultKey('d1', dev('device_down')),
      faultKey('d2', dev('device_down')),
      faultKey('d1', dev('packet_loss')),
      faultKey('d1', ifDown(1)),
      faultKey('d1', ifDown(2)),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(faultKey('d1', ifDown(1))).toBe(faultKey('d1', { faultType: 'interface_down', ifIndex: 1 }));
  });
});
