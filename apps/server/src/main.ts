import 'reflect-metadata';
import * as http from 'node:http';
import * as net from 'node:net';
import pino from 'pino';
import { ConfigError, loadConfig, NetdeskConfig } from '@netdesk/config';
import { DatabaseRuntime, oneLine, PostgresSupervisor, startDatabase, StartupError } from '@netdesk/database';
import { createRootLogger, HealthService, MetricsService, PinoLoggerService } from '@netdesk/observability';
import { Counter } from 'prom-client';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { UsersService } from '@netdesk/auth';
import { MeasurementWriter, PollerService } from '@netdesk/monitoring';
import { createServerApp } from './server-app';

const SHUTDOWN_DEADLINE_MS = 10_000;
/** Longest wait for requests in flight at shutdown. */
const DRAIN_MS = 5_000;

/** The one line an operator reads when the service cannot start: what, where, and the fix. */
function startupMessage(e: unknown, config: NetdeskConfig): string {
  if (e instanceof StartupError) return e.message;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return portInUse(config);
  if (code === 'EACCES' && (e as { syscall?: string }).syscall === 'listen')
    return `Not allowed to listen on port ${config.http.port} (EACCES): ports below 1024 need root or CAP_NET_BIND_SERVICE; set PORT to 1024 or above.`;
  return `NetDesk could not start: ${oneLine(e)}`;
}

function portInUse(config: NetdeskConfig): string {
  return (
    `Port ${config.http.port} on ${config.http.host} is already in use (EADDRINUSE): ` +
    `stop the process using it (ss -ltnp 'sport = :${config.http.port}') or set PORT to a free port.`
  );
}

/** Fails fast, before the database starts, when the HTTP port is taken. */
function checkPortFree(config: NetdeskConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new StartupError(portInUse(config)) : e),
    );
    probe.listen({ port: config.http.port, host: config.http.host, exclusive: true }, () =>
      probe.close(() => resolve()),
    );
  });
}

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
  let starting = true;
  let db: DatabaseRuntime | undefined;
  let app: NestExpressApplication | undefined;

  const printFirstAdmin = () => {
    try {
      const notice = app?.get(UsersService, { strict: false }).takeFirstAdminNotice();
      // through the log's own stream, so it lands after the lines logged before it
      if (notice) (log as unknown as Record<symbol, { write(s: string): void }>)[pino.symbols.streamSym].write(notice);
    } catch {
      /* the app did not get that far */
    }
  };
  const failStart = async (e: unknown): Promise<never> => {
    printFirstAdmin(); // it was created and exists only on this screen
    log.fatal({ code: (e as NodeJS.ErrnoException)?.code }, startupMessage(e, config));
    await app?.close().catch(() => undefined);
    await db?.stop().catch(() => undefined);
    log.flush();
    process.exit(e instanceof StartupError ? e.exitCode : 1);
  };
  process.on('uncaughtException', (e) => {
    if (starting) void failStart(e);
    else {
      log.fatal({ err: e }, `unexpected error: ${oneLine(e)}`);
      log.flush();
      process.exit(1);
    }
  });
  process.on('unhandledRejection', (e) => {
    if (starting) void failStart(e);
    else log.error({ err: e }, `unhandled rejection: ${oneLine(e)}`);
  });

  try {
    await checkPortFree(config);
    db = await startDatabase({ url: config.database.url, dataDir: config.dataDir, log });
    app = await createServerApp(config, db.url, new PinoLoggerService(log));
  } catch (e) {
    return failStart(e);
  }
  const runtime = db;
  const server = app;

  // The embedded PostgreSQL is NetDesk's own: restarted when it dies, counted and reported.
  const supervisor = runtime.server
    ? new PostgresSupervisor(runtime.server, log, (reason) => void stop('embedded database lost', 1, reason))
    : undefined;
  if (supervisor) {
    const restarts = new Counter({
      name: 'netdesk_embedded_postgres_restarts_total',
      help: 'Times NetDesk restarted its embedded PostgreSQL after it ended unexpectedly',
      registers: [server.get(MetricsService, { strict: false }).registry],
    });
    supervisor.onRestart = () => restarts.inc();
    server.get(HealthService, { strict: false }).register('embeddedDatabase', () => {
      const s = supervisor.status();
      if (s.state === 'running') return { status: 'ok', restarts: s.restarts };
      return {
        status: 'error',
        state: s.state,
        reason: `${s.lastExit ?? 'stopped'}${s.lastError ? `; last restart attempt: ${s.lastError}` : ''}`,
        downForSec: s.downForMs !== undefined ? Math.round(s.downForMs / 1000) : undefined,
        restarts: s.restarts,
        note:
          s.state === 'failed'
            ? 'NetDesk gave up and exits for its supervisor (systemd, Docker) to restart it'
            : 'NetDesk is restarting it (crash recovery); it gives up and exits after 60 s',
      };
    });
  }

  // requests in flight, so that shutdown can wait for them
  let inFlight = 0;
  let stopping = false;
  const httpServer = server.getHttpServer() as http.Server;
  httpServer.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    // once stopping, a keep-alive connection ends with its current response
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => inFlight--);
  });

  const stop = async (signal: string, exitCode = 0, reason?: string) => {
    if (stopping) return;
    stopping = true;
    if (exitCode) log.error({ signal, reason }, `shutting down: ${reason ?? signal}`);
    else log.info({ signal }, 'shutting down');
    void supervisor?.stop(); // no restarts from here on
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      log.flush();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS - 500).unref();
    const step = async (name: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (e) {
        log.warn({ step: name, err: e }, `shutdown: ${name} failed: ${oneLine(e)}`);
      }
    };
    // 1. stop accepting: no new connections; idle keep-alive ones are closed, busy ones end after their response
    await step('stop accepting', async () => {
      httpServer.close();
      httpServer.closeIdleConnections();
    });
    // 2. stop the poller (it writes the status changes it found)
    await step('stop the poller', () => server.get(PollerService, { strict: false }).stop());
    // 3. drain the requests in flight
    await step('drain requests', async () => {
      const until = Date.now() + DRAIN_MS;
      while (inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (inFlight > 0) log.warn({ inFlight }, 'shutdown: requests still running after the drain time');
    });
    // 4. flush observations; 5. the app's own hooks, then the pool closes
    await step('flush observations', () => server.get(MeasurementWriter, { strict: false }).flush());
    await step('close the app and the pool', () => server.close());
    // 6. stop PostgreSQL (embedded) and release the data dir
    await step('stop the database', () => runtime.stop());
    log.info({ signal, exitCode }, 'stopped');
    log.flush();
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    await server.listen(config.http.port, config.http.host);
  } catch (e) {
    return failStart(e);
  }
  starting = false;
  const url = `http://localhost:${config.http.port}`;
  log.info(
    { url, embeddedDatabase: runtime.embedded, startupMs: Date.now() - startedAt },
    `NetDesk is up at ${url} (API docs at ${url}/api/docs). Sign in with ${config.bootstrapAdmin?.email ?? 'admin@localhost'}` +
      (config.bootstrapAdmin ? '' : ' and the password printed at first start'),
  );
  printFirstAdmin();
}

void main();
