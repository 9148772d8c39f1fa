import type { DeviceStatus } from '@netdesk/inventory';

/** Inventory owns the status values; the state machine decides which one a device is in. */
export type { DeviceStatus };

/** What is persisted per device between polls. */
export interface DeviceState {
  status: DeviceStatus;
  statusSince: Date;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Why the device is in its status, for an operator; null while up or unknown. */
  reason: string | null;
  /** What makes a reachable device degraded, for consumers that act per cause (tickets). */
  causes?: DegradedCause[];
  /** Consecutive answered polls over a loss or latency threshold (such a cause needs confirming). */
  performanceStreak?: number;
}

export type DegradedCause = 'snmp' | 'loss' | 'latency' | 'interface';

export interface PerformanceThresholds {
  maxLossPct?: number;
  maxRttMs?: number;
  /** Consecutive polls over loss/latency before they count (a device's `forPolls`); overrides the config's. */
  degradeAfter?: number;
}

export interface StateMachineConfig extends PerformanceThresholds {
  /** Consecutive failed polls before a device is declared down. */
  downAfter: number;
  /** Consecutive answered polls before a down or unreachable device is declared back. */
  upAfter: number;
  /** Consecutive polls over a loss/latency threshold before that makes the device degraded (default 2). */
  degradeAfter?: number;
}

export const DEFAULT_STATE_MACHINE_CONFIG: StateMachineConfig = { downAfter: 3, upAfter: 2 };

/** One poll of one device. A probe left undefined is not configured for the device. */
export interface PollObservation {
  icmp?: { reachable: boolean; lossPct: number; rttMs: number | null };
  snmp?: { answered: true } | { answered: false; error: string };
  /** Labels of monitored interfaces that are down (see interface-state). */
  interfacesDown: readonly string[];
  /** Per-device thresholds; each overrides the config's. */
  thresholds?: PerformanceThresholds;
}

/** A change of status, or of the causes of a degraded status (then `from` equals `to`). */
export interface StatusTransition {
  from: DeviceStatus;
  to: DeviceStatus;
  reason: string | null;
  causes: DegradedCause[];
  at: Date;
}

export interface Evaluation {
  state: DeviceState;
  transition: StatusTransition | null;
  /** A failure or a recovery awaits confirmation: re-probe at the fast spacing, not after a full interval. */
  needsRecheck: boolean;
}

export function evaluatePoll(input: {
  previous: DeviceState;
  observation: PollObservation;
  ancestorDown: boolean;
  config?: StateMachineConfig;
  now: Date;
}): Evaluation {
  const { previous, observation, ancestorDown, config = DEFAULT_STATE_MACHINE_CONFIG, now } = input;
  const { icmp, snmp } = observation;
  if (!icmp && !snmp) throw new RangeError('a poll needs at least one probe (ICMP or SNMP)');

  const answered = icmp?.reachable === true || snmp?.answered === true;
  return answered
    ? onAnswer(
        previous,
        problemsOf(observation, config, previous.causes ?? []),
        observation.thresholds?.degradeAfter
          ? { ...config, degradeAfter: observation.thresholds.degradeAfter }
          : config,
        now,
      )
    : onSilence(previous, silenceReason(observation), ancestorDown, config, now);
}

/**
 * Applies a change in the ancestors' status to a device without polling it. A confirmed-down device
 * whose ancestor goes down becomes unreachable at once. An unreachable device whose ancestor recovers
 * stays unreachable until it fails `downAfter` fresh polls, so it is not blamed while its path converges.
 */
export function reevaluateOnAncestorChange(previous: DeviceState, ancestorDown: boolean, now: Date): Evaluation {
  if (ancestorDown && previous.status === 'down') {
    return change(previous, { status: 'unreachable', reason: unreachableReason(previous.reason) }, now);
  }
  if (!ancestorDown && previous.status === 'unreachable') {
    return { state: { ...previous, consecutiveFailures: 0 }, transition: null, needsRecheck: true };
  }
  return { state: previous, transition: null, needsRecheck: false };
}

function onAnswer(previous: DeviceState, problems: Problem[], config: StateMachineConfig, now: Date): Evaluation {
  const performance = problems.some((p) => p.cause === 'loss' || p.cause === 'latency');
  const counted = {
    ...previous,
    consecutiveFailures: 0,
    consecutiveSuccesses: previous.consecutiveSuccesses + 1,
    performanceStreak: performance ? (previous.performanceStreak ?? 0) + 1 : 0,
  };
  const recovering = isOutage(previous.status) && counted.consecutiveSuccesses < config.upAfter;
  if (recovering) return { state: counted, transition: null, needsRecheck: true };
  // A single lossy or slow poll is noise: a new loss/latency cause counts once it repeats.
  const known = previous.causes ?? [];
  const unconfirmed = (p: Problem) =>
    (p.cause === 'loss' || p.cause === 'latency') &&
    !known.includes(p.cause) &&
    counted.performanceStreak < (config.degradeAfter ?? 2);
  const confirmed = problems.filter((p) => !unconfirmed(p));
  const evaluation = change(counted, health(confirmed), now);
  return confirmed.length < problems.length ? { ...evaluation, needsRecheck: true } : evaluation;
}

function onSilence(
  previous: DeviceState,
  reason: string,
  ancestorDown: boolean,
  config: StateMachineConfig,
  now: Date,
): Evaluation {
  const counted = { ...previous, consecutiveSuccesses: 0, consecutiveFailures: previous.consecutiveFailures + 1 };
  const target = ancestorDown ? 'unreachable' : 'down';
  // Moving to unreachable from an outage only re-attributes the cause, so it needs no new confirmation.
  const confirmed =
    counted.consecutiveFailures >= config.downAfter || (target === 'unreachable' && isOutage(previous.status));
  if (!confirmed) return { state: counted, transition: null, needsRecheck: true };
  return change(counted, { status: target, reason: ancestorDown ? unreachableReason(reason) : reason }, now);
}

function change(
  state: DeviceState,
  next: { status: DeviceStatus; reason: string | null; causes?: DegradedCause[] },
  now: Date,
): Evaluation {
  const causes = next.causes ?? [];
  if (next.status === state.status) {
    // Causes not known (state loaded after a restart): learn them without announcing a change.
    const causesChanged = state.causes !== undefined && !sameCauses(state.causes, causes);
    return {
      state: { ...state, reason: next.reason, causes },
      transition: causesChanged ? { from: state.status, to: next.status, reason: next.reason, causes, at: now } : null,
      needsRecheck: false,
    };
  }
  return {
    state: { ...state, ...next, causes, statusSince: now },
    transition: { from: state.status, to: next.status, reason: next.reason, causes, at: now },
    needsRecheck: false,
  };
}

function sameCauses(a: readonly DegradedCause[], b: readonly DegradedCause[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

interface Problem {
  cause: DegradedCause;
  text: string;
}

/**
 * Latency and loss already causing degradation clear only below their threshold less a hysteresis
 * (10 % of the RTT threshold, 5 points of loss), as the other thresholds do, so a value hovering at the
 * threshold does not flap the device between up and degraded.
 */
function problemsOf(
  observation: PollObservation,
  config: StateMachineConfig,
  known: readonly DegradedCause[] = [],
): Problem[] {
  const { icmp, snmp, interfacesDown } = observation;
  const lossLimit = observation.thresholds?.maxLossPct ?? config.maxLossPct;
  const rttLimit = observation.thresholds?.maxRttMs ?? config.maxRttMs;
  const maxLossPct =
    lossLimit !== undefined && known.includes('loss') ? Math.max(0, lossLimit - Math.min(5, lossLimit / 2)) : lossLimit;
  const maxRttMs = rttLimit !== undefined && known.includes('latency') ? rttLimit * 0.9 : rttLimit;
  const problems: Problem[] = [];
  if (snmp && !snmp.answered) problems.push({ cause: 'snmp', text: `snmp not answering: ${snmp.error}` });
  if (icmp && maxLossPct !== undefined && icmp.lossPct > maxLossPct) {
    problems.push({ cause: 'loss', text: `packet loss ${icmp.lossPct}% over threshold ${lossLimit}%` });
  }
  if (icmp?.rttMs != null && maxRttMs !== undefined && icmp.rttMs > maxRttMs) {
    problems.push({ cause: 'latency', text: `latency ${icmp.rttMs} ms over threshold ${rttLimit} ms` });
  }
  if (interfacesDown.length > 0) {
    problems.push({
      cause: 'interface',
      text: `${interfacesDown.length === 1 ? 'interface' : 'interfaces'} down: ${interfacesDown.join(', ')}`,
    });
  }
  return problems;
}

function health(problems: Problem[]): { status: 'up' | 'degraded'; reason: string | null; causes: DegradedCause[] } {
  return problems.length > 0
    ? { status: 'degraded', reason: problems.map((p) => p.text).join('; '), causes: problems.map((p) => p.cause) }
    : { status: 'up', reason: null, causes: [] };
}

function silenceReason({ icmp, snmp }: PollObservation): string {
  const parts = [icmp && 'no reply to ping', snmp && !snmp.answered && `snmp not answering: ${snmp.error}`];
  return parts.filter(Boolean).join('; ');
}

function unreachableReason(reason: string | null): string {
  return `${reason ?? 'not answering'}; an upstream device is down`;
}

function isOutage(status: DeviceStatus): boolean {
  return status === 'down' || status === 'unreachable';
}
