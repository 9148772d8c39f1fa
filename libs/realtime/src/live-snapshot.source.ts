import { Injectable, Optional } from '@nestjs/common';
import { Clock } from '@netdesk/core';
import {
  DeviceDirectory,
  DevicePollerViewSource,
  MaintenanceCalendarSource,
  NO_MAINTENANCE,
  SitesService,
  toDeviceResponse,
  toDeviceSummary,
} from '@netdesk/inventory';
import { PeopleDirectory, TicketReader, toTicketResponse } from '@netdesk/ticketing';
import { DeviceSiteIndex } from './device-site.index';
import { SnapshotMessage, SnapshotView } from './live.events';
import { LiveSnapshotSource } from './live.ports';

/**
 * Snapshots from the database: devices as `GET /api/devices` returns them (or as summaries, `view`),
 * open tickets (open, acknowledged, in progress) as `GET /api/tickets` does, newest first; for a site,
 * its devices and their tickets. Requests for the same view share one read, but only one that starts
 * after they arrived, so no client misses a change committed between its read and its registration.
 */
@Injectable()
export class DatabaseSnapshotSource extends LiveSnapshotSource {
  /** Reads not yet started, per view: later callers join them. */
  private readonly waiting = new Map<string, Promise<SnapshotMessage>>();
  /** The read running per view: the next one starts after it. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly devices: DeviceDirectory,
    private readonly tickets: TicketReader,
    private readonly sites: SitesService,
    private readonly index: DeviceSiteIndex,
    private readonly clock: Clock,
    private readonly people: PeopleDirectory,
    @Optional() private readonly maintenance?: MaintenanceCalendarSource,
    @Optional() private readonly pollers?: DevicePollerViewSource,
  ) {
    super();
  }

  load(siteId: string | null, view: SnapshotView): Promise<SnapshotMessage> {
    const key = `${view}:${siteId ?? '*'}`;
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    const before = this.running.get(key) ?? Promise.resolve();
    const read = before
      .catch(() => undefined)
      .then(() => {
        this.waiting.delete(key);
        const current = this.read(siteId, view);
        this.running.set(key, current);
        const done = () => {
          if (this.running.get(key) === current) this.running.delete(key);
        };
        current.then(done, done);
        return current;
      });
    this.waiting.set(key, read);
    return read;
  }

  async assertSite(siteId: string): Promise<void> {
    await this.sites.get(siteId);
  }

  private async read(siteId: string | null, view: SnapshotView): Promise<SnapshotMessage> {
    const [calendar, rows, entities, open] = await Promise.all([
      this.maintenance?.calendar() ?? NO_MAINTENANCE,
      view === 'summary' ? this.devices.listSummaries(siteId) : null,
      view === 'full' ? this.devices.list(siteId ? { siteId } : {}) : null,
      this.tickets.listOpen(),
    ]);
    const now = this.clock.now();
    const devices = rows
      ? rows.map((r) =>
          toDeviceSummary(r, calendar.until({ id: r.id, siteId: r.site_id }, now), this.pollers?.viewOf(r.id)),
        )
      : entities!.map((d) => toDeviceResponse(d, calendar.until(d, now), this.pollers?.viewOf(d.id)));
    this.index.learn(devices);
    const inSite = siteId ? new Set(devices.map((d) => d.id)) : null;
    const tickets = open
      .filter((t) => !inSite || (t.deviceId !== null && inSite.has(t.deviceId)))
      .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime() || b.number - a.number);
    const people = await this.people.ensure(tickets.flatMap((t) => [t.assigneeId, t.acknowledgedBy]));
    return { devices, openTickets: tickets.map((t) => toTicketResponse(t, people)) };
  }
}
