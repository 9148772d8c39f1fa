import {
  circuitsSuffix,
  flappingStoppedSummary,
  lateNote,
  priorityRaisedMessage,
  recoveryMessage,
  reopenedMessage,
  titleOf,
} from './ticket-texts';

type Row = Parameters<typeof titleOf>[2];
const row = (over: Partial<Row> = {}): Row => ({
  kind: 'device_status',
  reason: null,
  toStatus: null,
  detail: null,
  ...over,
});
const device = { name: 'edge-rtr-2' };
const down = { faultType: 'device_down' as const, ifIndex: null };
const ifDown = { faultType: 'interface_down' as const, ifIndex: 3 };

describe('ticket texts', () => {
  it('titles a fault by its type, naming the interface by name and alias, else by ifIndex', () => {
    expect(titleOf(device, down, row())).toBe('edge-rtr-2 is down');
    expect(titleOf(device, ifDown, row({ detail: { name: 'Gi0/3', alias: 'uplink' } }))).toBe(
      'Interface Gi0/3 (uplink) down on edge-rtr-2',
    );
    expect(titleOf(device, ifDown, row())).toBe('Interface ifIndex 3 down on edge-rtr-2');
    expect(titleOf(device, { faultType: 'high_cpu', ifIndex: null }, row({ reason: 'CPU 97 % ≥ 90 %' }))).toBe(
      'edge-rtr-2: CPU 97 % ≥ 90 %',
    );
    expect(titleOf({ name: 'x'.repeat(300) }, down, row())).toHaveLength(200);
  });

  it('names circuits with provider, id, interface and alias', () => {
    expect(circuitsSuffix([])).toBe('');
    expect(
      circuitsSuffix([
        { provider: 'Acme', circuitId: 'C-1', name: 'Gi0/0', alias: 'WAN' },
        { provider: null, circuitId: 'C-2', name: 'Gi0/1', alias: '' },
      ]),
    ).toBe(' — circuit Acme C-1 on Gi0/0 (WAN), C-2 on Gi0/1');
  });

  it('says why a ticket was reopened or resolved', () => {
    expect(reopenedMessage(down, row({ reason: 'no reply' }), 3)).toBe('the fault is back (occurrence 3): no reply');
    expect(reopenedMessage(down, row(), 2)).toBe('the fault is back (occurrence 2): device_down');
    expect(recoveryMessage(device, { faultType: 'device_rebooted', ifIndex: null }, row())).toBe(
      'edge-rtr-2 is back after a reboot (sysUpTime reset)',
    );
    expect(recoveryMessage(device, ifDown, row({ detail: { name: 'Gi0/3' } }))).toBe('interface Gi0/3 is up again');
    expect(recoveryMessage(device, down, row({ kind: 'threshold', reason: null }))).toBe('recovered: edge-rtr-2');
    expect(recoveryMessage(device, down, row({ toStatus: 'up', reason: 'replies again' }))).toBe(
      'recovered: edge-rtr-2 is up (replies again)',
    );
  });

  it('notes a change learned 30 s or more after it happened', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    expect(lateNote({ at }, new Date(at.getTime() + 29_999))).toBeNull();
    expect(lateNote({ at }, new Date(at.getTime() + 95_400))).toEqual({
      at,
      type: 'learned_late',
      actor: 'system',
      message:
        'learned late: this happened at 2026-03-01T12:00:00.000Z and reached NetDesk 95 s later (its poller was cut off)',
    });
  });

  it('summarises impact and flapping', () => {
    expect(priorityRaisedMessage('P3', 'P1')).toBe('priority raised from P3 to P1: more devices are cut off');
    expect(flappingStoppedSummary(device, 4, true)).toBe(
      'edge-rtr-2 stopped flapping: 4 reopen(s) held while it flapped; the fault is recovered',
    );
    expect(flappingStoppedSummary(device, 0, false)).toContain('the fault is still present');
  });
});
