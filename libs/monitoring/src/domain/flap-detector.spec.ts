import {
  EMPTY_FLAP_HISTORY,
  FLAP_HISTORY_LENGTH,
  FlapEvaluation,
  FlapHistory,
  percentStateChange,
  recordFlapState,
} from './flap-detector';

const steady = (state: string, count = FLAP_HISTORY_LENGTH) => Array<string>(count).fill(state);
const weight = (i: number) => 0.75 + ((i - 1) * 0.5) / 19;

function feed(states: string[], from: FlapHistory = EMPTY_FLAP_HISTORY): FlapEvaluation[] {
  const results: FlapEvaluation[] = [];
  let history = from;
  for (const state of states) {
    const result = recordFlapState(history, state);
    results.push(result);
    history = result.history;
  }
  return results;
}

describe('percentStateChange', () => {
  it.each([
    ['no change', steady('up'), 0],
    ['only the newest result differs', [...steady('up', 20), 'down'], (1.25 * 100) / 20],
    ['only the oldest change', ['down', ...steady('up', 20)], (0.75 * 100) / 20],
    ['alternating every time', Array.from({ length: 21 }, (_, i) => (i % 2 ? 'down' : 'up')), 100],
    ['empty history', [], 0],
    ['single result', ['up'], 0],
  ])('%s', (_case, states, expected) => {
    expect(percentStateChange(states)).toBeCloseTo(expected, 10);
  });

  it('weighs recent changes more than old ones (Nagios example shape)', () => {
    // Changes at positions 3, 7 and 19 of 20.
    const states = ['up', 'up', 'up', 'down', 'down', 'down', 'down', 'up', ...steady('up', 12), 'down'];
    expect(percentStateChange(states)).toBeCloseTo(((weight(3) + weight(7) + weight(20)) * 100) / 20, 10);
  });

  it('aligns a short history to the newest end and still divides by 20', () => {
    expect(percentStateChange(['up', 'down'])).toBeCloseTo((1.25 * 100) / 20, 10);
  });

  it('looks only at the last 21 results', () => {
    expect(percentStateChange(['down', ...steady('up')])).toBe(0);
  });
});

describe('recordFlapState', () => {
  it('keeps at most 21 results, newest last', () => {
    const [last] = feed(['x'], { states: steady('up'), isFlapping: false });
    expect(last.history.states).toHaveLength(21);
    expect(last.history.states.at(-1)).toBe('x');
  });

  it('starts flapping only once the percentage goes above 20%', () => {
    // Four changes at the newest end: 1.25 + 1.224 + 1.197 + 1.171 ≈ 4.84 → 24.2%; three ≈ 18.4%.
    const results = feed(['down', 'up', 'down', 'up'], { states: steady('up'), isFlapping: false });
    expect(results.map((r) => r.history.isFlapping)).toEqual([false, false, false, true]);
    expect(results[2].percentStateChange).toBeLessThan(20);
    expect(results[3]).toMatchObject({ started: true, stopped: false });
    expect(results[3].percentStateChange).toBeGreaterThan(20);
  });

  it('keeps flapping between the thresholds and stops only below 5% (hysteresis)', () => {
    const flapping = feed(['down', 'up', 'down', 'up'], { states: steady('up'), isFlapping: false }).at(-1)!.history;
    const results = feed(steady('up', 21), flapping);
    const firstBelowLow = results.findIndex((r) => r.percentStateChange < 5);
    expect(firstBelowLow).toBeGreaterThan(0);

    expect(results.slice(0, firstBelowLow).every((r) => r.history.isFlapping && !r.stopped)).toBe(true);
    expect(results.slice(0, firstBelowLow).some((r) => r.percentStateChange < 20)).toBe(true);
    expect(results[firstBelowLow]).toMatchObject({ stopped: true, started: false, history: { isFlapping: false } });
  });

  it('does not start flapping while the percentage sits between the thresholds', () => {
    const results = feed(['down', 'up'], { states: steady('up'), isFlapping: false });
    expect(results.at(-1)!.percentStateChange).toBeGreaterThan(5);
    expect(results.every((r) => !r.history.isFlapping && !r.started)).toBe(true);
  });

  it('honours custom thresholds', () => {
    const result = recordFlapState({ states: steady('up', 20), isFlapping: false }, 'down', { lowPct: 1, highPct: 6 });
    expect(result.started).toBe(true);
  });

  it('does not mutate the history it was given', () => {
    const history: FlapHistory = { states: ['up'], isFlapping: false };
    recordFlapState(history, 'down');
    expect(history).toEqual({ states: ['up'], isFlapping: false });
  });
});
