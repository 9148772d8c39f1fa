/** The shapes of the public API (see /api/docs), as the dashboard reads them. */

export type DeviceStatus = 'unknown' | 'up' | 'degraded' | 'down' | 'unreachable';
export const DEVICE_STATUSES: DeviceStatus[] = ['down', 'unreachable', 'degraded', 'unknown', 'up'];

export interface Device {
  /** The device's own threshold overrides. */
  thresholds?: Partial<Record<string, number>>;
  id: string;
  name: string;
  host: string;
  siteId: string | null;
  parentId: string | null;
  kind: string;
  criticality: string;
  pollIntervalSec: number;
  tags: string[];
  team: string | null;
  status: DeviceStatus;
  statusSince: string;
  statusReason?: string | null;
  flapping?: boolean;
  /** True while a maintenance window covers the device; its status stays the measured one. */
  inMaintenance?: boolean;
  maintenanceUntil?: string | null;
  /** The poller that polls it (scale-out); null while unassigned or polled by the core itself. */
  pollerName?: string | null;
  /** True while no live poller of its group reports: its status is the last one known. */
  stale?: boolean;
  lastPoll: { at: string; rttMs: number | null; lossPct: number | null } | null;
  sysName?: string;
  sysDescr?: string;
  uptimeSec?: number;
  snmp?: { version: string; port: number; configured: true } | null;
}

/** What the live snapshot carries per device (`view: 'summary'`): enough for the board, 60 % of the bytes. */
export type DeviceSummary = Pick<
  Device,
  | 'id'
  | 'name'
  | 'host'
  | 'siteId'
  | 'parentId'
  | 'kind'
  | 'status'
  | 'statusSince'
  | 'statusReason'
  | 'flapping'
  | 'inMaintenance'
  | 'maintenanceUntil'
  | 'pollerName'
  | 'stale'
  | 'tags'
  | 'sysName'
>;

export interface Site {
  id: string;
  name: string;
  location: string | null;
  pollerGroup?: string;
}

export type TicketStatus = 'open' | 'acknowledged' | 'in_progress' | 'resolved' | 'closed';
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const ACTIVE_TICKET_STATUSES: TicketStatus[] = ['open', 'acknowledged', 'in_progress'];

export interface Ticket {
  id: string;
  number: number;
  title: string;
  description?: string;
  status: TicketStatus;
  priority: Priority;
  source: 'auto' | 'manual' | 'email';
  deviceId: string | null;
  ifIndex?: number;
  faultType: string;
  escalationLevel: number;
  assigneeId?: string;
  assignee?: Person | null;
  acknowledgedBy?: Person | null;
  team?: string;
  recurring: boolean;
  flapping?: boolean;
  occurrences: number;
  faultActive?: boolean;
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  resolution?: string;
  slaAcknowledgeDueAt?: string;
  slaResolveDueAt?: string;
  slaBreaches?: string[];
  /** What an agent may do to it now: the server's lifecycle rules, so the buttons match them. */
  allowedActions: TicketAction[];
}

export type TicketAction = 'acknowledge' | 'start' | 'assign' | 'comment' | 'resolve' | 'close' | 'reopen';

export interface Person {
  id: string;
  name: string | null;
  email: string | null;
}

export interface TicketEvent {
  at: string;
  type: string;
  actor: string;
  message: string;
}

export interface TicketWithEvents extends Ticket {
  events: TicketEvent[];
}

export interface User {
  id: string;
  email: string;
  role: 'viewer' | 'agent' | 'manager' | 'admin';
  name?: string | null;
  team?: string | null;
}

export interface Interface {
  ifIndex: number;
  name: string;
  alias?: string;
  adminStatus: string;
  operStatus: string;
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
  inErrors: number | null;
  outErrors: number | null;
  monitored?: boolean;
  /** An operator's choice (PATCH …/interfaces/:ifIndex); `monitored` follows it at the next poll. */
  monitoredOverride?: boolean | null;
  flapping?: boolean;
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
  utilisationPct?: number | null;
  inUtilisationPct?: number | null;
  outUtilisationPct?: number | null;
}

export interface HistoryEntry {
  id: string;
  kind: string;
  ifIndex?: number;
  from: string | null;
  to: string | null;
  reason: string | null;
  at: string;
}

export interface MetricSeries {
  metric: string;
  resolution: string;
  from: string;
  to: string;
  points: { at: string; avg: number; min: number; max: number }[];
}

/** socket.io `/live` payloads. */
export interface Snapshot {
  devices: DeviceSummary[];
  openTickets: Ticket[];
}
export interface DeviceStatusEvent {
  deviceId: string;
  status: DeviceStatus;
  previousStatus?: DeviceStatus;
  at: string;
  flapping?: boolean;
  inMaintenance?: boolean;
  maintenanceUntil?: string | null;
  statusReason?: string | null;
  pollerName?: string | null;
  stale?: boolean;
}
export interface InterfaceStatusEvent {
  deviceId: string;
  ifIndex: number;
  operStatus: string;
  previousOperStatus?: string;
  at: string;
}

/** `wan.reading` on /live: one WAN circuit's latest reading (coalesced per circuit by the server). */
export interface WanReadingEvent {
  deviceId: string;
  ifIndex: number;
  inBps: number | null;
  outBps: number | null;
  inUtilisationPct: number | null;
  outUtilisationPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  at: string;
}
