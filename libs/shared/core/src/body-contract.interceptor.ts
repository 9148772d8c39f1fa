import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { DomainError } from './domain-error';

/** Nest's route-argument metadata key and the `@Body()` parameter type (RouteParamtypes.BODY). */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const BODY_PARAM = 3;

/**
 * Unknown body fields are a 400 (the API contract), also on routes that take no body at all: a
 * `POST /api/tickets/:id/close {"resolution":"…"}` is refused instead of silently ignored.
 */
@Injectable()
export class BodyContractInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (!isEmpty(body) && !this.routeTakesBody(context)) {
      const fields = typeof body === 'object' && body !== null ? Object.keys(body).slice(0, 10) : [];
      throw new DomainError(
        'invalid',
        fields.length
          ? fields.map((f) => `property ${f} should not exist (this endpoint takes no body)`)
          : ['this endpoint takes no body'],
      );
    }
    return next.handle();
  }

  private routeTakesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesBody.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
        string,
        unknown
      >;
      known = Object.keys(args).some((k) => Number(k.split(':')[0]) === BODY_PARAM);
      this.takesBody.set(handler, known);
    }
    return known;
  }
}

function isEmpty(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return true;
  return typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}
