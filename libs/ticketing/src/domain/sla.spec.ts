import { DEFAULT_SLA_TARGETS, SlaKind, slaBreaches, slaDueTimes } from './sla';

const openedAt = new Date('2025-06-01T12:00:00Z');
const at = (minutes: number) => new Date(openedAt.getTime() + minutes * 60_000);

describe('slaDueTimes', () => {
  it.each([
    ['P1', 5, 60],
    ['P2', 15, 240],
    ['P3', 60, 1440],
    ['P4', 240, 4320],
  ] as const)('%s: acknowledge within %d min, resolve within %d min', (priority, ack, resolve) => {
    expect(slaDueTimes(priority, openedAt)).toEqual({ acknowledgeBy: at(ack), resolveBy: at(resolve) });
  });

  it('follows configured targets', () => {
    const targets = { ...DEFAULT_SLA_TARGETS, P1: { acknowledgeSeconds: 60, resolveSeconds: 600 } };
    expect(slaDueTimes('P1', openedAt, targets)).toEqual({ acknowledgeBy: at(1), resolveBy: at(10) });
  });
});

describe('slaBreaches (P1: ack 5 min, resolve 60 min)', () => {
  it.each<[string, { ack?: number; resolved?: number; recorded?: SlaKind[] }, number, SlaKind[]]>([
    ['unacknowledged at 5 min: on time', {}, 5, []],
    ['unacknowledged past 5 min', {}, 5.01, ['ack']],
    ['acknowledged at 4 min, open at 30 min', { ack: 4 }, 30, []],
    ['acknowledged late, seen later', { ack: 7 }, 30, ['ack']],
    ['ack breach already recorded', { ack: 7, recorded: ['ack'] }, 30, []],
    ['unresolved past 1 h, ack recorded', { ack: 7, recorded: ['ack'] }, 61, ['resolve']],
    ['both overdue at once after a stop of the service', {}, 120, ['ack', 'resolve']],
    ['auto-resolved within 3 min: acknowledge target met too', { resolved: 3 }, 600, []],
    ['resolved late without acknowledgement', { resolved: 70 }, 600, ['ack', 'resolve']],
    ['everything recorded', { recorded: ['ack', 'resolve'] }, 600, []],
  ])('%s', (_case, t, now, expected) => {
    const breaches = slaBreaches(
      {
        priority: 'P1',
        openedAt,
        acknowledgedAt: t.ack === undefined ? null : at(t.ack),
        resolvedAt: t.resolved === undefined ? undefined : at(t.resolved),
        alreadyRecorded: new Set(t.recorded),
      },
      at(now),
    );
    expect(breaches.map((b) => b.kind)).toEqual(expected);
  });

  it('dates a breach at the moment the target passed', () => {
    expect(slaBreaches({ priority: 'P2', openedAt, alreadyRecorded: new Set() }, at(300))).toEqual([
      { kind: 'ack', dueAt: at(15) },
      { kind: 'resolve', dueAt: at(240) },
    ]);
  });
});
