/**
 * What of an error may reach a log line: an allow-list, not a deny-list. Driver and ORM errors carry
 * the failed query's `parameters` (password hashes, sealed SNMP secrets), the `query` text, a
 * `driverError` and pg's `detail` (the offending values); none of that is copied. Only the type, the
 * message (capped), a string/number `code`, the stack frames (without the message repeated) and the
 * cause, treated the same way.
 */
export interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: SafeError;
}

const MAX_MESSAGE = 500;

export function safeError(err: unknown, depth = 0): SafeError {
  if (isSafeError(err)) return err;
  if (!(err instanceof Error)) {
    return { type: typeof err, message: typeof err === 'string' ? err.slice(0, MAX_MESSAGE) : 'non-error thrown' };
  }
  const out: SafeError = {
    type: err.name || err.constructor?.name || 'Error',
    message: err.message.slice(0, MAX_MESSAGE),
  };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (typeof err.stack === 'string') {
    out.stack = err.stack
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 15)
      .join('\n');
  }
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

/** Already an allow-listed copy (serializers may see a value twice): exactly these keys, as strings. */
function isSafeError(v: unknown): v is SafeError {
  if (v === null || typeof v !== 'object' || v instanceof Error) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.type === 'string' &&
    typeof o.message === 'string' &&
    Object.keys(o).every((k) => k === 'type' || k === 'message' || k === 'code' || k === 'stack' || k === 'cause') &&
    (o.stack === undefined || typeof o.stack === 'string') &&
    (o.cause === undefined || isSafeError(o.cause))
  );
}
