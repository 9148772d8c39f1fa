import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorCode } from './domain-error';
import { safeError } from './safe-error';

const STATUS: Record<DomainErrorCode, HttpStatus> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  illegal_transition: HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.UNAUTHORIZED]: 'Unauthorized',
  [HttpStatus.FORBIDDEN]: 'Forbidden',
  [HttpStatus.NOT_FOUND]: 'Not Found',
  [HttpStatus.CONFLICT]: 'Conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too Many Requests',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'Service Unavailable',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'Internal Server Error',
};

export function httpStatusOf(error: DomainError): HttpStatus {
  return STATUS[error.code];
}

/** Maps domain errors to Nest's error shape `{statusCode, error, message}`; anything unexpected becomes a logged 500. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & { id?: string; user?: { id?: string } }>();
    if (exception instanceof DomainError) {
      const status = httpStatusOf(exception);
      const retryAfter = exception.details?.retryAfterSec;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      res.status(status).json({
        statusCode: status,
        error: REASON[status],
        message: exception.messages,
        ...(exception.details?.errors ? { errors: exception.details.errors } : {}),
      });
      return;
    }
    if (exception instanceof HttpException) {
      res.status(exception.getStatus()).json(normalise(exception));
      return;
    }
    // Logged once, here, with ids and an allow-listed copy of the error: never the request's body or
    // query, nor a driver error's parameters (see safeError).
    this.logger.error(
      {
        requestId: req.id,
        userId: req.user?.id,
        method: req.method,
        route: req.route ? `${req.baseUrl}${String(req.route.path)}` : undefined,
        error: safeError(exception),
      },
      'unhandled error',
    );
    if (res.headersSent) return;
    res.status(500).json({
      statusCode: 500,
      error: REASON[500],
      message: [`internal error (request id ${req.id ?? 'unknown'})`],
      requestId: req.id,
    });
  }
}

/** Nest's own exceptions (validation, body parser, unknown route) keep their shape, with `message` always an array. */
function normalise(exception: HttpException): Record<string, unknown> {
  const status = exception.getStatus();
  const body = exception.getResponse();
  if (typeof body === 'string')
    return { statusCode: status, error: REASON[status as HttpStatus] ?? body, message: [body] };
  const obj = body as Record<string, unknown>;
  const message = Array.isArray(obj.message) ? obj.message : [String(obj.message ?? exception.message)];
  return { ...obj, statusCode: status, error: obj.error ?? REASON[status as HttpStatus], message };
}
