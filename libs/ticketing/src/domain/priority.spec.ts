import { computePriority, DEFAULT_PRIORITY_RULE, PriorityInput, raisePriority } from './priority';

describe('computePriority', () => {
  it.each<[string, PriorityInput, string]>([
    [
      'critical WAN router down, 40 devices behind',
      { criticality: 'critical', faultType: 'device_down', descendants: 40 },
      'P1',
    ],
    [
      'critical server down, nothing behind',
      { criticality: 'critical', faultType: 'device_down', descendants: 0 },
      'P1',
    ],
    ['high switch down, 1 device behind', { criticality: 'high', faultType: 'device_down', descendants: 1 }, 'P1'],
    ['normal server down', { criticality: 'normal', faultType: 'device_down', descendants: 0 }, 'P2'],
    ['low device down', { criticality: 'low', faultType: 'device_down', descendants: 0 }, 'P3'],
    ['normal switch, 9 behind, packet loss', { criticality: 'normal', faultType: 'packet_loss', descendants: 9 }, 'P2'],
    ['normal device, packet loss', { criticality: 'normal', faultType: 'packet_loss', descendants: 0 }, 'P3'],
    ['normal device, high latency', { criticality: 'normal', faultType: 'high_latency', descendants: 0 }, 'P4'],
    ['one access-port interface', { criticality: 'normal', faultType: 'interface_down', descendants: 0 }, 'P4'],
    [
      'interface on a core router: no impact points',
      { criticality: 'critical', faultType: 'interface_down', descendants: 40 },
      'P2',
    ],
    ['reboot of a normal device', { criticality: 'normal', faultType: 'device_rebooted', descendants: 5 }, 'P4'],
  ])('%s → %s', (_case, input, expected) => {
    expect(computePriority(input).priority).toBe(expected);
  });

  it('explains the score', () => {
    expect(computePriority({ criticality: 'critical', faultType: 'device_down', descendants: 40 }).explanation).toBe(
      'critical device +3, device_down +3, 40 devices behind it +3 = 9 → P1',
    );
  });

  it('raises priority at each impact band', () => {
    const at = (descendants: number) =>
      computePriority({ criticality: 'low', faultType: 'device_down', descendants }).priority;
    expect([0, 1, 9, 10, 39, 40].map(at)).toEqual(['P3', 'P2', 'P2', 'P2', 'P2', 'P1']);
  });

  it('follows a configured rule', () => {
    const strict = {
      ...DEFAULT_PRIORITY_RULE,
      faultPoints: { ...DEFAULT_PRIORITY_RULE.faultPoints, interface_down: 5 },
    };
    expect(
      computePriority({ criticality: 'normal', faultType: 'interface_down', descendants: 0 }, strict).priority,
    ).toBe('P1');
  });
});

describe('raisePriority', () => {
  it.each([
    ['P3', 'P1', 'P1'],
    ['P2', 'P2', 'P2'],
    ['P1', 'P4', 'P1'],
  ] as const)('current %s, recomputed %s → %s', (current, recomputed, expected) => {
    expect(raisePriority(current, recomputed)).toBe(expected);
  });
});
