import { FakeClock } from '@netdesk/core';
import {
  DeviceState,
  DeviceStatus,
  evaluatePoll,
  Evaluation,
  PollObservation,
  reevaluateOnAncestorChange,
  StateMachineConfig,
} from './device-state-machine';

const healthy: PollObservation = {
  icmp: { reachable: true, lossPct: 0, rttMs: 2 },
  snmp: { answered: true },
  interfacesDown: [],
};
const silent: PollObservation = {
  icmp: { reachable: false, lossPct: 100, rttMs: null },
  snmp: { answered: false, error: 'request timed out' },
  interfacesDown: [],
};

function initialDeviceState(now: Date): DeviceState {
  return { status: 'unknown', statusSince: now, consecutiveFailures: 0, consecutiveSuccesses: 0, reason: null };
}

/** Polls a device through `observations`, 1 s apart, as the scheduler's fast re-check would. */
function run(
  observations: PollObservation[],
  options: { from?: DeviceState; ancestorDown?: boolean; config?: StateMachineConfig } = {},
) {
  const clock = new FakeClock(new Date('2025-03-01T10:00:00Z'));
  let state = options.from ?? initialDeviceState(clock.now());
  const results: Evaluation[] = [];
  for (const observation of observations) {
    const result = evaluatePoll({
      previous: state,
      observation,
      ancestorDown: options.ancestorDown ?? false,
      config: options.config,
      now: clock.advance(1000),
    });
    results.push(result);
    state = result.state;
  }
  return {
    state,
    results,
    transitions: results.flatMap((r) => (r.transition ? [r.transition] : [])),
    statuses: results.map((r) => r.state.status),
  };
}

function settled(status: DeviceStatus, reason: string | null = null): DeviceState {
  const outage = status === 'down' || status === 'unreachable';
  return {
    status,
    statusSince: new Date('2025-03-01T09:00:00Z'),
    consecutiveFailures: outage ? 5 : 0,
    consecutiveSuccesses: outage ? 0 : 5,
    reason,
  };
}

describe('evaluatePoll: going down', () => {
  it('declares a new device down only on the third consecutive failure, re-checking until then', () => {
    const { results, transitions } = run([silent, silent, silent]);
    expect(results.map((r) => [r.state.status, r.needsRecheck])).toEqual([
      ['unknown', true],
      ['unknown', true],
      ['down', false],
    ]);
    expect(transitions).toEqual([
      {
        from: 'unknown',
        to: 'down',
        reason: 'no reply to ping; snmp not answering: request timed out',
        causes: [],
        at: new Date('2025-03-01T10:00:03Z'),
      },
    ]);
  });

  it('keeps an up device up through two failures and forgets them after an answer', () => {
    const { statuses, transitions, state } = run([silent, silent, healthy, silent, silent], { from: settled('up') });
    expect(statuses).toEqual(['up', 'up', 'up', 'up', 'up']);
    expect(transitions).toEqual([]);
    expect(state.consecutiveFailures).toBe(2);
  });

  it.each([
    [1, ['down']],
    [2, ['up', 'down']],
    [4, ['up', 'up', 'up', 'down']],
  ])('honours downAfter = %d', (downAfter, expected) => {
    const { statuses } = run(Array(downAfter).fill(silent), { from: settled('up'), config: { downAfter, upAfter: 2 } });
    expect(statuses).toEqual(expected);
  });

  it('counts a device that answers SNMP but not ping as reachable', () => {
    const snmpOnly: PollObservation = { ...silent, snmp: { answered: true } };
    expect(run([snmpOnly, snmpOnly, snmpOnly]).statuses).toEqual(['up', 'up', 'up']);
  });

  it('names only the probes the device has configured', () => {
    const pingOnly: PollObservation = { icmp: silent.icmp, interfacesDown: [] };
    expect(run([pingOnly], { config: { downAfter: 1, upAfter: 2 } }).state.reason).toBe('no reply to ping');
  });

  it('rejects a poll without any probe', () => {
    expect(() => run([{ interfacesDown: [] }])).toThrow(RangeError);
  });
});

describe('evaluatePoll: unreachable behind a down ancestor', () => {
  it('confirms as unreachable, not down, when an ancestor is down', () => {
    const { statuses, transitions } = run([silent, silent, silent], { from: settled('up'), ancestorDown: true });
    expect(statuses).toEqual(['up', 'up', 'unreachable']);
    expect(transitions[0]).toMatchObject({
      from: 'up',
      to: 'unreachable',
      reason: 'no reply to ping; snmp not answering: request timed out; an upstream device is down',
    });
  });

  it('re-attributes a down device to its ancestor at once when polled while the ancestor is down', () => {
    const { results } = run([silent], { from: settled('down', 'no reply to ping'), ancestorDown: true });
    expect(results[0]).toMatchObject({ needsRecheck: false, transition: { from: 'down', to: 'unreachable' } });
  });

  it('stays unreachable without re-checking when the ancestor fails again during the re-check', () => {
    const { results } = run([silent], {
      from: { ...settled('unreachable'), consecutiveFailures: 0 },
      ancestorDown: true,
    });
    expect(results[0]).toMatchObject({ needsRecheck: false, transition: null, state: { status: 'unreachable' } });
  });

  it('needs downAfter failures to blame the device itself once the ancestor is back', () => {
    const { statuses } = run([silent, silent, silent], { from: { ...settled('unreachable'), consecutiveFailures: 0 } });
    expect(statuses).toEqual(['unreachable', 'unreachable', 'down']);
  });
});

describe('evaluatePoll: degraded', () => {
  const withIcmp = (lossPct: number, rttMs: number | null): PollObservation => ({
    ...healthy,
    icmp: { reachable: true, lossPct, rttMs },
  });

  it.each<[string, PollObservation, StateMachineConfig, string | null]>([
    ['all well', healthy, { downAfter: 3, upAfter: 2, maxLossPct: 10, maxRttMs: 100 }, null],
    [
      'snmp silent',
      { ...healthy, snmp: { answered: false, error: 'authentication failure' } },
      { downAfter: 3, upAfter: 2 },
      'snmp not answering: authentication failure',
    ],
    [
      'loss over threshold',
      withIcmp(40, 5),
      { downAfter: 3, upAfter: 2, maxLossPct: 20 },
      'packet loss 40% over threshold 20%',
    ],
    ['loss at threshold', withIcmp(20, 5), { downAfter: 3, upAfter: 2, maxLossPct: 20 }, null],
    [
      'latency over threshold',
      withIcmp(0, 250.5),
      { downAfter: 3, upAfter: 2, maxRttMs: 200 },
      'latency 250.5 ms over threshold 200 ms',
    ],
    ['no thresholds configured', withIcmp(90, 900), { downAfter: 3, upAfter: 2 }, null],
    [
      'one interface down',
      { ...healthy, interfacesDown: ['Gi0/1 (uplink to core)'] },
      { downAfter: 3, upAfter: 2 },
      'interface down: Gi0/1 (uplink to core)',
    ],
    [
      'two interfaces down',
      { ...healthy, interfacesDown: ['Gi0/1', 'Gi0/2'] },
      { downAfter: 3, upAfter: 2 },
      'interfaces down: Gi0/1, Gi0/2',
    ],
    [
      'several problems at once',
      { ...withIcmp(50, 300), snmp: { answered: false, error: 'timeout' } },
      { downAfter: 3, upAfter: 2, maxLossPct: 10, maxRttMs: 100 },
      'snmp not answering: timeout; packet loss 50% over threshold 10%; latency 300 ms over threshold 100 ms',
    ],
  ])('%s (seen on two polls in a row)', (_case, observation, config, expectedReason) => {
    const { state, transitions } = run([observation, observation], { from: settled('up'), config });
    expect(state.status).toBe(expectedReason === null ? 'up' : 'degraded');
    expect(state.reason).toBe(expectedReason);
    // several problems may be confirmed one after the other; the last transition names them all
    expect(transitions.at(-1)?.reason ?? null).toBe(expectedReason);
  });

  it("lets a device's own thresholds override the config", () => {
    const observation: PollObservation = { ...withIcmp(0, 150), thresholds: { maxRttMs: 500 } };
    expect(run([observation], { config: { downAfter: 3, upAfter: 2, maxRttMs: 100 } }).state.status).toBe('up');
  });

  it("takes a device's forPolls as the polls latency must persist before it degrades the device", () => {
    const slow: PollObservation = { ...withIcmp(0, 150), thresholds: { maxRttMs: 100, degradeAfter: 4 } };
    const { statuses } = run([healthy, slow, slow, slow, slow], { config: { downAfter: 3, upAfter: 2 } });
    expect(statuses).toEqual(['up', 'up', 'up', 'up', 'degraded']);
  });

  it('keeps latency as a cause until the RTT is below the threshold less 10 %', () => {
    const at = (rtt: number): PollObservation => ({ ...withIcmp(0, rtt), thresholds: { maxRttMs: 100 } });
    const { statuses } = run([at(150), at(150), at(95), at(95), at(85)], { config: { downAfter: 3, upAfter: 2 } });
    expect(statuses).toEqual(['up', 'degraded', 'degraded', 'degraded', 'up']);
  });

  it('updates the reason of a degraded device without a new transition while the causes stay the same', () => {
    const { state, transitions } = run([{ ...healthy, interfacesDown: ['Gi0/2'] }], {
      from: { ...settled('degraded', 'interface down: Gi0/1'), causes: ['interface'] },
    });
    expect(transitions).toEqual([]);
    expect(state).toMatchObject({ reason: 'interface down: Gi0/2', statusSince: new Date('2025-03-01T09:00:00Z') });
  });

  it('reports a change of causes of a degraded device as a degraded → degraded transition', () => {
    const slow = { ...healthy, icmp: { reachable: true, lossPct: 0, rttMs: 900 }, interfacesDown: ['Gi0/2'] };
    const { state, transitions } = run([slow, slow], {
      from: { ...settled('degraded', 'interface down: Gi0/2'), causes: ['interface'] },
      config: { downAfter: 3, upAfter: 2, maxRttMs: 500 },
    });
    expect(transitions).toEqual([
      expect.objectContaining({ from: 'degraded', to: 'degraded', causes: ['latency', 'interface'] }),
    ]);
    expect(state.statusSince).toEqual(new Date('2025-03-01T09:00:00Z'));
  });

  it('marks a new device up on its first answer, without waiting for upAfter', () => {
    const { results } = run([healthy]);
    expect(results[0]).toMatchObject({ needsRecheck: false, transition: { from: 'unknown', to: 'up' } });
  });
});

describe('evaluatePoll: recovery', () => {
  it.each<DeviceStatus>(['down', 'unreachable'])(
    'brings a %s device back only after two consecutive answers',
    (status) => {
      const { results, transitions } = run([healthy, healthy], { from: settled(status, 'no reply to ping') });
      expect(results.map((r) => [r.state.status, r.needsRecheck])).toEqual([
        [status, true],
        ['up', false],
      ]);
      expect(transitions).toEqual([
        { from: status, to: 'up', reason: null, causes: [], at: new Date('2025-03-01T10:00:02Z') },
      ]);
    },
  );

  it('restarts the recovery count when a failure interrupts it', () => {
    expect(run([healthy, silent, healthy, healthy], { from: settled('down') }).statuses).toEqual([
      'down',
      'down',
      'down',
      'up',
    ]);
  });

  it('recovers straight to degraded when the device comes back impaired', () => {
    const { state } = run([healthy, { ...healthy, interfacesDown: ['Gi0/1'] }], { from: settled('down') });
    expect(state).toMatchObject({ status: 'degraded', reason: 'interface down: Gi0/1' });
  });
});

describe('reevaluateOnAncestorChange', () => {
  const now = new Date('2025-03-01T11:00:00Z');

  it('turns a down device unreachable when its ancestor goes down', () => {
    const result = reevaluateOnAncestorChange(settled('down', 'no reply to ping'), true, now);
    expect(result.transition).toEqual({
      from: 'down',
      to: 'unreachable',
      reason: 'no reply to ping; an upstream device is down',
      causes: [],
      at: now,
    });
    expect(result.state.statusSince).toEqual(now);
  });

  it('keeps an unreachable device unreachable when its ancestor recovers, but re-checks it from a clean count', () => {
    const result = reevaluateOnAncestorChange(settled('unreachable'), false, now);
    expect(result).toMatchObject({
      transition: null,
      needsRecheck: true,
      state: { status: 'unreachable', consecutiveFailures: 0 },
    });
  });

  it.each<[DeviceStatus, boolean]>([
    ['up', true],
    ['degraded', true],
    ['unknown', true],
    ['unreachable', true],
    ['down', false],
    ['up', false],
  ])('leaves a %s device alone (ancestor down: %s)', (status, ancestorDown) => {
    const previous = settled(status);
    expect(reevaluateOnAncestorChange(previous, ancestorDown, now)).toEqual({
      state: previous,
      transition: null,
      needsRecheck: false,
    });
  });
});
