import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { Clock, EventBus } from '@netdesk/core';
import {
  DeviceChangedEvent,
  DeviceDirectory,
  DevicePollerViewSource,
  INVENTORY_EVENTS,
  MaintenanceCalendar,
  MaintenanceCalendarSource,
  NO_MAINTENANCE,
  NO_POLLER_VIEW,
  POLLER_VIEW_CHANGED,
} from '@netdesk/inventory';
import { databaseUnavailable, quietWhileDatabaseDown } from '@netdesk/database';
import { MONITORING_EVENTS, MonitoringEvent, WanReadingEvent } from '@netdesk/monitoring';
import { PeopleDirectory, TICKETING_EVENTS, TicketChangedEvent, toTicketResponse } from '@netdesk/ticketing';
import { DeviceLiveState, DeviceSiteIndex } from './device-site.index';
import { LiveFeedService } from './live-feed.service';
import { DeviceStates, LIVE_EVENTS, LiveDelta } from './live.events';
import { LIVE_OPTIONS, LiveOptions } from './live.options';
import { LiveRelay, LiveRelayMessage } from './live.ports';

const iso = (at: Date | string) => new Date(at).toISOString();
const NOT_IN_MAINTENANCE: DeviceStates = {
  inMaintenance: false,
  maintenanceUntil: null,
  flapping: false,
  ...NO_POLLER_VIEW,
};

/**
 * The contract's `device.status` from monitoring's event, with the device's maintenance and flapping
 * states; null for a change of causes only (same status).
 */
export function deviceStatusDelta(
  e: MonitoringEvent<'device_status'>,
  siteId: string | null,
  states: DeviceStates = NOT_IN_MAINTENANCE,
): LiveDelta | null {
  if (e.from === e.to) return null;
  return {
    event: LIVE_EVENTS.deviceStatus,
    siteId,
    data: { deviceId: e.deviceId, status: e.to, previousStatus: e.from, at: iso(e.at), ...states },
  };
}

export function interfaceStatusDelta(e: MonitoringEvent<'interface_status'>, siteId: string | null): LiveDelta | null {
  if (e.from === e.to) return null;
  return {
    event: LIVE_EVENTS.interfaceStatus,
    siteId,
    data: { deviceId: e.deviceId, ifIndex: e.ifIndex, operStatus: e.to, previousOperStatus: e.from, at: iso(e.at) },
  };
}

/** The live `wan.reading` of one circuit's reading. */
export function wanReadingDelta(e: WanReadingEvent, siteId: string | null): LiveDelta {
  return {
    event: LIVE_EVENTS.wanReading,
    siteId,
    data: {
      deviceId: e.deviceId,
      ifIndex: e.ifIndex,
      inBps: e.inBps,
      outBps: e.outBps,
      inUtilisationPct: e.inUtilisationPct,
      outUtilisationPct: e.outUtilisationPct,
      rttMs: e.rttMs,
      jitterMs: e.jitterMs,
      at: iso(e.at),
    },
  };
}

/**
 * Turns what this instance's EventBus sees (monitoring status changes, ticket changes) into live
 * deltas tagged with their device's site, and hands them to the feed and, with Redis, to the other
 * instances. Each instance relays only its own bus, so nothing is pushed twice.
 *
 * Site lookups that miss the index read the database; changes wait in one ordered line behind such a
 * read, so the order of changes (of one device, and overall) is kept.
 *
 * A device's states besides its status are pushed as a `device.status` whose `status` equals
 * `previousStatus`: when flap detection starts or stops holding it, and when maintenance starts, ends or
 * changes its end for it, and when its poller or staleness changes (scale-out). Maintenance is checked every `maintenanceCheckMs` and at once when a window is
 * created or removed (`ticketing.maintenance.changed`).
 */
@Injectable()
export class LiveEventSource implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('live');
  // while the database is down every lookup fails: one line per minute for those, each other failure logged
  private readonly lookupFailedQuietly = quietWhileDatabaseDown((err, suppressed) =>
    this.logger.error({ err, suppressed }, 'live: site lookup failed; changes pushed to everyone only'),
  );
  private lookupFailed(err: unknown, deviceId: string | null): void {
    if (databaseUnavailable(err)) this.lookupFailedQuietly(err);
    else this.logger.error({ err, deviceId }, 'live: site lookup failed; change pushed to everyone only');
  }
  private readonly unsubscribe: (() => void)[] = [];
  private relay: LiveRelay | null = null;
  private line: Promise<void> | null = null;
  private calendar: MaintenanceCalendar = NO_MAINTENANCE;
  /** The devices in maintenance at the last check, with the end then known (ISO). */
  private covered: Map<string, string> | null = null;
  private checking: Promise<void> | null = null;
  private checkAgain = false;
  private checkTimer?: NodeJS.Timeout;

  constructor(
    private readonly bus: EventBus,
    private readonly index: DeviceSiteIndex,
    private readonly feed: LiveFeedService,
    private readonly devices: DeviceDirectory,
    private readonly clock: Clock,
    @Inject(LIVE_OPTIONS) private readonly options: LiveOptions,
    private readonly people: PeopleDirectory,
    @Optional() private readonly maintenance?: MaintenanceCalendarSource,
    @Optional() private readonly pollers?: DevicePollerViewSource,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.bus.subscribe<MonitoringEvent<'device_status'>>(MONITORING_EVENTS.deviceStatus, (e) =>
        this.take(e.deviceId, (site) => {
          const delta = deviceStatusDelta(e, site, this.statesOf(e.deviceId, site));
          this.index.update(e.deviceId, { status: e.to });
          return delta;
        }),
      ),
      this.bus.subscribe<MonitoringEvent<'flapping'>>(MONITORING_EVENTS.flapping, (e) => {
        if (e.ifIndex !== null) return;
        this.take(e.deviceId, (site) => {
          this.index.update(e.deviceId, { flapping: e.flapping });
          return this.sameStatusDelta(e.deviceId, site, e.at);
        });
      }),
      this.bus.subscribe(TICKETING_EVENTS.maintenanceChanged, () => void this.checkMaintenance()),
      this.bus.subscribe<DeviceChangedEvent>(POLLER_VIEW_CHANGED, ({ deviceIds }) => {
        const now = this.clock.now();
        for (const id of deviceIds) this.take(id, (site) => this.sameStatusDelta(id, site, now));
      }),
      this.bus.subscribe<MonitoringEvent<'interface_status'>>(MONITORING_EVENTS.interfaceStatus, (e) =>
        this.take(e.deviceId, (site) => interfaceStatusDelta(e, site)),
      ),
      this.bus.subscribe<WanReadingEvent>(MONITORING_EVENTS.wanReading, (e) =>
        this.take(e.deviceId, (site) => wanReadingDelta(e, site)),
      ),
      this.bus.subscribe<TicketChangedEvent>(TICKETING_EVENTS.opened, ({ ticket }) =>
        this.take(ticket.deviceId, (siteId) => ({
          event: LIVE_EVENTS.ticketOpened,
          siteId,
          data: { ticket: toTicketResponse(ticket, this.people) },
        })),
      ),
      this.bus.subscribe<TicketChangedEvent>(TICKETING_EVENTS.updated, ({ ticket }) =>
        this.take(ticket.deviceId, (siteId) => ({
          event: LIVE_EVENTS.ticketUpdated,
          siteId,
          data: { ticket: toTicketResponse(ticket, this.people) },
        })),
      ),
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, (e) => this.forget(e.deviceIds)),
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceRemoved, (e) => this.forget(e.deviceIds)),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    clearInterval(this.checkTimer);
  }

  /** Starts the maintenance checks once the database is migrated. */
  onApplicationBootstrap(): void {
    if (!this.maintenance || this.checkTimer) return;
    void this.checkMaintenance();
    this.checkTimer = setInterval(() => void this.checkMaintenance(), this.options.maintenanceCheckMs);
    this.checkTimer.unref?.();
  }

  /** Maintenance and flapping of a device the index knows (now). */
  private statesOf(deviceId: string, siteId: string | null): DeviceStates {
    const until = this.calendar.until({ id: deviceId, siteId }, this.clock.now());
    return {
      inMaintenance: until !== null,
      maintenanceUntil: until?.toISOString() ?? null,
      flapping: this.index.state(deviceId)?.flapping ?? false,
      ...(this.pollers?.viewOf(deviceId) ?? NO_POLLER_VIEW),
    };
  }

  /** A `device.status` that carries only a change of the other states. */
  private sameStatusDelta(deviceId: string, siteId: string | null, at: Date): LiveDelta | null {
    const state: DeviceLiveState | undefined = this.index.state(deviceId);
    if (!state) return null;
    return {
      event: LIVE_EVENTS.deviceStatus,
      siteId,
      data: {
        deviceId,
        status: state.status,
        previousStatus: state.status,
        at: iso(at),
        ...this.statesOf(deviceId, siteId),
      },
    };
  }

  /**
   * Reloads the calendar and pushes a `device.status` for each device whose maintenance began, ended or
   * moved its end since the last check (the first check only learns). Runs one at a time.
   */
  private checkMaintenance(): Promise<void> {
    if (!this.maintenance) return Promise.resolve();
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    const run = async () => {
      do {
        this.checkAgain = false;
        try {
          await this.checkMaintenanceOnce(this.maintenance!);
        } catch (err) {
          this.logger.error({ err }, 'live: maintenance check failed');
        }
      } while (this.checkAgain);
    };
    this.checking = run().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkMaintenanceOnce(source: MaintenanceCalendarSource): Promise<void> {
    const calendar = await source.calendar();
    this.calendar = calendar;
    const candidates = await this.devices.listStates([...calendar.deviceIds], [...calendar.siteIds]);
    const now = this.clock.now();
    const covered = new Map<string, string>();
    for (const d of candidates) {
      const until = calendar.until(d, now);
      if (until) covered.set(d.id, until.toISOString());
    }
    const previous = this.covered;
    this.covered = covered;
    if (!previous) return;
    const changed = new Set<string>();
    for (const [id, until] of covered) if (previous.get(id) !== until) changed.add(id);
    for (const id of previous.keys()) if (!covered.has(id)) changed.add(id);
    if (changed.size === 0) return;
    const states = new Map(candidates.map((d) => [d.id, d]));
    const gone = [...changed].filter((id) => !states.has(id));
    const read = gone.length ? await this.devices.findByIds(gone) : [];
    this.index.learn([...candidates.filter((d) => changed.has(d.id)), ...read]);
    for (const id of changed) this.take(id, (site) => this.sameStatusDelta(id, site, now));
  }

  /** With Redis: where this instance's changes go for the others. */
  attachRelay(relay: LiveRelay | null): void {
    this.relay = relay;
  }

  /** Something another instance relayed. */
  receive(message: LiveRelayMessage): void {
    if ('delta' in message) this.feed.accept(message.delta);
    else this.index.forget(message.forgetDevices);
  }

  private forget(deviceIds: string[]): void {
    this.index.forget(deviceIds);
    this.relay?.publish({ forgetDevices: deviceIds });
  }

  private take(deviceId: string | null, build: (siteId: string | null) => LiveDelta | null): void {
    if (!this.line && (deviceId === null || this.index.has(deviceId))) {
      this.emit(build(deviceId === null ? null : this.index.get(deviceId)));
      return;
    }
    const next = (this.line ?? Promise.resolve())
      .then(async () => this.emit(build(deviceId === null ? null : await this.index.resolve(deviceId))))
      .catch((err) => {
        this.lookupFailed(err, deviceId);
        this.emit(build(null));
      })
      .finally(() => {
        if (this.line === next) this.line = null;
      });
    this.line = next;
  }

  private emit(delta: LiveDelta | null): void {
    if (!delta) return;
    this.relay?.publish({ delta });
    this.feed.accept(delta);
  }
}
