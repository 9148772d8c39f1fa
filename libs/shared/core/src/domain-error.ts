export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'illegal_transition'
  | 'unavailable';

/**
 * The one error type services throw. It carries a code, not an HTTP status: the exception filter
 * maps codes to statuses (and socket errors), so services stay free of transport concerns.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string | string[],
    readonly details?: Record<string, unknown>,
  ) {
    super(Array.isArray(message) ? message.join('; ') : message);
    this.messages = Array.isArray(message) ? message : [message];
  }
  readonly messages: string[];

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `${what} ${id} not found`);
  }
}
