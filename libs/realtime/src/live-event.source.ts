import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@netdesk/core';
import { DeviceChangedEvent, INVENTORY_EVENTS } from '@netdesk/inventory';
import { MONITORING_EVENTS, MonitoringEvent } from '@netdesk/monitoring';
import { TICKETING_EVENTS, TicketChangedEvent, toTicketResponse } from '@netdesk/ticketing';
import { DeviceSiteIndex } from './device-site.index';
import { LiveFeedService } from './live-feed.service';
import { LIVE_EVENTS, LiveDelta } from './live.events';
import { LiveRelay, LiveRelayMessage } from './live.ports';

const iso = (at: Date | string) => new Date(at).toISOString();

/** The contract's `device.status` from monitoring's event; null for a change of causes only (same status). */
export function deviceStatusDelta(e: MonitoringEvent<'device_status'>, siteId: string | null): LiveDelta | null {
  if (e.from === e.to) return null;
  return {
    event: LIVE_EVENTS.deviceStatus,
    siteId,
    data: { deviceId: e.deviceId, status: e.to, previousStatus: e.from, at: iso(e.at) },
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

/**
 * Turns what this instance's EventBus sees (monitoring status changes, ticket changes) into live
 * deltas tagged with their device's site, and hands them to the feed and, with Redis, to the other
 * instances. Each instance relays only its own bus, so nothing is pushed twice.
 *
 * Site lookups that miss the index read the database; changes wait in one ordered line behind such a
 * read, so the order of changes (of one device, and overall) is kept.
 */
@Injectable()
export class LiveEventSource implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('live');
  private readonly unsubscribe: (() => void)[] = [];
  private relay: LiveRelay | null = null;
  private line: Promise<void> | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly index: DeviceSiteIndex,
    private readonly feed: LiveFeedService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.bus.subscribe<MonitoringEvent<'device_status'>>(MONITORING_EVENTS.deviceStatus, (e) =>
        this.take(e.deviceId, (site) => deviceStatusDelta(e, site)),
      ),
      this.bus.subscribe<MonitoringEvent<'interface_status'>>(MONITORING_EVENTS.interfaceStatus, (e) =>
        this.take(e.deviceId, (site) => interfaceStatusDelta(e, site)),
      ),
      this.bus.subscribe<TicketChangedEvent>(TICKETING_EVENTS.opened, ({ ticket }) =>
        this.take(ticket.deviceId, (siteId) => ({
          event: LIVE_EVENTS.ticketOpened,
          siteId,
          data: { ticket: toTicketResponse(ticket) },
        })),
      ),
      this.bus.subscribe<TicketChangedEvent>(TICKETING_EVENTS.updated, ({ ticket }) =>
        this.take(ticket.deviceId, (siteId) => ({
          event: LIVE_EVENTS.ticketUpdated,
          siteId,
          data: { ticket: toTicketResponse(ticket) },
        })),
      ),
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, (e) => this.forget(e.deviceIds)),
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceRemoved, (e) => this.forget(e.deviceIds)),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
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
        this.logger.error({ err, deviceId }, 'live: site lookup failed; change pushed to everyone only');
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
