import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, EventBus } from '@netdesk/core';
import { MetricsService } from '@netdesk/observability';
import { Gauge } from 'prom-client';
import { DeviceDirectory, DevicePollerViewSource, POLLER_VIEW_CHANGED } from '@netdesk/inventory';
import type { DeviceChangedEvent, DevicePollerView } from '@netdesk/inventory';
import { ownerOf } from '../domain/assignment';
import { LeaseEntry, membersOf, readLeases } from '../poller/poller-lease';
import { CoreNatsService } from './core-nats.service';
import { PollerRegistryRepository } from './poller-registry.repository';

export interface PollerView {
  name: string;
  group: string;
  status: 'up' | 'down';
  lastSeenAt: string;
  devices: number;
  lagMs: number;
  backlog: number;
  pollsPerSec: number;
  publishErrors: number;
}

export const SCALE_OUT_EVENTS = {
  groupUnreachable: 'scale-out.group.unreachable',
  groupReachable: 'scale-out.group.reachable',
} as const;

export interface PollerGroupUnreachableEvent {
  group: string;
  /** When the group's last live poller was last heard from. */
  since: Date;
  devices: number;
}

const WATCH_MS = 2000;
/** A lease read taking longer than this is considered stuck (see `refresh`). */
const REFRESH_STUCK_MS = 15_000;

/**
 * Watches the pollers' leases: which pollers are up, which device each group assigns to whom, and which
 * groups have no live poller at all (their devices are stale; one event per group, not per device).
 */
@Injectable()
export class PollersService extends DevicePollerViewSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('pollers');
  private readonly known = new Map<string, PollerView & { lastSeen: number }>();
  private live: LeaseEntry[] = [];
  private readonly unreachable = new Map<string, Date>();
  private timer?: NodeJS.Timeout;
  private groupsOfDevices = new Map<string, string>();
  private watched = false;
  private refreshing?: { run: Promise<void>; since: number };
  private generation = 0;
  /** Each device's `pollerName|stale` at the last refresh. */
  private views = new Map<string, string>();

  constructor(
    private readonly nats: CoreNatsService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly devices: DeviceDirectory,
    private readonly registry: PollerRegistryRepository,
    metrics: MetricsService,
  ) {
    super();
    // Per poller, from its lease (what it reported at its last renewal).
    const list = () => this.list();
    const per = (name: string, help: string, value: (p: PollerView) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['poller', 'group'],
        registers: [metrics.registry],
        collect: function (this: Gauge<'poller' | 'group'>) {
          this.reset();
          for (const p of list()) this.set({ poller: p.name, group: p.group }, value(p));
        },
      });
    per('netdesk_poller_up', '1 while the poller holds a live lease', (p) => (p.status === 'up' ? 1 : 0));
    per('netdesk_poller_devices', 'devices assigned to the poller', (p) => p.devices);
    per('netdesk_poller_polls_per_second', 'polls completed per second', (p) => p.pollsPerSec);
    per('netdesk_poller_lag_ms', 'lag of the last poll behind its slot', (p) => p.lagMs);
    per('netdesk_poller_backlog', 'results being published (not yet acknowledged by NATS)', (p) => p.backlog);
    per('netdesk_poller_publish_errors_total', 'results NATS refused or never acknowledged', (p) => p.publishErrors);
  }

  viewOf(deviceId: string): DevicePollerView {
    return this.deviceView(deviceId);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.nats.enabled) return;
    // pollers seen before this start: down until their lease shows up again
    for (const p of await this.registry.list())
      this.known.set(`${p.group}.${p.name}`, {
        name: p.name,
        group: p.group,
        status: 'down',
        lastSeenAt: p.lastSeenAt.toISOString(),
        lastSeen: p.lastSeenAt.getTime(),
        devices: 0,
        lagMs: 0,
        backlog: 0,
        pollsPerSec: 0,
        publishErrors: 0,
      });
    this.timer = setInterval(
      () =>
        void this.refresh().catch((err) =>
          this.logger[this.nats.quiet ? 'debug' : 'warn']({ err: String(err) }, 'could not read the pollers leases'),
        ),
      WATCH_MS,
    );
    this.timer.unref();
    void this.refresh().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  list(): PollerView[] {
    return [...this.known.values()]
      .map(({ lastSeen: _ignored, ...v }) => v)
      .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  }

  /** The poller a device is assigned to and whether its status is stale (no live poller in its group). */
  deviceView(deviceId: string): { pollerName: string | null; stale: boolean } {
    if (!this.nats.enabled || !this.watched) return { pollerName: null, stale: false };
    const { pollerName, group } = this.assignmentOf(deviceId);
    return { pollerName, stale: !this.live.some((l) => l.group === group) };
  }

  /** A device's group and the live poller it is assigned to (null: none live, or not watched yet). */
  assignmentOf(deviceId: string): { group: string; pollerName: string | null } {
    const group = this.groupsOfDevices.get(deviceId) ?? 'default';
    return { group, pollerName: ownerOf(deviceId, membersOf(this.live.filter((l) => l.group === group))) };
  }

  /**
   * One refresh at a time: an older read of the leases finishing last would undo a newer one. A refresh stuck
   * longer than REFRESH_STUCK_MS (a NATS read that never answers) is superseded: a new one starts, and the
   * stuck one, if it ever finishes, changes nothing.
   */
  refresh(): Promise<void> {
    if (this.refreshing && performance.now() - this.refreshing.since < REFRESH_STUCK_MS) return this.refreshing.run;
    const generation = ++this.generation;
    const run = this.refreshOnce(generation).finally(() => {
      if (this.refreshing?.run === run) this.refreshing = undefined;
    });
    this.refreshing = { run, since: performance.now() };
    return run;
  }

  private async refreshOnce(generation: number): Promise<void> {
    const { leases } = await this.nats.link();
    const live = await readLeases(leases);
    const groupsOfDevices = await this.devices.pollerGroups();
    if (generation !== this.generation) return; // superseded while it waited
    this.live = live;
    const now = this.clock.now();
    this.groupsOfDevices = groupsOfDevices;
    const perGroup = new Map<string, number>();
    for (const grp of groupsOfDevices.values()) perGroup.set(grp, (perGroup.get(grp) ?? 0) + 1);
    const liveNames = new Set(this.live.map((l) => `${l.group}.${l.name}`));
    const assigned = new Map<string, number>();
    const membersByGroup = new Map<string, ReturnType<typeof membersOf>>();
    const views = new Map<string, string>();
    const changed: string[] = [];
    for (const [id, grp] of this.groupsOfDevices) {
      if (!membersByGroup.has(grp)) membersByGroup.set(grp, membersOf(this.live.filter((l) => l.group === grp)));
      const members = membersByGroup.get(grp)!;
      const owner = ownerOf(id, members);
      if (owner) assigned.set(`${grp}.${owner}`, (assigned.get(`${grp}.${owner}`) ?? 0) + 1);
      const view = `${owner ?? ''}|${members.length === 0}`;
      views.set(id, view);
      if (this.views.get(id) !== view) changed.push(id);
    }
    this.views = views;
    for (const l of this.live) {
      this.known.set(`${l.group}.${l.name}`, {
        name: l.name,
        group: l.group,
        status: 'up',
        lastSeenAt: l.renewedAt.toISOString(),
        lastSeen: l.renewedAt.getTime(),
        devices: assigned.get(`${l.group}.${l.name}`) ?? 0,
        lagMs: l.lagMs,
        backlog: l.backlog,
        pollsPerSec: l.pollsPerSec,
        publishErrors: l.publishErrors,
      });
    }
    for (const [key, v] of this.known)
      if (!liveNames.has(key)) this.known.set(key, { ...v, status: 'down', devices: 0 });
    await this.registry.touch(this.live.map((l) => ({ group: l.group, name: l.name, lastSeenAt: l.renewedAt })));
    this.watched = true;
    // the live feed pushes the devices whose poller or staleness changed
    if (changed.length) this.bus.publish<DeviceChangedEvent>(POLLER_VIEW_CHANGED, { deviceIds: changed });
    // groups with devices and no live poller: one event each, when it starts and when it ends
    const groups = new Set([...perGroup.keys(), ...[...this.known.values()].map((k) => k.group)]);
    for (const group of groups) {
      const hasLive = this.live.some((l) => l.group === group);
      const devices = perGroup.get(group) ?? 0;
      const everSeen = [...this.known.values()].filter((k) => k.group === group);
      if (!hasLive && devices > 0 && everSeen.length && !this.unreachable.has(group)) {
        const since = new Date(Math.max(...everSeen.map((k) => k.lastSeen)));
        this.unreachable.set(group, since);
        this.logger.warn({ group, devices }, 'no live poller in the group; its devices are stale');
        this.bus.publish<PollerGroupUnreachableEvent>(SCALE_OUT_EVENTS.groupUnreachable, { group, since, devices });
      } else if (hasLive && this.unreachable.has(group)) {
        this.unreachable.delete(group);
        this.logger.log({ group }, 'a poller of the group reports again');
        this.bus.publish(SCALE_OUT_EVENTS.groupReachable, { group, at: now });
      }
    }
  }
}
