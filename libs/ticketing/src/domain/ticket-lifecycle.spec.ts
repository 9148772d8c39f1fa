import {
  AgentAction,
  allowedActions,
  applyAgentAction,
  autoCloseDue,
  isIllegalTransition,
  systemReopen,
  systemResolve,
  TICKET_STATUSES,
  TicketSource,
  TicketStatus,
} from './ticket-lifecycle';

/** Outcome of each action from each status, in TICKET_STATUSES order; '-' is refused. */
const MATRIX: Record<TicketSource, Record<AgentAction, (TicketStatus | '-')[]>> = {
  //          open            acknowledged    in_progress     resolved    closed
  auto: {
    acknowledge: ['acknowledged', '-', '-', '-', '-'],
    start: ['in_progress', 'in_progress', '-', '-', '-'],
    assign: ['open', 'acknowledged', 'in_progress', 'resolved', '-'],
    comment: ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'],
    resolve: ['resolved', 'resolved', 'resolved', '-', '-'],
    close: ['-', '-', '-', 'closed', '-'],
    reopen: ['-', '-', '-', 'open', '-'],
  },
  manual: {
    acknowledge: ['acknowledged', '-', '-', '-', '-'],
    start: ['in_progress', 'in_progress', '-', '-', '-'],
    assign: ['open', 'acknowledged', 'in_progress', 'resolved', '-'],
    comment: ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'],
    resolve: ['resolved', 'resolved', 'resolved', '-', '-'],
    close: ['closed', 'closed', 'closed', 'closed', '-'],
    reopen: ['-', '-', '-', 'open', '-'],
  },
  // a person's request by email is withdrawn like a manual ticket
  email: {
    acknowledge: ['acknowledged', '-', '-', '-', '-'],
    start: ['in_progress', 'in_progress', '-', '-', '-'],
    assign: ['open', 'acknowledged', 'in_progress', 'resolved', '-'],
    comment: ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'],
    resolve: ['resolved', 'resolved', 'resolved', '-', '-'],
    close: ['closed', 'closed', 'closed', 'closed', '-'],
    reopen: ['-', '-', '-', 'open', '-'],
  },
};

const cases = (Object.keys(MATRIX) as TicketSource[]).flatMap((source) =>
  (Object.keys(MATRIX[source]) as AgentAction[]).flatMap((action) =>
    TICKET_STATUSES.map((status, i) => [source, action, status, MATRIX[source][action][i]] as const),
  ),
);

describe('applyAgentAction', () => {
  it.each(cases)('%s ticket: %s from %s → %s', (source, action, status, expected) => {
    const result = applyAgentAction(action, { status, source });
    if (expected === '-') {
      expect(result).toEqual({
        code: 'illegal_transition',
        message: `cannot ${action} a ${status} ${source} ticket`,
        action,
        status,
      });
    } else {
      expect(result).toBe(expected);
    }
  });

  it('tells a refusal from a status', () => {
    expect(isIllegalTransition(applyAgentAction('reopen', { status: 'closed', source: 'auto' }))).toBe(true);
    expect(isIllegalTransition(applyAgentAction('reopen', { status: 'resolved', source: 'auto' }))).toBe(false);
  });
});

describe('allowedActions', () => {
  it.each([
    ['auto', 'open', ['acknowledge', 'start', 'assign', 'comment', 'resolve']],
    ['auto', 'resolved', ['assign', 'comment', 'close', 'reopen']],
    ['manual', 'in_progress', ['assign', 'comment', 'resolve', 'close']],
    ['auto', 'closed', ['comment']],
  ] as const)('%s %s ticket: %j', (source, status, expected) => {
    expect(allowedActions({ source, status })).toEqual(expected);
  });

  it("leaves out resolve while an auto ticket's fault lasts (it resolves by itself on recovery)", () => {
    expect(allowedActions({ source: 'auto', status: 'acknowledged', faultActive: true })).toEqual([
      'start',
      'assign',
      'comment',
    ]);
    expect(allowedActions({ source: 'manual', status: 'open', faultActive: true })).toContain('resolve');
  });
});

describe('systemResolve', () => {
  it.each([
    ['open', 'resolved'],
    ['acknowledged', 'resolved'],
    ['in_progress', 'resolved'],
    ['resolved', null],
    ['closed', null],
  ] as const)('recovery of a %s ticket → %s', (status, expected) => {
    expect(systemResolve({ status })).toBe(expected);
  });
});

describe('systemReopen', () => {
  it('reopens a resolved ticket and counts the occurrence', () => {
    expect(systemReopen({ status: 'resolved', occurrences: 2 })).toEqual({ status: 'open', occurrences: 3 });
  });

  it.each(['open', 'acknowledged', 'in_progress', 'closed'] as const)('leaves a %s ticket alone', (status) => {
    expect(systemReopen({ status, occurrences: 1 })).toBeNull();
  });
});

describe('autoCloseDue', () => {
  const resolvedAt = new Date('2025-06-01T12:00:00Z');
  const at = (iso: string) => new Date(`2025-06-01T${iso}Z`);

  it.each([
    ['resolved, 59 min stable', 'resolved', '12:59:59', undefined, false],
    ['resolved, 1 h stable', 'resolved', '13:00:00', undefined, true],
    ['resolved, configured 10 min', 'resolved', '12:10:00', 600, true],
    ['reopened by a recurrence', 'open', '14:00:00', undefined, false],
    ['already closed', 'closed', '14:00:00', undefined, false],
  ] as const)('%s → %s', (_case, status, now, stableSeconds, expected) => {
    expect(autoCloseDue({ status, resolvedAt }, at(now), stableSeconds)).toBe(expected);
  });
});
