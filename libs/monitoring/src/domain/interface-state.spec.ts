import {
  adminStatusFromSnmp,
  downInterfaceLabels,
  InterfaceSelection,
  InterfaceSnapshot,
  interfaceTransitions,
  monitoredInterfaces,
  operStatusFromSnmp,
} from './interface-state';

const iface = (ifIndex: number, overrides: Partial<InterfaceSnapshot> = {}): InterfaceSnapshot => ({
  ifIndex,
  name: `Gi0/${ifIndex}`,
  alias: '',
  adminStatus: 'up',
  operStatus: 'up',
  ...overrides,
});
const noOverrides: InterfaceSelection = { include: [], exclude: [] };

describe('IF-MIB status mapping', () => {
  it.each([
    [1, 'up'],
    [2, 'down'],
    [3, 'testing'],
  ])('ifAdminStatus %d → %s', (value, expected) => {
    expect(adminStatusFromSnmp(value)).toBe(expected);
  });

  it.each([
    [1, 'up'],
    [2, 'down'],
    [3, 'testing'],
    [4, 'unknown'],
    [5, 'dormant'],
    [6, 'notPresent'],
    [7, 'lowerLayerDown'],
  ])('ifOperStatus %d → %s', (value, expected) => {
    expect(operStatusFromSnmp(value)).toBe(expected);
  });

  it.each([0, 4, 1.5, -1])('rejects ifAdminStatus %d', (value) => {
    expect(() => adminStatusFromSnmp(value)).toThrow('is not a valid ifAdminStatus');
  });

  it.each([0, 8])('rejects ifOperStatus %d', (value) => {
    expect(() => operStatusFromSnmp(value)).toThrow(RangeError);
  });
});

describe('monitoredInterfaces', () => {
  const walk = [
    iface(1, { alias: 'uplink to core' }),
    iface(2),
    iface(3, { alias: 'old server', adminStatus: 'down', operStatus: 'down' }),
    iface(4, { alias: '   ' }),
    iface(5, { alias: 'printer' }),
  ];

  it.each<[string, InterfaceSelection, number[]]>([
    ['by default, admin-up with a description', noOverrides, [1, 5]],
    ['plus explicitly included ones, whatever their state', { include: [2, 3], exclude: [] }, [1, 2, 3, 5]],
    ['minus excluded ones', { include: [], exclude: [5] }, [1]],
    ['exclusion wins over inclusion', { include: [2], exclude: [2] }, [1, 5]],
  ])('%s', (_case, selection, expected) => {
    expect(monitoredInterfaces(walk, selection).map((i) => i.ifIndex)).toEqual(expected);
  });
});

describe('downInterfaceLabels', () => {
  it('labels faulty monitored interfaces, ignoring unmonitored, admin-down and not-faulty ones', () => {
    const walk = [
      iface(1, { alias: 'uplink to core', operStatus: 'down' }),
      iface(2, { alias: 'wan', operStatus: 'lowerLayerDown' }),
      iface(3, { operStatus: 'notPresent' }),
      iface(4, { operStatus: 'down' }),
      iface(5, { alias: 'spare', adminStatus: 'down', operStatus: 'down' }),
      iface(6, { alias: 'isdn backup', operStatus: 'dormant' }),
      iface(7, { alias: 'lab', operStatus: 'testing' }),
    ];
    expect(downInterfaceLabels(walk, { include: [3, 5], exclude: [] })).toEqual([
      'Gi0/1 (uplink to core)',
      'Gi0/2 (wan)',
      'Gi0/3',
    ]);
  });
});

describe('interfaceTransitions', () => {
  const at = new Date('2025-06-01T12:00:00Z');

  it('reports operStatus changes on admin-up interfaces', () => {
    const previous = [iface(1), iface(2, { operStatus: 'down' }), iface(3)];
    const current = [iface(1, { operStatus: 'down' }), iface(2), iface(3)];
    expect(interfaceTransitions(previous, current, at)).toEqual([
      { ifIndex: 1, from: 'up', to: 'down', at },
      { ifIndex: 2, from: 'down', to: 'up', at },
    ]);
  });

  it.each<[string, InterfaceSnapshot, InterfaceSnapshot]>([
    ['shut down by an admin', iface(1), iface(1, { adminStatus: 'down', operStatus: 'down' })],
    ['brought up by an admin', iface(1, { adminStatus: 'down', operStatus: 'down' }), iface(1)],
    [
      'admin-down throughout',
      iface(1, { adminStatus: 'down', operStatus: 'down' }),
      iface(1, { adminStatus: 'down', operStatus: 'notPresent' }),
    ],
  ])('ignores an interface %s', (_case, before, after) => {
    expect(interfaceTransitions([before], [after], at)).toEqual([]);
  });

  it('ignores interfaces that appear or disappear between walks', () => {
    expect(interfaceTransitions([iface(1)], [iface(2, { operStatus: 'down' })], at)).toEqual([]);
  });
});
