import { DataDirLock } from './data-dir-lock';
import type { DbLog } from './embedded-layout';
import { EmbeddedPostgres } from './embedded-postgres';
import { oneLine, StartupError } from './startup-error';

/** The database a process runs against: an external server (`DATABASE_URL`) or the embedded one. */
export interface DatabaseRuntime {
  url: string;
  embedded: boolean;
  /** The embedded server, when NetDesk runs its own. */
  server?: EmbeddedPostgres;
  stop(): Promise<void>;
}

/** How long start-up waits for an external database that refuses connections (it may be starting too). */
const EXTERNAL_WAIT_MS = 10_000;

/** `user@host:port/db` of a URL, without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);

/**
 * Checks that an external database answers before the application is built, so that a wrong
 * DATABASE_URL is one clear line, not a framework stack trace. Waits a little while it refuses
 * connections (a container started beside it), not when it rejects the credentials.
 */
export async function probeDatabase(url: string, log: DbLog, waitMs = EXTERNAL_WAIT_MS): Promise<void> {
  const { Client } = await import('pg');
  const deadline = Date.now() + waitMs;
  let warned = false;
  for (;;) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => undefined);
      const code = (e as { code?: string }).code ?? '';
      const transient = TRANSIENT.has(code) || /timeout|starting up|shutting down/i.test((e as Error).message);
      if (!transient || Date.now() > deadline) {
        throw new StartupError(
          `Cannot use the database at ${describeUrl(url)} (${code ? `${code}: ` : ''}${oneLine(e)}): ` +
            `check DATABASE_URL and that this PostgreSQL runs and accepts this user, or unset DATABASE_URL to use the embedded one.`,
        );
      }
      if (!warned) log.warn({ database: describeUrl(url), code }, `waiting up to ${waitMs / 1000} s for the database`);
      warned = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Locks the data dir (one NetDesk process per data dir) and, without an external URL, starts the
 * embedded PostgreSQL. `stop()` stops the embedded server and releases the lock.
 */
export async function startDatabase(opts: { url?: string; dataDir: string; log: DbLog }): Promise<DatabaseRuntime> {
  const { lock } = DataDirLock.acquire(opts.dataDir);
  try {
    if (opts.url) {
      await probeDatabase(opts.url, opts.log);
      return { url: opts.url, embedded: false, stop: async () => lock.release() };
    }
    const pg = await EmbeddedPostgres.start(opts.dataDir, opts.log);
    return {
      url: pg.url,
      embedded: true,
      server: pg,
      stop: async () => {
        try {
          await pg.stop();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * For one-off commands (import, migrations) beside a running server: reuse the server's embedded
 * PostgreSQL when one is running on this data dir, else start the database as the server would.
 */
export async function attachDatabase(opts: { url?: string; dataDir: string; log: DbLog }): Promise<DatabaseRuntime> {
  const running = opts.url ? undefined : DataDirLock.holder(opts.dataDir) && EmbeddedPostgres.runningUrl(opts.dataDir);
  if (running) return { url: running, embedded: true, stop: async () => undefined };
  return startDatabase(opts);
}
