import type { FieldError } from './field-error';
import type { Priority } from './priority';

export interface EscalationStep {
  /** Seconds after the ticket's opening (or reopening) at which this step is due. */
  delaySeconds: number;
  /** Who to notify (user ids or addresses), on top of the ticket's team. */
  notify?: string[];
  /** The team the ticket is handed to at this step. */
  team?: string;
}

export interface EscalationPolicy {
  steps: EscalationStep[];
  /** After the last step, run the steps again, each cycle offset by the last step's delay. */
  repeat?: boolean;
  /** How many extra cycles `repeat` runs; bounded so an ignored ticket cannot page forever. */
  maxRepeats?: number;
}

export interface DueEscalation {
  /** The ticket's `escalationLevel` once this step is done: 1 for the first step, counting across cycles. */
  level: number;
  dueAt: Date;
  step: EscalationStep;
}

export const DEFAULT_MAX_REPEATS = 3;
export const ESCALATION_LIMITS = {
  steps: 20,
  delaySeconds: 30 * 24 * 3600,
  maxRepeats: 10,
  notify: 20,
  notifyLength: 254,
  teamLength: 100,
};

/** Applies to devices without a policy of their own. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  steps: [{ delaySeconds: 15 * 60 }, { delaySeconds: 30 * 60 }, { delaySeconds: 60 * 60 }],
  repeat: false,
};

/**
 * Checks a policy (already shaped by the DTO). With `repeat`, the first delay must be above 0: otherwise
 * the first step of a cycle would fall at the same moment as the last step of the cycle before.
 */
export function validateEscalationPolicy(policy: EscalationPolicy): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, problem: string) => errors.push({ field, message: `${field} ${problem}` });
  const L = ESCALATION_LIMITS;

  if (policy.steps.length === 0) fail('steps', 'must have at least one step');
  if (policy.steps.length > L.steps) fail('steps', `must have at most ${L.steps} steps`);
  policy.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    if (!Number.isInteger(step.delaySeconds) || step.delaySeconds < 0 || step.delaySeconds > L.delaySeconds) {
      fail(`${at}.delaySeconds`, `must be an integer from 0 to ${L.delaySeconds}`);
    } else if (i > 0 && step.delaySeconds <= policy.steps[i - 1].delaySeconds) {
      fail(`${at}.delaySeconds`, `must be greater than steps.${i - 1}.delaySeconds`);
    }
    if (step.notify && step.notify.length > L.notify) fail(`${at}.notify`, `must have at most ${L.notify} entries`);
    step.notify?.forEach((target, j) => {
      if (target.trim() === '' || target.length > L.notifyLength) {
        fail(`${at}.notify.${j}`, `must be 1 to ${L.notifyLength} characters`);
      }
    });
    if (step.team !== undefined && (step.team.trim() === '' || step.team.length > L.teamLength)) {
      fail(`${at}.team`, `must be 1 to ${L.teamLength} characters`);
    }
  });
  if (policy.repeat && policy.steps[0]?.delaySeconds === 0) {
    fail('steps.0.delaySeconds', 'must be greater than 0 when the policy repeats');
  }
  if (
    policy.maxRepeats !== undefined &&
    (!Number.isInteger(policy.maxRepeats) || policy.maxRepeats < 0 || policy.maxRepeats > L.maxRepeats)
  ) {
    fail('maxRepeats', `must be an integer from 0 to ${L.maxRepeats}`);
  }
  return errors;
}

/**
 * The step after `escalationLevel` (0 = none done yet), due or not; null once the policy is exhausted.
 * `openedAt` is the latest (re)opening, so a reopened ticket starts its escalation over.
 */
export function nextEscalation(
  policy: EscalationPolicy,
  ticket: { openedAt: Date; escalationLevel: number },
  now: Date,
): (DueEscalation & { due: boolean }) | null {
  const next = escalationAt(policy, ticket.openedAt, ticket.escalationLevel + 1);
  return next && { ...next, due: next.dueAt.getTime() <= now.getTime() };
}

/**
 * Every step due by `now` after `doneLevel`, in order. After a stop of the service, each missed step is
 * returned once, oldest first; the caller records them and stores the last level, so none repeats.
 */
export function dueEscalations(
  policy: EscalationPolicy,
  openedAt: Date,
  doneLevel: number,
  now: Date,
): DueEscalation[] {
  const due: DueEscalation[] = [];
  for (
    let next = escalationAt(policy, openedAt, doneLevel + 1);
    next !== null && next.dueAt.getTime() <= now.getTime();
    next = escalationAt(policy, openedAt, next.level + 1)
  ) {
    due.push(next);
  }
  return due;
}

/** A P1 ticket notifies its team as soon as it opens, before any escalation step. */
export function notifyAtOpen(priority: Priority): boolean {
  return priority === 'P1';
}

function escalationAt(policy: EscalationPolicy, openedAt: Date, level: number): DueEscalation | null {
  const { steps } = policy;
  const cycles = 1 + (policy.repeat ? (policy.maxRepeats ?? DEFAULT_MAX_REPEATS) : 0);
  if (level < 1 || level > steps.length * cycles) return null;
  const cycle = Math.floor((level - 1) / steps.length);
  const step = steps[(level - 1) % steps.length];
  const cycleLengthSeconds = steps[steps.length - 1].delaySeconds;
  const offsetSeconds = cycle * cycleLengthSeconds + step.delaySeconds;
  return { level, step, dueAt: new Date(openedAt.getTime() + offsetSeconds * 1000) };
}
