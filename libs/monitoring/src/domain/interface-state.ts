/** IF-MIB ifAdminStatus values, in numeric order from 1. */
export const ADMIN_STATUSES = ['up', 'down', 'testing'] as const;
/** IF-MIB ifOperStatus values, in numeric order from 1. */
export const OPER_STATUSES = ['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'] as const;
/** Operational states that mean the link is not passing traffic when it should. */
const FAULT_OPER_STATUSES: ReadonlySet<OperStatus> = new Set(['down', 'notPresent', 'lowerLayerDown']);

export type AdminStatus = (typeof ADMIN_STATUSES)[number];
export type OperStatus = (typeof OPER_STATUSES)[number];

export function adminStatusFromSnmp(value: number): AdminStatus {
  return fromSnmp(ADMIN_STATUSES, value, 'ifAdminStatus');
}

export function operStatusFromSnmp(value: number): OperStatus {
  return fromSnmp(OPER_STATUSES, value, 'ifOperStatus');
}

export interface InterfaceSnapshot {
  ifIndex: number;
  /** ifName, or ifDescr when the agent has no ifName. */
  name: string;
  /** ifAlias: the description an operator typed on the device. */
  alias: string;
  adminStatus: AdminStatus;
  operStatus: OperStatus;
}

/** Per-device overrides of which interfaces are watched. */
export interface InterfaceSelection {
  include: readonly number[];
  exclude: readonly number[];
}

export interface InterfaceTransition {
  ifIndex: number;
  from: OperStatus;
  to: OperStatus;
  at: Date;
}

/**
 * Admin-up interfaces with a description (an operator who labelled a port cares about it), plus those the
 * device includes explicitly, minus those it excludes; exclusion wins.
 */
export function monitoredInterfaces(
  interfaces: readonly InterfaceSnapshot[],
  selection: InterfaceSelection,
): InterfaceSnapshot[] {
  return interfaces.filter(
    (i) =>
      !selection.exclude.includes(i.ifIndex) &&
      (selection.include.includes(i.ifIndex) || (i.adminStatus === 'up' && i.alias.trim() !== '')),
  );
}

/** Labels of monitored, admin-up interfaces that are faulty, for the device state machine. */
export function downInterfaceLabels(interfaces: readonly InterfaceSnapshot[], selection: InterfaceSelection): string[] {
  return monitoredInterfaces(interfaces, selection)
    .filter((i) => i.adminStatus === 'up' && FAULT_OPER_STATUSES.has(i.operStatus))
    .map((i) => (i.alias.trim() ? `${i.name} (${i.alias.trim()})` : i.name));
}

/**
 * Operational status changes between two walks of the same device. Only interfaces admin-up in both walks
 * count: an interface an operator shut down, or just brought up, is not a fault.
 */
export function interfaceTransitions(
  previous: readonly InterfaceSnapshot[],
  current: readonly InterfaceSnapshot[],
  at: Date,
): InterfaceTransition[] {
  const before = new Map(previous.map((i) => [i.ifIndex, i]));
  return current.flatMap((now) => {
    const then = before.get(now.ifIndex);
    const counts = then && then.adminStatus === 'up' && now.adminStatus === 'up' && then.operStatus !== now.operStatus;
    return counts ? [{ ifIndex: now.ifIndex, from: then.operStatus, to: now.operStatus, at }] : [];
  });
}

function fromSnmp<T>(names: readonly T[], value: number, object: string): T {
  const name = names[value - 1];
  if (!Number.isInteger(value) || name === undefined) throw new RangeError(`${value} is not a valid ${object}`);
  return name;
}
