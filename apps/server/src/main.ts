import 'reflect-metadata';
import { ConfigError, loadConfig, NetdeskConfig } from '@netdesk/config';
import { DatabaseRuntime, startDatabase } from '@netdesk/database';
import { createRootLogger, PinoLoggerService } from '@netdesk/observability';
import { createServerApp } from './server-app';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const startedAt = Date.now();
  let config: NetdeskConfig;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const log = createRootLogger(config.logLevel);
  let db: DatabaseRuntime;
  try {
    db = await startDatabase({ url: config.database.url, dataDir: config.dataDir, log });
  } catch (e) {
    log.fatal({ err: e }, (e as Error).message);
    process.exit(1);
  }

  const app = await createServerApp(config, db.url, new PinoLoggerService(log)).catch(async (e) => {
    log.fatal({ err: e }, 'start-up failed');
    await db.stop();
    process.exit(1);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS - 500).unref();
    try {
      await app.close();
    } finally {
      await db.stop();
      log.info({ signal }, 'stopped');
      log.flush();
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen(config.http.port, config.http.host);
  const url = `http://localhost:${config.http.port}`;
  log.info(
    { url, embeddedDatabase: db.embedded, startupMs: Date.now() - startedAt },
    `NetDesk is up at ${url} (API docs at ${url}/api/docs). Sign in with ${config.bootstrapAdmin?.email ?? 'admin@localhost'}` +
      (config.bootstrapAdmin ? '' : ' and the password printed at first start'),
  );
}

void main();
