import type { DeviceSummary, toDeviceResponse } from '@netdesk/inventory';
import type { toTicketResponse } from '@netdesk/ticketing';

/** The socket.io namespace of the live feed (on the main HTTP port, path `/socket.io`). */
export const LIVE_NAMESPACE = '/live';

/** What the server emits on `/live`. The first five are the public contract; the rest are additions. */
export const LIVE_EVENTS = {
  snapshot: 'snapshot',
  deviceStatus: 'device.status',
  interfaceStatus: 'interface.status',
  ticketOpened: 'ticket.opened',
  ticketUpdated: 'ticket.updated',
  /** A WAN circuit's latest reading (rates, utilisation, RTT, jitter); coalesced per circuit. */
  wanReading: 'wan.reading',
  /** Only to clients that asked for `batch: true` in the handshake: one frame per window, `[{event, data}]`. */
  batch: 'batch',
  /** Sent just before the server disconnects a client whose token expired. */
  sessionExpired: 'session.expired',
} as const;

/** What a client may send. */
export const LIVE_MESSAGES = { subscribe: 'subscribe' } as const;

export type DeviceView = ReturnType<typeof toDeviceResponse>;
export type TicketView = ReturnType<typeof toTicketResponse>;

/**
 * How a snapshot represents devices: `full` as `GET /api/devices` (the contract's default), or
 * `summary` (identity, topology and state: what a status board needs; 60 % of the bytes, read without
 * entity hydration).
 */
export const SNAPSHOT_VIEWS = ['full', 'summary'] as const;
export type SnapshotView = (typeof SNAPSHOT_VIEWS)[number];

export interface SnapshotMessage {
  devices: DeviceView[] | DeviceSummary[];
  openTickets: TicketView[];
}

/** The states shown beside a device's measured status (contract: "States shown everywhere"). */
export interface DeviceStates {
  inMaintenance: boolean;
  maintenanceUntil: string | null;
  flapping: boolean;
  /** Scale-out: the device's poller (null while unassigned) and whether its status is only the last known. */
  pollerName: string | null;
  stale: boolean;
}

/** `status` equal to `previousStatus`: only the other states changed. */
export interface DeviceStatusMessage extends DeviceStates {
  deviceId: string;
  status: string;
  previousStatus: string;
  at: string;
}

export interface InterfaceStatusMessage {
  deviceId: string;
  ifIndex: number;
  operStatus: string;
  previousOperStatus: string;
  at: string;
}

export interface WanReadingMessage {
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

export interface TicketMessage {
  ticket: TicketView;
}

export interface SessionExpiredMessage {
  reason: string;
  expiredAt: string;
}

/**
 * One change on its way to clients, tagged with the site of its device (null: no site, or a ticket
 * without a device) so site subscriptions can filter it. Plain JSON: it also crosses Redis.
 */
export type LiveDelta =
  | { event: typeof LIVE_EVENTS.deviceStatus; siteId: string | null; data: DeviceStatusMessage }
  | { event: typeof LIVE_EVENTS.interfaceStatus; siteId: string | null; data: InterfaceStatusMessage }
  | { event: typeof LIVE_EVENTS.wanReading; siteId: string | null; data: WanReadingMessage }
  | {
      event: typeof LIVE_EVENTS.ticketOpened | typeof LIVE_EVENTS.ticketUpdated;
      siteId: string | null;
      data: TicketMessage;
    };

/** One emitted event, as the transport sends it. */
export interface LiveFrame {
  event: string;
  data: unknown;
}
