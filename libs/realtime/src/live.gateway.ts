import { UseFilters, UsePipes, ValidationPipe } from '@nestjs/common';
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
import { DomainError } from '@netdesk/core';
import { LiveHandshakeDto } from './dto/live-handshake.dto';
import { SubscribeDto } from './dto/subscribe.dto';
import { LiveEventSource } from './live-event.source';
import { liveErrorBody, LiveExceptionFilter } from './live-exception.filter';
import { LiveClientInfo, LiveFeedService } from './live-feed.service';
import { LIVE_MESSAGES, LIVE_NAMESPACE } from './live.events';
import { RedisFanout } from './redis-fanout';
import { SocketIoLiveTransport } from './socket-io.transport';

const validation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) =>
    new DomainError(
      'invalid',
      errors.flatMap((e) => Object.values(e.constraints ?? {})),
    ),
});

/**
 * socket.io `/live` on the main HTTP port: authenticates the handshake, then hands each connection to
 * the feed. No rules here.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
@UseFilters(LiveExceptionFilter)
export class LiveGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnGatewayDisconnect<Socket> {
  constructor(
    private readonly feed: LiveFeedService,
    private readonly source: LiveEventSource,
    private readonly fanout: RedisFanout,
  ) {}

  afterInit(nsp: Namespace): void {
    this.feed.attach(new SocketIoLiveTransport(nsp));
    this.source.attachRelay(this.fanout.attach(nsp, (message) => this.source.receive(message)));
    nsp.use((socket, next) => {
      this.handshake(socket).then(
        (info) => {
          socket.data.live = info;
          next();
        },
        (err: unknown) => {
          const body = liveErrorBody(err);
          next(Object.assign(new Error(body.message.join('; ')), { data: body }));
        },
      );
    });
  }

  handleConnection(socket: Socket): void {
    const info = socket.data.live as LiveClientInfo | undefined;
    if (info) this.feed.connect(socket.id, info);
  }

  handleDisconnect(socket: Socket): void {
    this.feed.disconnect(socket.id);
  }

  @SubscribeMessage(LIVE_MESSAGES.subscribe)
  @UsePipes(validation)
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() dto: SubscribeDto) {
    return { ok: true, ...(await this.feed.subscribe(socket.id, dto.siteId ?? null)) };
  }

  private async handshake(socket: Socket): Promise<LiveClientInfo> {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
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
