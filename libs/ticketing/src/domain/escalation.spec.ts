import {
  DEFAULT_ESCALATION_POLICY,
  dueEscalations,
  EscalationPolicy,
  nextEscalation,
  notifyAtOpen,
  validateEscalationPolicy,
} from './escalation';

const openedAt = new Date('2025-06-01T12:00:00Z');
const after = (seconds: number) => new Date(openedAt.getTime() + seconds * 1000);

const threeSteps: EscalationPolicy = {
  steps: [
    { delaySeconds: 0, notify: ['noc@example.com'] },
    { delaySeconds: 600, team: 'network' },
    { delaySeconds: 1800 },
  ],
};
const repeating: EscalationPolicy = {
  steps: [{ delaySeconds: 300 }, { delaySeconds: 900 }],
  repeat: true,
  maxRepeats: 2,
};

describe('validateEscalationPolicy', () => {
  it('accepts the default policy and well-formed ones', () => {
    expect(validateEscalationPolicy(DEFAULT_ESCALATION_POLICY)).toEqual([]);
    expect(validateEscalationPolicy(threeSteps)).toEqual([]);
    expect(validateEscalationPolicy(repeating)).toEqual([]);
  });

  it.each<[string, EscalationPolicy, string[]]>([
    ['no steps', { steps: [] }, ['steps']],
    ['too many steps', { steps: Array.from({ length: 21 }, (_, i) => ({ delaySeconds: i })) }, ['steps']],
    ['negative delay', { steps: [{ delaySeconds: -1 }] }, ['steps.0.delaySeconds']],
    ['fractional delay', { steps: [{ delaySeconds: 1.5 }] }, ['steps.0.delaySeconds']],
    ['equal delays', { steps: [{ delaySeconds: 60 }, { delaySeconds: 60 }] }, ['steps.1.delaySeconds']],
    [
      'decreasing delays',
      { steps: [{ delaySeconds: 0 }, { delaySeconds: 600 }, { delaySeconds: 300 }] },
      ['steps.2.delaySeconds'],
    ],
    ['empty notify target', { steps: [{ delaySeconds: 0, notify: ['a@x', ' '] }] }, ['steps.0.notify.1']],
    ['too many notify targets', { steps: [{ delaySeconds: 0, notify: Array(21).fill('a@x') }] }, ['steps.0.notify']],
    ['overlong team', { steps: [{ delaySeconds: 0, team: 'x'.repeat(101) }] }, ['steps.0.team']],
    [
      'repeat from a zero delay',
      { steps: [{ delaySeconds: 0 }, { delaySeconds: 60 }], repeat: true },
      ['steps.0.delaySeconds'],
    ],
    ['unbounded repeats', { steps: [{ delaySeconds: 60 }], repeat: true, maxRepeats: 11 }, ['maxRepeats']],
  ])('rejects %s', (_case, policy, fields) => {
    const errors = validateEscalationPolicy(policy);
    expect(errors.map((e) => e.field)).toEqual(fields);
    errors.forEach((e) => expect(e.message.startsWith(`${e.field} `)).toBe(true));
  });
});

describe('nextEscalation', () => {
  it.each([
    [0, 0, { level: 1, offset: 0, due: true }],
    [1, 599, { level: 2, offset: 600, due: false }],
    [2, 1800, { level: 3, offset: 1800, due: true }],
  ])('after level %d at +%ds', (escalationLevel, nowOffset, expected) => {
    const next = nextEscalation(threeSteps, { openedAt, escalationLevel }, after(nowOffset));
    expect(
      next && { level: next.level, offset: (next.dueAt.getTime() - openedAt.getTime()) / 1000, due: next.due },
    ).toEqual(expected);
    expect(next?.step).toBe(threeSteps.steps[expected.level - 1]);
  });

  it('is exhausted after the last step without repeat', () => {
    expect(nextEscalation(threeSteps, { openedAt, escalationLevel: 3 }, after(99_999))).toBeNull();
  });

  it('repeats the cycle offset by its length, up to maxRepeats', () => {
    const offsets = dueEscalations(repeating, openedAt, 0, after(86_400)).map(
      (e) => (e.dueAt.getTime() - openedAt.getTime()) / 1000,
    );
    // 1 cycle + 2 repeats, each 900 s (the last delay) after the one before: 300, 900 | 1200, 1800 | 2100, 2700
    expect(offsets).toEqual([300, 900, 1200, 1800, 2100, 2700]);
    expect(nextEscalation(repeating, { openedAt, escalationLevel: 6 }, after(86_400))).toBeNull();
  });

  it('repeats three times by default', () => {
    const policy = { steps: [{ delaySeconds: 60 }], repeat: true };
    expect(dueEscalations(policy, openedAt, 0, after(86_400)).map((e) => e.level)).toEqual([1, 2, 3, 4]);
  });
});

describe('dueEscalations', () => {
  it.each([
    ['nothing due yet', 1, -1, []],
    ['the first step at opening', 0, 0, [1]],
    ['a service down for an hour catches up every missed step once, in order', 0, 3600, [1, 2, 3]],
    ['steps already done are not repeated', 2, 3600, [3]],
    ['all done', 3, 3600, []],
  ])('%s', (_case, doneLevel, nowOffset, levels) => {
    expect(dueEscalations(threeSteps, openedAt, doneLevel, after(nowOffset)).map((e) => e.level)).toEqual(levels);
  });

  it('fires each step exactly once when polled every minute', () => {
    const fired: number[] = [];
    let level = 0;
    for (let t = 0; t <= 7200; t += 60) {
      const due = dueEscalations(repeating, openedAt, level, after(t));
      fired.push(...due.map((e) => e.level));
      level = due.at(-1)?.level ?? level;
    }
    expect(fired).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('notifyAtOpen', () => {
  it.each([
    ['P1', true],
    ['P2', false],
    ['P4', false],
  ] as const)('%s → %s', (priority, expected) => {
    expect(notifyAtOpen(priority)).toBe(expected);
  });
});
