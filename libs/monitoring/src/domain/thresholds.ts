/**
 * Thresholds on everything a poll measures, and their evaluation. Pure: no Nest, no database, no clock
 * of its own. The poll engine calls `evaluateThresholds` once per poll with what it measured and the
 * device's resolved thresholds (loaded with the device, never queried per poll).
 *
 * Rules:
 * - A value is resolved device override > device-kind default > global default; an interface's own
 *   `utilisationPct` beats all three for that interface.
 * - A threshold is breached when the value is over it for `forPolls` consecutive polls; it clears only
 *   when the value is at or below the threshold less its hysteresis for `forPolls` consecutive polls.
 * - A poll without the value (no SNMP answer, first counter reading, counter reset) changes nothing:
 *   the streak neither grows nor resets, and a breach stays as it is.
 * - Utilisation is measured against an interface's `capacityBps` (the contracted rate) when set, else
 *   its ifSpeed; with neither it is not measured. In and out are judged separately; the fault is the
 *   interface's, its value the worse direction.
 */
import { counterDelta, CounterWidth } from './counter';

export const THRESHOLD_METRICS = [
  'utilisationPct',
  'errorsPerMin',
  'cpuPct',
  'memPct',
  'rttMs',
  'lossPct',
  'jitterMs',
] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

/** One set of threshold values; any may be absent (inherit) — `forPolls` too. */
export type ThresholdValues = Partial<Record<ThresholdMetric | 'forPolls', number>>;

export interface ThresholdSettings {
  defaults: Required<ThresholdValues>;
  byKind: Record<string, ThresholdValues>;
}

export type ResolvedThresholds = Required<ThresholdValues>;

export const BUILT_IN_THRESHOLDS: Required<ThresholdValues> = {
  utilisationPct: 90,
  errorsPerMin: 60,
  cpuPct: 90,
  memPct: 95,
  rttMs: 500,
  lossPct: 50,
  jitterMs: 50,
  forPolls: 3,
};

/** Limits a stored threshold must respect (the API validates against them). */
export const THRESHOLD_LIMITS: Record<ThresholdMetric | 'forPolls', { min: number; max: number }> = {
  utilisationPct: { min: 1, max: 100 },
  errorsPerMin: { min: 0, max: 1e9 },
  cpuPct: { min: 1, max: 100 },
  memPct: { min: 1, max: 100 },
  rttMs: { min: 0, max: 60_000 },
  lossPct: { min: 0, max: 100 },
  jitterMs: { min: 0, max: 60_000 },
  forPolls: { min: 1, max: 100 },
};

/** Device > kind > defaults, key by key. */
export function resolveThresholds(
  settings: ThresholdSettings,
  kind: string,
  device: ThresholdValues | null | undefined,
): ResolvedThresholds {
  const out = { ...settings.defaults };
  for (const layer of [settings.byKind[kind], device]) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer))
      if (typeof value === 'number' && Number.isFinite(value)) out[key as keyof ResolvedThresholds] = value;
  }
  return out;
}

/** How far below its threshold a value must fall to clear: 5 points for percentages, 10 % otherwise. */
export function hysteresisOf(metric: ThresholdMetric, threshold: number): number {
  if (metric === 'utilisationPct' || metric === 'cpuPct' || metric === 'memPct' || metric === 'lossPct')
    return Math.min(5, threshold / 2);
  return threshold * 0.1;
}

export type ThresholdFaultType = 'link_utilisation' | 'interface_errors' | 'high_cpu' | 'high_memory' | 'high_jitter';

/** A circuit's facts, set per interface by the operator. */
export interface CircuitSettings {
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
  /** This interface's own utilisation threshold. */
  utilisationPct?: number | null;
}

export interface InterfaceMeasurement {
  ifIndex: number;
  name: string;
  alias: string;
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
  /** Errors + discards, in and out, per minute over the last interval; null when unknown. */
  errorsPerMin: number | null;
  /** Judged at all (watched, a circuit, or on a wan-link device). */
  evaluated: boolean;
  circuit?: CircuitSettings;
}

export interface ThresholdObservation {
  jitterMs: number | null;
  cpuPct: number | null;
  memPct: number | null;
  /** null: no interface table this poll (judge nothing on interfaces). */
  interfaces: InterfaceMeasurement[] | null;
}

interface Track {
  breached: boolean;
  /** Consecutive polls towards the other state. */
  streak: number;
  /** When the current streak (or breach) began. */
  since: number;
}

/** Per device, between polls: one track per fault (and interface). */
export type ThresholdState = Map<string, Track>;

export interface ThresholdChange {
  faultType: ThresholdFaultType;
  ifIndex: number | null;
  breached: boolean;
  metric: ThresholdMetric;
  value: number;
  threshold: number;
  /** For interface faults: `in` or `out` (utilisation), and the circuit. */
  direction?: 'in' | 'out';
  capacityBps?: number | null;
  name?: string;
  alias?: string;
  provider?: string | null;
  circuitId?: string | null;
  /** How long the condition held before it counted (ms). */
  heldMs: number;
  reason: string;
}

/** Utilisation of one direction against capacity (when set) or ifSpeed; null when it cannot be told. */
export function utilisationPct(bps: number | null, capacityBps: number | null | undefined, speedBps: number | null) {
  const base = capacityBps && capacityBps > 0 ? capacityBps : speedBps && speedBps > 0 ? speedBps : null;
  if (bps === null || base === null) return null;
  return (bps / base) * 100;
}

/**
 * Errors+discards per minute between two readings of Counter32 error counters, allowing one wrap; null
 * when either reading is missing or the counter went back by more than a wrap could explain (a reset).
 */
export function errorsPerMinute(
  previous: bigint | null,
  current: bigint | null,
  elapsedSec: number,
  width: CounterWidth = 32,
): number | null {
  if (previous === null || current === null || elapsedSec <= 0) return null;
  const modulus = 1n << BigInt(width);
  if (previous < 0n || current < 0n || previous >= modulus || current >= modulus) return null;
  // A wrap leaves the counter near zero coming from near the top; anything else going back is a reset.
  if (current < previous && previous < modulus / 2n) return null;
  return (Number(counterDelta(previous, current, width)) / elapsedSec) * 60;
}

interface Candidate {
  key: string;
  faultType: ThresholdFaultType;
  metric: ThresholdMetric;
  ifIndex: number | null;
  value: number | null;
  threshold: number;
  extra?: Partial<ThresholdChange>;
}

/** One poll: the next state and the breaches that started or ended. */
export function evaluateThresholds(
  previous: ThresholdState,
  observation: ThresholdObservation,
  thresholds: ResolvedThresholds,
  nowMs: number,
): { state: ThresholdState; changes: ThresholdChange[] } {
  const candidates: Candidate[] = [
    device('high_jitter', 'jitterMs', observation.jitterMs, thresholds.jitterMs),
    device('high_cpu', 'cpuPct', observation.cpuPct, thresholds.cpuPct),
    device('high_memory', 'memPct', observation.memPct, thresholds.memPct),
  ];
  for (const i of observation.interfaces ?? []) {
    if (!i.evaluated) continue;
    const c = i.circuit ?? {};
    const limit = c.utilisationPct ?? thresholds.utilisationPct;
    const inPct = utilisationPct(i.inBps, c.capacityBps, i.speedBps);
    const outPct = utilisationPct(i.outBps, c.capacityBps, i.speedBps);
    const worse: 'in' | 'out' | null =
      inPct === null && outPct === null ? null : (inPct ?? -1) >= (outPct ?? -1) ? 'in' : 'out';
    const common = {
      name: i.name,
      alias: i.alias,
      provider: c.provider ?? null,
      circuitId: c.circuitId ?? null,
      capacityBps: c.capacityBps && c.capacityBps > 0 ? c.capacityBps : i.speedBps,
    };
    candidates.push({
      key: `link_utilisation:${i.ifIndex}`,
      faultType: 'link_utilisation',
      metric: 'utilisationPct',
      ifIndex: i.ifIndex,
      value: worse === null ? null : worse === 'in' ? inPct : outPct,
      threshold: limit,
      extra: { ...common, direction: worse ?? undefined },
    });
    candidates.push({
      key: `interface_errors:${i.ifIndex}`,
      faultType: 'interface_errors',
      metric: 'errorsPerMin',
      ifIndex: i.ifIndex,
      value: i.errorsPerMin,
      threshold: thresholds.errorsPerMin,
      extra: common,
    });
  }

  const state: ThresholdState = new Map();
  const changes: ThresholdChange[] = [];
  const forPolls = Math.max(1, Math.round(thresholds.forPolls));
  for (const c of candidates) {
    const track: Track = previous.get(c.key) ?? { breached: false, streak: 0, since: nowMs };
    if (c.value === null || !Number.isFinite(c.value)) {
      state.set(c.key, track); // missing data: nothing moves
      continue;
    }
    const towards = track.breached
      ? c.value <= c.threshold - hysteresisOf(c.metric, c.threshold)
      : c.value > c.threshold;
    if (!towards) {
      state.set(c.key, { breached: track.breached, streak: 0, since: nowMs });
      continue;
    }
    const streak = track.streak + 1;
    const since = track.streak === 0 ? nowMs : track.since;
    if (streak < forPolls) {
      state.set(c.key, { breached: track.breached, streak, since });
      continue;
    }
    const breached = !track.breached;
    state.set(c.key, { breached, streak: 0, since: nowMs });
    const change: ThresholdChange = {
      faultType: c.faultType,
      ifIndex: c.ifIndex,
      breached,
      metric: c.metric,
      value: c.value,
      threshold: c.threshold,
      heldMs: nowMs - since,
      reason: '',
      ...c.extra,
    };
    change.reason = describeThresholdChange(change, forPolls);
    changes.push(change);
  }
  // Interfaces missing from this poll keep their tracks (missing data), so a breach is not forgotten.
  for (const [key, track] of previous) if (!state.has(key)) state.set(key, track);
  return { state, changes };
}

function device(faultType: ThresholdFaultType, metric: ThresholdMetric, value: number | null, threshold: number) {
  return { key: faultType, faultType, metric, ifIndex: null, value, threshold } satisfies Candidate;
}

const UNITS: Record<ThresholdMetric, string> = {
  utilisationPct: ' %',
  errorsPerMin: '/min',
  cpuPct: ' %',
  memPct: ' %',
  rttMs: ' ms',
  lossPct: ' %',
  jitterMs: ' ms',
};

/** `1e8` → `100 Mb/s`. */
export function formatBps(bps: number): string {
  const units: [number, string][] = [
    [1e9, 'Gb/s'],
    [1e6, 'Mb/s'],
    [1e3, 'kb/s'],
  ];
  for (const [size, unit] of units) if (bps >= size) return `${round(bps / size)} ${unit}`;
  return `${Math.round(bps)} b/s`;
}

function round(n: number): number {
  return n >= 100 ? Math.round(n) : Math.round(n * 10) / 10;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

/** The interface as people know it: `ge-0/0/1 (WAN to HQ)`, provider and circuit when set. */
export function interfaceLabel(c: Pick<ThresholdChange, 'name' | 'alias' | 'provider' | 'circuitId' | 'ifIndex'>) {
  const name = c.name ?? `ifIndex ${c.ifIndex}`;
  const circuit = [c.provider, c.circuitId].filter(Boolean).join(' ');
  return `${name}${c.alias ? ` (${c.alias})` : ''}${circuit ? ` [circuit ${circuit}]` : ''}`;
}

/** `link_utilisation on ge-0/0/1 (WAN) [circuit ACME C-42]: in 94 % of 100 Mb/s for 3 min (threshold 90 %)`. */
export function describeThresholdChange(c: ThresholdChange, forPolls: number): string {
  const unit = UNITS[c.metric];
  const value = `${round(c.value)}${unit}`;
  const limit = `${round(c.threshold)}${unit}`;
  const held = `for ${duration(c.heldMs)} (${forPolls} poll${forPolls === 1 ? '' : 's'})`;
  const where = c.ifIndex !== null ? ` on ${interfaceLabel(c)}` : '';
  if (c.faultType === 'link_utilisation') {
    const of = c.capacityBps ? ` of ${formatBps(c.capacityBps)}` : '';
    return c.breached
      ? `utilisation${where}: ${c.direction} ${value}${of} ${held}, threshold ${limit}`
      : `utilisation${where} back to ${c.direction} ${value}${of} (threshold ${limit})`;
  }
  const what: Record<ThresholdFaultType, string> = {
    link_utilisation: 'utilisation',
    interface_errors: 'errors + discards',
    high_cpu: 'CPU',
    high_memory: 'memory',
    high_jitter: 'jitter',
  };
  return c.breached
    ? `${what[c.faultType]}${where} ${value} ${held}, threshold ${limit}`
    : `${what[c.faultType]}${where} back to ${value} (threshold ${limit})`;
}
