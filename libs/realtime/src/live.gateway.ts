import { Logger, OnModuleDestroy, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Namespace, Socket } from 'socket.io';
import { ACCESS_REVOKED, AccessRevoked, AuthService } from '@netdesk/auth';
import { Clock, createValidationPipe, DomainError, EventBus, inspectValue } from '@netdesk/core';
import { LiveHandshakeDto } from './dto/live-handshake.dto';
import { SubscribeDto } from './dto/subscribe.dto';
import { LiveEventSource } from './live-event.source';
import { liveErrorBody, LiveExceptionFilter } from './live-exception.filter';
import { LiveClientInfo, LiveFeedService } from './live-feed.service';
import { LIVE_EVENTS, LIVE_MESSAGES, LIVE_NAMESPACE, SessionExpiredMessage } from './live.events';
import { RedisFanout } from './redis-fanout';
import { SocketIoLiveTransport } from './socket-io.transport';

const validation = createValidationPipe();

/** Every socket of a user joins this room: revoking access ends them all, on every instance. */
const userRoom = (userId: string) => `user:${userId}`;

/**
 * socket.io `/live` on the main HTTP port: authenticates the handshake, then hands each connection to
 * the feed. No rules here.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
@UseFilters(LiveExceptionFilter)
export class LiveGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket>, OnModuleDestroy
{
  private readonly logger = new Logger('live');
  private nsp?: Namespace;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly feed: LiveFeedService,
    private readonly source: LiveEventSource,
    private readonly fanout: RedisFanout,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    bus: EventBus,
  ) {
    this.unsubscribe = bus.subscribe<AccessRevoked>(ACCESS_REVOKED, (e) => this.endSessions(e.userId, e.reason));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  afterInit(nsp: Namespace): void {
    this.nsp = nsp;
    this.feed.attach(new SocketIoLiveTransport(nsp));
    this.source.attachRelay(this.fanout.attach(nsp, (message) => this.source.receive(message)));
    nsp.use((socket, next) => {
      this.handshake(socket).then(
        (info) => {
          socket.data.live = info;
          socket.data.token = (socket.handshake.auth as { token?: unknown }).token;
          next();
        },
        (err: unknown) => {
          const body = liveErrorBody(err);
          // unexpected (a 500): logged once, allow-listed by the logger, never the handshake's auth payload
          if (body.statusCode >= 500) this.logger.error({ clientId: socket.id, err }, 'live handshake failed');
          next(Object.assign(new Error(body.message.join('; ')), { data: body }));
        },
      );
    });
  }

  handleConnection(socket: Socket): void {
    const info = socket.data.live as LiveClientInfo | undefined;
    if (!info) return;
    void socket.join(userRoom(info.userId));
    this.feed.connect(socket.id, info);
  }

  handleDisconnect(socket: Socket): void {
    this.feed.disconnect(socket.id);
  }

  @SubscribeMessage(LIVE_MESSAGES.subscribe)
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody(validation) dto: SubscribeDto) {
    await this.stillAuthorized(socket);
    return { ok: true, ...(await this.feed.subscribe(socket.id, dto.siteId ?? null)) };
  }

  /** Every message re-checks the token (deleted, disabled, demoted, new password: the session ends). */
  private async stillAuthorized(socket: Socket): Promise<void> {
    try {
      await this.auth.authenticate(socket.data.token as string | undefined);
    } catch (e) {
      this.end(socket, 'access revoked');
      throw e;
    }
  }

  /**
   * Ends every socket of a user whose access was revoked, telling each client why. Through the user's
   * room, so with `REDIS_URL` the adapter reaches that user's sockets on every instance.
   */
  private endSessions(userId: string, reason: string): void {
    if (!this.nsp) return;
    const room = userRoom(userId);
    const message: SessionExpiredMessage = {
      reason: `access revoked: ${reason}`,
      expiredAt: this.clock.now().toISOString(),
    };
    this.nsp.to(room).emit(LIVE_EVENTS.sessionExpired, message);
    setImmediate(() => this.nsp?.in(room).disconnectSockets(true));
  }

  private end(socket: Socket, reason: string): void {
    const message: SessionExpiredMessage = { reason, expiredAt: this.clock.now().toISOString() };
    socket.emit(LIVE_EVENTS.sessionExpired, message);
    // after the acknowledgement or event above has been written
    setImmediate(() => socket.disconnect(true));
  }

  private async handshake(socket: Socket): Promise<LiveClientInfo> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const problems = inspectValue(auth, 'auth');
    if (problems.length) throw new DomainError('invalid', problems);
    const query = socket.handshake.query;
    const dto = plainToInstance(LiveHandshakeDto, {
      token: auth.token,
      siteId: auth.siteId ?? (typeof query.siteId === 'string' ? query.siteId : undefined),
      batch: auth.batch,
      view: auth.view,
    });
    const errors = await validate(dto);
    if (errors.length) {
      throw new DomainError(
        'invalid',
        errors.flatMap((e) => Object.values(e.constraints ?? {})),
      );
    }
    return this.feed.authorize(dto);
  }
}
