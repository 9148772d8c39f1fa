/**
 * Flap detection as in Nagios Core ("Detection and Handling of State Flapping", base/flapping.c).
 *
 * The last 21 results are kept, oldest first: s[0] … s[20]. Between them lie 20 possible changes; the
 * change from s[i-1] to s[i] (i = 1 … 20) weighs
 *
 *     w(i) = 0.75 + (i - 1) × (1.25 − 0.75) / 19
 *
 * so the oldest possible change weighs 0.75 and the newest 1.25, and
 *
 *     percent state change = 100 × Σ w(i) over the i where s[i] ≠ s[i-1]  /  20
 *
 * A history still filling up is aligned to the newest end (its newest change always weighs 1.25) and
 * keeps the divisor 20, as Nagios's pre-filled history does, so a few early changes cannot start a flap.
 * Flapping starts when the value goes above the high threshold and stops when it goes below the low
 * one; in between the previous verdict stands (hysteresis).
 */
export const FLAP_HISTORY_LENGTH = 21;
const OLDEST_WEIGHT = 0.75;
const NEWEST_WEIGHT = 1.25;

export interface FlapThresholds {
  lowPct: number;
  highPct: number;
}

export const DEFAULT_FLAP_THRESHOLDS: FlapThresholds = { lowPct: 5, highPct: 20 };

/** Persisted per device or per interface. */
export interface FlapHistory {
  /** At most the last 21 results, oldest first. */
  states: string[];
  isFlapping: boolean;
}

export interface FlapEvaluation {
  history: FlapHistory;
  percentStateChange: number;
  started: boolean;
  stopped: boolean;
}

export const EMPTY_FLAP_HISTORY: FlapHistory = { states: [], isFlapping: false };

export function percentStateChange(states: readonly string[]): number {
  const window = states.slice(-FLAP_HISTORY_LENGTH);
  const offset = FLAP_HISTORY_LENGTH - window.length;
  const maxChanges = FLAP_HISTORY_LENGTH - 1;
  let weighted = 0;
  for (let i = 1; i < window.length; i++) {
    if (window[i] === window[i - 1]) continue;
    const position = i + offset;
    weighted += OLDEST_WEIGHT + ((position - 1) * (NEWEST_WEIGHT - OLDEST_WEIGHT)) / (maxChanges - 1);
  }
  return (weighted * 100) / maxChanges;
}

export function recordFlapState(
  history: FlapHistory,
  state: string,
  thresholds: FlapThresholds = DEFAULT_FLAP_THRESHOLDS,
): FlapEvaluation {
  const states = [...history.states, state].slice(-FLAP_HISTORY_LENGTH);
  const percent = percentStateChange(states);
  const isFlapping = history.isFlapping ? percent >= thresholds.lowPct : percent > thresholds.highPct;
  return {
    history: { states, isFlapping },
    percentStateChange: percent,
    started: isFlapping && !history.isFlapping,
    stopped: !isFlapping && history.isFlapping,
  };
}
