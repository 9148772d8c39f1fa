/** The constraint a PostgreSQL unique violation (23505) was raised on, if the error is one. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23505' ? (source.constraint ?? 'unique') : undefined;
}

/** The constraint a PostgreSQL foreign-key violation (23503) was raised on, if the error is one. */
export function foreignKeyViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23503' ? (source.constraint ?? 'foreign key') : undefined;
}

/**
 * Whether an error means the database cannot be reached right now (down, restarting, connection
 * lost), as opposed to a bad statement or a constraint: worth holding the work and retrying.
 */
export function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  const message = String(e?.driverError?.message ?? e?.message ?? '');
  return /Connection terminated|terminating connection|Connection ended|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    message,
  );
}

/**
 * An error handler for a job that retries on its own (a sweep, a timer): logs every error, except that
 * while the database is unavailable it logs one line per `windowMs` (with how many it left out) instead
 * of one per attempt. The outage itself is reported once by whoever owns the database.
 */
export function quietWhileDatabaseDown(
  log: (err: unknown, suppressed: number) => void,
  windowMs = 60_000,
): (err: unknown) => void {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (err) => {
    if (!databaseUnavailable(err)) return log(err, 0);
    const now = Date.now();
    if (now - lastAt < windowMs) {
      suppressed++;
      return;
    }
    lastAt = now;
    log(err, suppressed);
    suppressed = 0;
  };
}
