import {
  BUILT_IN_THRESHOLDS,
  errorsPerMinute,
  evaluateThresholds,
  InterfaceMeasurement,
  resolveThresholds,
  ThresholdObservation,
  ThresholdSettings,
  ThresholdState,
  utilisationPct,
} from './thresholds';

const settings: ThresholdSettings = {
  defaults: { ...BUILT_IN_THRESHOLDS, utilisationPct: 90, forPolls: 3 },
  byKind: { 'wan-link': { utilisationPct: 80, jitterMs: 10 }, server: { cpuPct: 70 } },
};
const T = resolveThresholds(settings, 'router', null);

const wan = (over: Partial<InterfaceMeasurement> = {}): InterfaceMeasurement => ({
  ifIndex: 2,
  name: 'ge-0/0/1',
  alias: 'WAN to HQ',
  speedBps: 1e9,
  inBps: 0,
  outBps: 0,
  errorsPerMin: 0,
  evaluated: true,
  circuit: { capacityBps: 100e6, provider: 'ACME', circuitId: 'C-42' },
  ...over,
});
const obs = (over: Partial<ThresholdObservation> = {}): ThresholdObservation => ({
  jitterMs: 1,
  cpuPct: 10,
  memPct: 10,
  interfaces: [wan()],
  ...over,
});

/** Runs a sequence of observations one minute apart; returns each poll's changes. */
function run(observations: ThresholdObservation[], thresholds = T, start: ThresholdState = new Map()) {
  let state = start;
  return observations.map((o, i) => {
    const r = evaluateThresholds(state, o, thresholds, i * 60_000);
    state = r.state;
    return r.changes;
  });
}

describe('resolveThresholds', () => {
  it('takes the device over the kind over the defaults, key by key', () => {
    expect(resolveThresholds(settings, 'wan-link', { jitterMs: 5, forPolls: 2 })).toEqual({
      ...settings.defaults,
      utilisationPct: 80,
      jitterMs: 5,
      forPolls: 2,
    });
    expect(resolveThresholds(settings, 'server', undefined).cpuPct).toBe(70);
    expect(resolveThresholds(settings, 'other', {}).cpuPct).toBe(90);
  });
});

describe('evaluateThresholds', () => {
  it('needs forPolls consecutive polls over the threshold, measured against the circuit capacity', () => {
    const busy = obs({ interfaces: [wan({ inBps: 94e6 })] }); // 94 % of 100 Mb/s (9.4 % of the 1 Gb/s port)
    const changes = run([busy, busy, busy]);
    expect(changes[0]).toEqual([]);
    expect(changes[1]).toEqual([]);
    expect(changes[2]).toHaveLength(1);
    const c = changes[2][0];
    expect(c).toMatchObject({ faultType: 'link_utilisation', ifIndex: 2, breached: true, direction: 'in' });
    expect(c.value).toBeCloseTo(94);
    expect(c.reason).toBe(
      'utilisation on ge-0/0/1 (WAN to HQ) [circuit ACME C-42]: in 94 % of 100 Mb/s for 2 min (3 polls), threshold 90 %',
    );
  });

  it('restarts the count when one poll is under the threshold', () => {
    const busy = obs({ interfaces: [wan({ outBps: 95e6 })] });
    const changes = run([busy, busy, obs(), busy, busy, busy]);
    expect(changes.map((c) => c.length)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(changes[5][0].direction).toBe('out');
  });

  it('clears only below the threshold less its hysteresis, for forPolls polls', () => {
    const at = (pct: number) => obs({ interfaces: [wan({ inBps: pct * 1e6 })] });
    const changes = run([at(95), at(95), at(95), at(88), at(88), at(88), at(84), at(84), at(84)]);
    expect(changes.map((c) => c.map((x) => x.breached))).toEqual([
      [],
      [],
      [true],
      [],
      [],
      [], // 88 % is under 90 % but not under 90 − 5
      [],
      [],
      [false],
    ]);
    expect(changes[8][0].reason).toContain('back to in 84 %');
  });

  it('keeps its state through polls without data (no SNMP answer, first counter reading)', () => {
    const busy = obs({ interfaces: [wan({ inBps: 99e6 })], cpuPct: 99 });
    const blind = obs({ interfaces: null, cpuPct: null });
    const unknownRate = obs({ interfaces: [wan({ inBps: null, outBps: null })], cpuPct: null });
    const changes = run([busy, blind, busy, unknownRate, busy]);
    // Two breaches (cpu, utilisation) on the third poll with data; nothing on the blind polls.
    expect(changes.map((c) => c.map((x) => x.faultType).sort())).toEqual([
      [],
      [],
      [],
      [],
      ['high_cpu', 'link_utilisation'],
    ]);
    // And a breach is not cleared by missing data.
    const after = run([busy, busy, busy, blind, blind, blind, blind]);
    expect(after.flat().filter((c) => !c.breached)).toEqual([]);
  });

  it("uses the interface's own threshold over every default, and ifSpeed when no capacity is set", () => {
    const own = obs({ interfaces: [wan({ inBps: 60e6, circuit: { capacityBps: 100e6, utilisationPct: 50 } })] });
    expect(run([own, own, own])[2][0]).toMatchObject({ threshold: 50, breached: true });
    const port = obs({ interfaces: [wan({ inBps: 950e6, circuit: undefined })] });
    const c = run([port, port, port])[2][0];
    expect(c.reason).toContain('in 95 % of 1 Gb/s');
    expect(c.reason).not.toContain('circuit');
    const unknownSpeed = obs({ interfaces: [wan({ inBps: 950e6, speedBps: null, circuit: undefined })] });
    expect(run([unknownSpeed, unknownSpeed, unknownSpeed]).flat()).toEqual([]);
  });

  it('judges errors, CPU, memory and jitter against device-kind and device thresholds', () => {
    const thresholds = resolveThresholds(settings, 'wan-link', { forPolls: 1, memPct: 50 });
    const bad = obs({ jitterMs: 12, cpuPct: 95, memPct: 60, interfaces: [wan({ errorsPerMin: 120 })] });
    const [changes] = run([bad], thresholds);
    expect(changes.map((c) => [c.faultType, c.threshold]).sort()).toEqual([
      ['high_cpu', 90],
      ['high_jitter', 10],
      ['high_memory', 50],
      ['interface_errors', 60],
    ]);
    expect(changes.find((c) => c.faultType === 'interface_errors')!.reason).toBe(
      'errors + discards on ge-0/0/1 (WAN to HQ) [circuit ACME C-42] 120/min for 0 s (1 poll), threshold 60/min',
    );
  });

  it('ignores interfaces that are not evaluated', () => {
    const busy = obs({ interfaces: [wan({ inBps: 99e6, evaluated: false })] });
    expect(run([busy, busy, busy]).flat()).toEqual([]);
  });
});

describe('counters', () => {
  it('computes errors per minute across a Counter32 wrap', () => {
    expect(errorsPerMinute(4294967290n, 4n, 60)).toBe(10);
    expect(errorsPerMinute(100n, 160n, 30)).toBe(120);
  });

  it('treats a counter that went back (a reset), or a missing reading, as no data', () => {
    expect(errorsPerMinute(1000n, 10n, 60)).toBeNull();
    expect(errorsPerMinute(null, 10n, 60)).toBeNull();
    expect(errorsPerMinute(10n, 20n, 0)).toBeNull();
  });

  it('computes utilisation against capacity first, then ifSpeed', () => {
    expect(utilisationPct(50e6, 100e6, 1e9)).toBe(50);
    expect(utilisationPct(50e6, null, 1e9)).toBe(5);
    expect(utilisationPct(50e6, 0, 0)).toBeNull();
    expect(utilisationPct(null, 100e6, 1e9)).toBeNull();
  });
});
