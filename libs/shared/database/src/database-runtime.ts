import { DataDirLock } from './data-dir-lock';
import { DbLog, EmbeddedPostgres } from './embedded-postgres';

/** The database a process runs against: an external server (`DATABASE_URL`) or the embedded one. */
export interface DatabaseRuntime {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Locks the data dir (one NetDesk process per data dir) and, without an external URL, starts the
 * embedded PostgreSQL. `stop()` stops the embedded server and releases the lock.
 */
export async function startDatabase(opts: { url?: string; dataDir: string; log: DbLog }): Promise<DatabaseRuntime> {
  const { lock } = DataDirLock.acquire(opts.dataDir);
  try {
    if (opts.url) return { url: opts.url, embedded: false, stop: async () => lock.release() };
    const pg = await EmbeddedPostgres.start(opts.dataDir, opts.log);
    return {
      url: pg.url,
      embedded: true,
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
