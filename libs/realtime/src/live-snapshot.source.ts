import { Injectable } from '@nestjs/common';
import { DeviceRepository, SitesService, toDeviceResponse, toDeviceSummary } from '@netdesk/inventory';
import { TicketRepository, toTicketResponse } from '@netdesk/ticketing';
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
    private readonly devices: DeviceRepository,
    private readonly tickets: TicketRepository,
    private readonly sites: SitesService,
    private readonly index: DeviceSiteIndex,
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
    const [devices, open] = await Promise.all([
      view === 'summary'
        ? this.devices.listSummaries(siteId).then((rows) => rows.map(toDeviceSummary))
        : this.devices.list(siteId ? { siteId } : {}).then((list) => list.map(toDeviceResponse)),
      this.tickets.listOpen(),
    ]);
    this.index.learn(devices);
    const inSite = siteId ? new Set(devices.map((d) => d.id)) : null;
    const tickets = open
      .filter((t) => !inSite || (t.deviceId !== null && inSite.has(t.deviceId)))
      .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime() || b.number - a.number);
    return { devices, openTickets: tickets.map(toTicketResponse) };
  }
}
