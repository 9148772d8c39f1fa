import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { safeError } from '@netdesk/core';

/**
 * Keys whose values never reach a log line, wherever they appear in a logged object. A second line of
 * defence: errors, the usual carriers of secrets (a failed query's parameters), are logged through an
 * allow-list instead (see `safeFields`).
 */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'community',
  'authKey',
  'privKey',
  'accessToken',
  'authorization',
  'secret',
  'snmp.community',
  'snmp.authKey',
  'snmp.privKey',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'netdesk' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }), log: safeFields },
      serializers: { err: safeError, error: safeError },
    },
    destination,
  );
}

/**
 * Any `Error` among a log line's fields (`{ err }`, `{ error }`, `{ cause }`, …) is replaced by its
 * allow-listed copy: type, message, code, stack frames. Nothing else of it (ORM `parameters`, `query`,
 * `driverError`, pg `detail`, a request config with headers) is written.
 */
export function safeFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value instanceof Error) {
      out ??= { ...fields };
      out[key] = safeError(value);
    }
  }
  return out ?? fields;
}

/**
 * Nest's LoggerService over pino: one JSON line per event. Nest's `Logger` calls with an object
 * first (`logger.log({ deviceId }, 'msg')`) become structured fields.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Logger) {}

  private write(
    level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const child = context ? this.pino.child({ context }) : this.pino;
    if (message !== null && typeof message === 'object') {
      const msg = typeof params[0] === 'string' ? params.shift() : undefined;
      const fields = message instanceof Error ? { err: message } : message;
      child[level](fields as object, (msg as string) ?? (message instanceof Error ? message.message : undefined));
    } else if (level === 'error' && typeof params[0] === 'string' && params[0].includes('\n')) {
      child.error({ stack: params[0] }, String(message));
    } else {
      child[level](String(message));
    }
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
}
