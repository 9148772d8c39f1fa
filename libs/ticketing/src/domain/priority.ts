import type { Criticality } from '@netdesk/inventory';
import type { FaultType } from './fault';

/** P1 is the most urgent. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Priority as a score: points for the device's criticality, for the fault type, and for the impact (the
 * devices behind it in the dependency graph), compared with a minimum score per priority. Kept as data
 * so a deployment can tune it.
 */
export interface PriorityRule {
  criticalityPoints: Record<Criticality, number>;
  faultPoints: Record<FaultType, number>;
  /** Faults that reach the devices behind the faulty one: they are cut off, or their path is slow or lossy. */
  impactFaults: readonly FaultType[];
  /** The highest band whose `minDescendants` the impact reaches gives its points. */
  impactBands: readonly { minDescendants: number; points: number }[];
  /** Minimum score for each priority; below P3's is P4. */
  minScore: Record<'P1' | 'P2' | 'P3', number>;
}

/**
 * A critical WAN router down with 40 devices behind it scores 3 + 3 + 3 = 9: P1; any critical device down
 * is P1, a normal server down P2, one access-port interface on a normal switch 1 + 1 = 2: P4.
 * Interface faults take no impact points: which devices sit behind which port is not known, and the
 * ports an operator labels are often redundant uplinks. A reboot is over by the time it is seen.
 */
export const DEFAULT_PRIORITY_RULE: PriorityRule = {
  criticalityPoints: { critical: 3, high: 2, normal: 1, low: 0 },
  faultPoints: {
    device_down: 3,
    packet_loss: 2,
    interface_down: 1,
    high_latency: 1,
    device_rebooted: 0,
    // A saturated circuit slows everyone behind it, like latency; errors, CPU, memory and jitter are warnings.
    link_utilisation: 1,
    interface_errors: 1,
    high_cpu: 1,
    high_memory: 1,
    high_jitter: 1,
  },
  impactFaults: ['device_down', 'packet_loss', 'high_latency', 'link_utilisation', 'high_jitter'],
  impactBands: [
    { minDescendants: 1, points: 1 },
    { minDescendants: 10, points: 2 },
    { minDescendants: 40, points: 3 },
  ],
  minScore: { P1: 6, P2: 4, P3: 3 },
};

export interface PriorityInput {
  criticality: Criticality;
  faultType: FaultType;
  /** Devices whose parent chain passes through the faulty device. */
  descendants: number;
}

export function computePriority(
  input: PriorityInput,
  rule: PriorityRule = DEFAULT_PRIORITY_RULE,
): { priority: Priority; explanation: string } {
  const criticality = rule.criticalityPoints[input.criticality];
  const fault = rule.faultPoints[input.faultType];
  const impact = rule.impactFaults.includes(input.faultType) ? impactPoints(input.descendants, rule) : 0;
  const score = criticality + fault + impact;
  const priority = (['P1', 'P2', 'P3'] as const).find((p) => score >= rule.minScore[p]) ?? 'P4';
  const behind = input.descendants === 1 ? '1 device' : `${input.descendants} devices`;
  return {
    priority,
    explanation:
      `${input.criticality} device +${criticality}, ${input.faultType} +${fault}, ${behind} behind it +${impact}` +
      ` = ${score} → ${priority}`,
  };
}

/** Priority only goes up during an incident (more devices cut off): a recomputed lower one is ignored. */
export function raisePriority(current: Priority, recomputed: Priority): Priority {
  return PRIORITIES.indexOf(recomputed) < PRIORITIES.indexOf(current) ? recomputed : current;
}

function impactPoints(descendants: number, rule: PriorityRule): number {
  return Math.max(0, ...rule.impactBands.filter((b) => descendants >= b.minDescendants).map((b) => b.points));
}
