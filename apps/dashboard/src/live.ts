import { io, Socket } from 'socket.io-client';
import { get, session } from './api';
import { ACTIVE_TICKET_STATUSES } from './types';
import type {
  Device,
  DeviceStatus,
  DeviceSummary,
  DeviceStatusEvent,
  InterfaceStatusEvent,
  Site,
  Snapshot,
  Ticket,
  WanReadingEvent,
} from './types';

export type Connection = 'connecting' | 'live' | 'lost';

/** Sites with no site are grouped under this key. */
export const NO_SITE = '';

/**
 * The live picture of the network: one socket.io connection to `/live`, a snapshot, then deltas.
 *
 * State is bounded by the inventory: devices in a Map keyed by id, open tickets in a Map keyed by id
 * (closed and resolved tickets leave it), the per-site arrays the board renders, and nothing else — no
 * event log — so a wall screen can run for weeks. A reconnect replaces everything from the new snapshot.
 */
class LiveStore {
  connection: Connection = 'connecting';
  /** Set once the first snapshot arrived (the board shows a loading state until then). */
  ready = false;
  /** Bumped on every snapshot: whatever was derived from the previous one is stale. */
  epoch = 0;
  /** How many times the connection was lost since load (shown in kiosk mode, for the operator). */
  drops = 0;
  /** When the last snapshot or change arrived (ms since the epoch); 0 before the first. */
  updatedAt = 0;
  /** When the connection was lost (ms since the epoch), null while live: durations freeze there. */
  lostAt: number | null = null;
  devices = new Map<string, DeviceSummary>();
  tickets = new Map<string, Ticket>();
  sites = new Map<string, Site>();
  /** Devices per site id, sorted by name; a site's array is replaced (never mutated) when one of its devices changes. */
  bySite = new Map<string, DeviceSummary[]>();

  private socket: Socket | null = null;
  private listeners = new Set<() => void>();
  private ticketListeners = new Set<(t: Ticket, kind: 'opened' | 'updated') => void>();
  private interfaceListeners = new Set<(e: InterfaceStatusEvent) => void>();
  private wanListeners = new Set<(e: WanReadingEvent) => void>();
  private pending = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelayMs = 1000;
  private fetchingUnknown = new Set<string>();

  start(): void {
    if (this.socket) return;
    const socket = io('/live', {
      // batch: one frame per coalescing window instead of one message per change (scales to many screens);
      // summary: devices as the board needs them, not in full (60 % of the bytes, read 2–3× faster)
      auth: (cb) => cb({ token: session.token() ?? '', batch: true, view: 'summary' }),
      transports: ['websocket', 'polling'],
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 15_000,
      randomizationFactor: 0.3,
      timeout: 10_000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      performance.mark('netdesk:live-connected');
      this.retryDelayMs = 1000;
      // `live` only once the snapshot is in: until then, the old state is stale
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler takes its own event's payload
    const handlers: Record<string, (data: any) => void> = {
      'device.status': (e: DeviceStatusEvent) => this.applyDeviceStatus(e),
      'interface.status': (e: InterfaceStatusEvent) => this.interfaceListeners.forEach((l) => l(e)),
      'wan.reading': (e: WanReadingEvent) => this.wanListeners.forEach((l) => l(e)),
      'ticket.opened': (t: Ticket | { ticket: Ticket }) => this.applyTicket(t, 'opened'),
      'ticket.updated': (t: Ticket | { ticket: Ticket }) => this.applyTicket(t, 'updated'),
    };
    socket.on('snapshot', (s: Snapshot) => this.applySnapshot(s));
    // the same events, one by one (contract clients) or a window's worth in one `batch` frame (ours)
    for (const [event, handle] of Object.entries(handlers)) socket.on(event, handle);
    socket.on('batch', (items: { event: string; data: unknown }[]) =>
      items.forEach((i) => handlers[i.event]?.(i.data)),
    );
    // the server ends a connection when its token expires: sign in again rather than retry for ever
    socket.on('session.expired', () => session.clear('Your session has expired. Please sign in again.'));
    socket.on('disconnect', (reason) => {
      this.lost();
      // the server (or a restart) closed it: socket.io does not retry that by itself
      if (reason === 'io server disconnect') this.retryLater();
    });
    socket.on('connect_error', () => {
      this.lost();
      // refused by the server's middleware (e.g. the token): socket.io gives up, we don't
      if (!socket.active) void this.checkSessionThenRetry();
    });
    void this.loadSites();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.devices.clear();
    this.tickets.clear();
    this.bySite.clear();
    this.ready = false;
    this.connection = 'connecting';
    this.notify();
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onTicket(l: (t: Ticket, kind: 'opened' | 'updated') => void): () => void {
    this.ticketListeners.add(l);
    return () => this.ticketListeners.delete(l);
  }

  onInterface(l: (e: InterfaceStatusEvent) => void): () => void {
    this.interfaceListeners.add(l);
    return () => this.interfaceListeners.delete(l);
  }

  /** WAN circuit readings as they are pushed (the WAN view applies them to its rows). */
  onWanReading(l: (e: WanReadingEvent) => void): () => void {
    this.wanListeners.add(l);
    return () => this.wanListeners.delete(l);
  }

  siteName(siteId: string): string {
    if (siteId === NO_SITE) return 'No site';
    return this.sites.get(siteId)?.name ?? 'Site';
  }

  async loadSites(): Promise<void> {
    try {
      const sites = await get<Site[]>('/api/sites');
      this.sites = new Map(sites.map((s) => [s.id, s]));
      this.notify();
    } catch {
      /* names fall back to "Site"; retried on the next snapshot */
    }
  }

  private lost(): void {
    if (this.connection !== 'lost') {
      this.connection = 'lost';
      this.lostAt = Date.now();
      this.drops++;
      this.notify();
    }
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    const delay = this.retryDelayMs * (0.8 + Math.random() * 0.4);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 15_000);
    this.retryTimer = setTimeout(() => this.socket?.connect(), delay);
  }

  private async checkSessionThenRetry(): Promise<void> {
    try {
      await get('/api/auth/me'); // a 401 here signs the tab out (api.ts), which stops the store
      this.retryLater();
    } catch (e) {
      if (session.token()) this.retryLater();
      void e;
    }
  }

  private applySnapshot(s: Snapshot): void {
    performance.mark('netdesk:snapshot-received');
    this.devices = new Map(s.devices.map((d) => [d.id, d]));
    this.tickets = new Map(
      s.openTickets.filter((t) => ACTIVE_TICKET_STATUSES.includes(t.status)).map((t) => [t.id, t]),
    );
    const bySite = new Map<string, DeviceSummary[]>();
    for (const d of s.devices) {
      const key = d.siteId ?? NO_SITE;
      let list = bySite.get(key);
      if (!list) bySite.set(key, (list = []));
      list.push(d);
    }
    for (const list of bySite.values()) list.sort(byName);
    this.bySite = bySite;
    this.ready = true;
    this.connection = 'live';
    this.lostAt = null;
    this.updatedAt = Date.now();
    this.epoch++;
    if ([...bySite.keys()].some((k) => k !== NO_SITE && !this.sites.has(k))) void this.loadSites();
    performance.mark('netdesk:snapshot-applied');
    // a snapshot is rare and replaces everything: render it now rather than on the next frame
    this.notify(true);
  }

  private applyDeviceStatus(e: DeviceStatusEvent): void {
    const d = this.devices.get(e.deviceId);
    if (!d) {
      void this.fetchUnknown(e.deviceId);
      return;
    }
    // status equal to the previous one: only maintenance, flapping or the poller changed, the status keeps its age
    const same = e.previousStatus !== undefined && e.previousStatus === e.status && d.status === e.status;
    const next: DeviceSummary = { ...d, status: e.status, statusSince: same ? d.statusSince : (e.at ?? d.statusSince) };
    if (typeof e.flapping === 'boolean') next.flapping = e.flapping;
    if (typeof e.inMaintenance === 'boolean') {
      next.inMaintenance = e.inMaintenance;
      next.maintenanceUntil = e.maintenanceUntil ?? null;
    }
    if (e.pollerName !== undefined) next.pollerName = e.pollerName;
    if (typeof e.stale === 'boolean') next.stale = e.stale;
    // the reason belongs to the old status unless the event brings the new one
    if (!same) next.statusReason = e.statusReason !== undefined ? e.statusReason : null;
    this.updatedAt = Date.now();
    this.putDevice(next);
  }

  private async fetchUnknown(id: string): Promise<void> {
    if (this.fetchingUnknown.has(id)) return;
    this.fetchingUnknown.add(id);
    try {
      const d = await get<Device>(`/api/devices/${id}`);
      const key = d.siteId ?? NO_SITE;
      if (key !== NO_SITE && !this.sites.has(key)) await this.loadSites();
      this.putDevice(d);
    } catch {
      /* deleted meanwhile */
    } finally {
      this.fetchingUnknown.delete(id);
    }
  }

  private putDevice(d: DeviceSummary): void {
    const old = this.devices.get(d.id);
    this.devices.set(d.id, d);
    const key = d.siteId ?? NO_SITE;
    const list = this.bySite.get(key) ?? [];
    const i = old ? list.findIndex((x) => x.id === d.id) : -1;
    const copy = list.slice();
    if (i >= 0) copy[i] = d;
    else {
      copy.push(d);
      copy.sort(byName);
    }
    this.bySite.set(key, copy);
    this.notify();
  }

  private applyTicket(payload: Ticket | { ticket: Ticket }, kind: 'opened' | 'updated'): void {
    const t = 'ticket' in payload && payload.ticket ? payload.ticket : (payload as Ticket);
    if (!t || !t.id) return;
    if (ACTIVE_TICKET_STATUSES.includes(t.status)) this.tickets.set(t.id, t);
    else this.tickets.delete(t.id);
    this.updatedAt = Date.now();
    this.ticketListeners.forEach((l) => l(t, kind));
    this.notify();
  }

  /** Coalesces bursts of deltas into one render per frame (or per 250 ms in a hidden tab). */
  private notify(now = false): void {
    const flush = () => {
      this.pending = false;
      this.listeners.forEach((l) => l());
    };
    if (now) return flush();
    if (this.pending) return;
    this.pending = true;
    if (typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(flush);
    else setTimeout(flush, 250);
  }
}

function byName(a: DeviceSummary, b: DeviceSummary): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export const live = new LiveStore();

const PRIORITY_RANK = { P1: 0, P2: 1, P3: 2, P4: 3 } as const;

/** The most urgent active ticket of each device (what a board row or tile names). */
export function ticketsByDevice(tickets: Map<string, Ticket>): Map<string, Ticket> {
  const out = new Map<string, Ticket>();
  for (const t of tickets.values()) {
    if (!t.deviceId) continue;
    const had = out.get(t.deviceId);
    if (!had || PRIORITY_RANK[t.priority] < PRIORITY_RANK[had.priority]) out.set(t.deviceId, t);
  }
  return out;
}

/** "now" for durations: while the connection is lost they freeze at the moment it was lost. */
export function liveNow(): number {
  return live.lostAt ?? Date.now();
}

/** The first down ancestor of each unreachable device: the root cause it is hidden behind. */
export function rootCauses(devices: Map<string, DeviceSummary>): Map<string, DeviceSummary[]> {
  const behind = new Map<string, DeviceSummary[]>();
  for (const d of devices.values()) {
    if (d.status !== 'unreachable') continue;
    let p = d.parentId ? devices.get(d.parentId) : undefined;
    for (let hops = 0; p && hops < 64; hops++) {
      if (p.status === 'down') {
        let list = behind.get(p.id);
        if (!list) behind.set(p.id, (list = []));
        list.push(d);
        break;
      }
      p = p.parentId ? devices.get(p.parentId) : undefined;
    }
  }
  return behind;
}

/** How many devices are in each status. */
export function countByStatus(devices: Iterable<DeviceSummary>): Record<DeviceStatus, number> {
  const c: Record<DeviceStatus, number> = { up: 0, degraded: 0, down: 0, unreachable: 0, unknown: 0 };
  for (const d of devices) c[d.status]++;
  return c;
}

/** How many devices show a last known status (no live poller in their group). */
export function countStale(devices: Iterable<DeviceSummary>): number {
  let n = 0;
  for (const d of devices) if (d.stale) n++;
  return n;
}
