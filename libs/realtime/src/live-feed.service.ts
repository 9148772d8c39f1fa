import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AuthService } from '@netdesk/auth';
import { Clock } from '@netdesk/core';
import { DeltaQueue } from './delta-queue';
import { LIVE_EVENTS, LiveDelta, LiveFrame, SessionExpiredMessage, SnapshotView } from './live.events';
import { LIVE_OPTIONS, LiveOptions } from './live.options';
import { LiveSnapshotSource, LiveTransport } from './live.ports';

/** Who a connection is, decided once at the handshake. */
export interface LiveClientInfo {
  userId: string;
  expiresAt: Date;
  siteId: string | null;
  /** The client asked for one `batch` event per window instead of the individual events. */
  batch: boolean;
  /** How its snapshots represent devices. */
  view: SnapshotView;
}

interface Session extends LiveClientInfo {
  id: string;
  /** `loading` until its snapshot went out: changes meanwhile wait in its own queue. */
  state: 'loading' | 'ready';
  /** Changes this client missed while it was loading or not keeping up, coalesced and capped. */
  queue: DeltaQueue;
  /** Its queue overflowed (or its site changed): the next thing it gets is a fresh snapshot. */
  needsSnapshot: boolean;
  /** Bumped by every snapshot request, so a late answer for an older request is dropped. */
  generation: number;
  expiry?: NodeJS.Timeout;
}

interface Audience {
  queue: DeltaQueue;
  members: Set<Session>;
}

const EVERYONE = '*';
/** setTimeout's longest delay (about 24.8 days); longer token lifetimes re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const SNAPSHOT_RETRY_MS = 1000;

/**
 * The live feed: who is connected, to which site, and what each of them still has to receive.
 *
 * Changes are gathered per audience (everyone, or one site) for `windowMs` and then sent to every
 * up-to-date member at once (encoded once, one frame per client in batch mode). A member that is still
 * loading its snapshot, or whose connection has not taken the previous frames, gets the window's
 * changes in its own queue instead; that queue coalesces per device, interface and ticket and is capped,
 * and on overflow it is dropped in favour of a fresh snapshot sent once the client catches up. So a slow
 * client costs at most `clientQueueCap` entries of server memory.
 */
@Injectable()
export class LiveFeedService implements OnModuleDestroy {
  private readonly logger = new Logger('live');
  private readonly sessions = new Map<string, Session>();
  private readonly audiences = new Map<string, Audience>();
  /** Sessions with something in their own queue or owed a snapshot. */
  private readonly lagging = new Set<Session>();
  private transport?: LiveTransport;
  private flushTimer?: NodeJS.Timeout;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  readonly stats = { changes: 0, flushes: 0, frames: 0, held: 0, snapshots: 0, overflows: 0 };

  constructor(
    private readonly auth: AuthService,
    private readonly snapshots: LiveSnapshotSource,
    private readonly clock: Clock,
    @Inject(LIVE_OPTIONS) private readonly options: LiveOptions,
  ) {}

  attach(transport: LiveTransport): void {
    this.transport = transport;
  }

  get connected(): number {
    return this.sessions.size;
  }

  /** The handshake: a valid token (any role may watch) and, optionally, an existing site. */
  async authorize(handshake: {
    token?: string;
    siteId?: string;
    batch?: boolean;
    view?: SnapshotView;
  }): Promise<LiveClientInfo> {
    const principal = await this.auth.authenticate(handshake.token);
    if (handshake.siteId) await this.snapshots.assertSite(handshake.siteId);
    return {
      userId: principal.id,
      expiresAt: principal.expiresAt,
      siteId: handshake.siteId ?? null,
      batch: handshake.batch === true,
      view: handshake.view ?? 'full',
    };
  }

  connect(clientId: string, info: LiveClientInfo): void {
    const session: Session = {
      ...info,
      id: clientId,
      state: 'loading',
      queue: new DeltaQueue(this.options.clientQueueCap),
      needsSnapshot: false,
      generation: 0,
    };
    this.sessions.set(clientId, session);
    this.join(session);
    this.armExpiry(session);
    this.logger.debug({ clientId, userId: info.userId, siteId: info.siteId }, 'live client connected');
    void this.sendSnapshot(session);
  }

  disconnect(clientId: string): void {
    const session = this.sessions.get(clientId);
    if (!session) return;
    this.sessions.delete(clientId);
    this.leave(session);
    this.lagging.delete(session);
    clearTimeout(session.expiry);
    session.queue.clear();
    this.logger.debug({ clientId, userId: session.userId }, 'live client disconnected');
  }

  /** Narrows a client to one site (or widens it back with null); it gets a fresh snapshot of its new view. */
  async subscribe(clientId: string, siteId: string | null): Promise<{ siteId: string | null }> {
    if (siteId) await this.snapshots.assertSite(siteId);
    const session = this.sessions.get(clientId);
    if (!session) return { siteId };
    this.leave(session);
    session.siteId = siteId;
    this.join(session);
    void this.sendSnapshot(session);
    return { siteId };
  }

  /** A change to push: seen on this instance's bus, or relayed from another instance. */
  accept(delta: LiveDelta): void {
    this.stats.changes += 1;
    this.gather(EVERYONE, delta);
    if (delta.siteId) this.gather(delta.siteId, delta);
  }

  onModuleDestroy(): void {
    clearTimeout(this.flushTimer);
    for (const t of this.retryTimers) clearTimeout(t);
    for (const s of this.sessions.values()) clearTimeout(s.expiry);
  }

  // ------------------------------------------------------------------------------------ audiences

  private join(session: Session): void {
    const key = session.siteId ?? EVERYONE;
    let audience = this.audiences.get(key);
    if (!audience) {
      audience = { queue: new DeltaQueue(this.options.audienceQueueCap), members: new Set() };
      this.audiences.set(key, audience);
    }
    audience.members.add(session);
  }

  private leave(session: Session): void {
    const key = session.siteId ?? EVERYONE;
    const audience = this.audiences.get(key);
    if (!audience) return;
    audience.members.delete(session);
    if (audience.members.size === 0) this.audiences.delete(key);
  }

  private gather(key: string, delta: LiveDelta): void {
    const audience = this.audiences.get(key);
    if (!audience) return;
    if (!audience.queue.push(delta)) {
      this.logger.warn({ audience: key, cap: this.options.audienceQueueCap }, 'live burst over the cap: snapshots');
      for (const member of audience.members) this.owesSnapshot(member);
    }
    this.schedule();
  }

  // ------------------------------------------------------------------------------------ flushing

  private schedule(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.options.windowMs);
    this.flushTimer.unref?.();
  }

  /** Sends each audience's window to its up-to-date members, and lets lagging clients catch up. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const transport = this.transport;
    if (!transport) return;
    this.stats.flushes += 1;
    for (const audience of this.audiences.values()) {
      if (audience.queue.size === 0) continue;
      const deltas = audience.queue.drain();
      const direct: string[] = [];
      const batched: string[] = [];
      for (const s of audience.members) {
        if (s.state === 'ready' && !this.lagging.has(s) && transport.backlog(s.id) === 0) {
          (s.batch ? batched : direct).push(s.id);
        } else {
          this.hold(s, deltas);
        }
      }
      this.send(direct, batched, deltas);
    }
    let waiting = false;
    for (const s of this.lagging) {
      if (s.state === 'loading' || transport.backlog(s.id) > 0) {
        waiting = true;
        continue;
      }
      if (s.needsSnapshot) {
        void this.sendSnapshot(s);
        continue;
      }
      this.lagging.delete(s);
      this.send(s.batch ? [] : [s.id], s.batch ? [s.id] : [], s.queue.drain());
    }
    if (waiting) this.schedule();
  }

  private hold(session: Session, deltas: LiveDelta[]): void {
    this.stats.held += 1;
    this.lagging.add(session);
    if (session.needsSnapshot) return; // the snapshot it is owed will be read after these changes
    for (const delta of deltas) {
      if (!session.queue.push(delta)) {
        this.stats.overflows += 1;
        this.logger.warn(
          { clientId: session.id, userId: session.userId, cap: this.options.clientQueueCap },
          'live client too slow: queue dropped, a fresh snapshot follows',
        );
        this.owesSnapshot(session);
        return;
      }
    }
  }

  private owesSnapshot(session: Session): void {
    session.needsSnapshot = true;
    session.queue.clear();
    this.lagging.add(session);
  }

  private send(direct: string[], batched: string[], deltas: LiveDelta[]): void {
    if (deltas.length === 0 || !this.transport) return;
    const frames: LiveFrame[] = deltas.map((d) => ({ event: d.event, data: d.data }));
    if (direct.length) this.transport.send(direct, frames);
    if (batched.length) this.transport.send(batched, [{ event: LIVE_EVENTS.batch, data: frames }]);
    this.stats.frames += direct.length * frames.length + batched.length;
  }

  // ------------------------------------------------------------------------------------ snapshots

  /**
   * Reads and sends a fresh snapshot. The session's queue is emptied first: everything in it happened
   * before the read starts, so the snapshot covers it; changes from now on queue up behind it.
   */
  private async sendSnapshot(session: Session): Promise<void> {
    const generation = ++session.generation;
    session.state = 'loading';
    session.needsSnapshot = false;
    session.queue.clear();
    this.lagging.add(session);
    let snapshot;
    try {
      snapshot = await this.snapshots.load(session.siteId, session.view);
    } catch (err) {
      if (session.generation !== generation || !this.sessions.has(session.id)) return;
      this.logger.error({ err, clientId: session.id }, 'live snapshot failed; retrying');
      const retry = setTimeout(() => {
        this.retryTimers.delete(retry);
        session.state = 'ready';
        this.owesSnapshot(session);
        this.schedule();
      }, SNAPSHOT_RETRY_MS);
      retry.unref?.();
      this.retryTimers.add(retry);
      return;
    }
    if (session.generation !== generation || !this.sessions.has(session.id) || !this.transport) return;
    this.transport.send([session.id], [{ event: LIVE_EVENTS.snapshot, data: snapshot }]);
    this.stats.snapshots += 1;
    session.state = 'ready';
    if (session.queue.size > 0 || session.needsSnapshot) this.schedule();
    else this.lagging.delete(session);
  }

  // ------------------------------------------------------------------------------------ expiry

  /** A connection lives no longer than its token: at `expiresAt` the client is told why, then disconnected. */
  private armExpiry(session: Session): void {
    const delay = session.expiresAt.getTime() - this.clock.now().getTime();
    if (delay <= 0) {
      this.expire(session);
      return;
    }
    session.expiry = setTimeout(
      () => (delay > MAX_TIMER_MS ? this.armExpiry(session) : this.expire(session)),
      Math.min(delay, MAX_TIMER_MS),
    );
    session.expiry.unref?.();
  }

  private expire(session: Session): void {
    if (!this.sessions.has(session.id)) return;
    const message: SessionExpiredMessage = { reason: 'token expired', expiredAt: session.expiresAt.toISOString() };
    this.transport?.send([session.id], [{ event: LIVE_EVENTS.sessionExpired, data: message }]);
    this.logger.debug({ clientId: session.id, userId: session.userId }, 'live client token expired');
    this.disconnect(session.id);
    this.transport?.disconnect(session.id);
  }
}
