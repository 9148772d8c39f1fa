import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { DomainError, httpStatusOf } from '@netdesk/core';

export interface LiveErrorBody {
  statusCode: number;
  error: string;
  message: string[];
}

/** The same `{statusCode, error, message[]}` shape the REST API uses, for socket errors. */
export function liveErrorBody(exception: unknown): LiveErrorBody {
  if (exception instanceof DomainError) {
    const statusCode = httpStatusOf(exception);
    return { statusCode, error: exception.code, message: exception.messages };
  }
  if (exception instanceof HttpException) {
    const body = exception.getResponse() as string | { message?: unknown; error?: string };
    const message = typeof body === 'string' ? [body] : body.message;
    return {
      statusCode: exception.getStatus(),
      error: typeof body === 'string' ? body : (body.error ?? exception.name),
      message: Array.isArray(message) ? message.map(String) : [String(message ?? exception.message)],
    };
  }
  if (exception instanceof WsException) {
    return { statusCode: 400, error: 'Bad Request', message: [String(exception.getError())] };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: ['internal error'] };
}

/**
 * Errors of a client message: answered through the message's acknowledgement when it has one
 * (`{ok: false, ...}`), otherwise as an `exception` event.
 */
@Catch()
export class LiveExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('live');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = liveErrorBody(exception);
    if (body.statusCode >= 500) {
      // the error is written allow-listed (type, message, code, stack) by the logger; never the payload
      const client = host.switchToWs().getClient<{ id?: string; data?: { live?: { userId?: string } } }>();
      this.logger.error(
        { clientId: client.id, userId: client.data?.live?.userId, err: exception },
        'live message failed',
      );
    }
    const ack = host.getArgByIndex<unknown>(2);
    if (typeof ack === 'function') ack({ ok: false, ...body });
    else host.switchToWs().getClient<{ emit(event: string, data: unknown): void }>().emit('exception', body);
  }
}
