import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '@netdesk/database';
import {
  copyBuiltService,
  fatalLines,
  freePort,
  printedAdminPassword,
  ServerProcess,
  stackTraceLines,
} from './server-process';

/**
 * The real service as `npm start` runs it: embedded PostgreSQL under the data dir, migrations,
 * bootstrap admin, persistence across restarts, one process per data dir, clean SIGTERM.
 */
describe('the service process on its embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-proc-'));
  fs.chmodSync(dataDir, 0o755);
  let server: ServerProcess | undefined;
  // The poller stays off: the devices made here are not real, and nothing may be sent to their addresses.
  const env = async () => ({
    PORT: String(await freePort()),
    NETDESK_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    NETDESK_POLLER: 'false',
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty data dir, prints the generated admin password once, and serves the API', async () => {
    server = ServerProcess.start(await env());
    const ms = await server.waitHealthy();
    console.info(`first start (initdb + migrations) healthy after ${ms} ms`);
    // a plain block on the terminal with where to sign in, and the password in no JSON log line
    const password = printedAdminPassword(server.output);
    expect(password).toBeDefined();
    expect(server.output.join('\n')).toMatch(/URL:\s+http:\/\/localhost:\d+\//);
    expect(server.output.filter((l) => l.startsWith('{') && l.includes(password!))).toEqual([]);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`${server.url}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        name: 'persisted-router',
        host: '192.0.2.1',
        snmp: { version: '2c', community: 'persist-secret' },
      }),
    });
    expect(created.status).toBe(201);
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/netdesk_http_request_duration_seconds_bucket/);
    expect(metrics).toMatch(/netdesk_db_pool_connections\{[^}]*state="total"/);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
    const docs = await fetch(`${server.url}/api/docs/openapi.json`);
    expect(((await docs.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/api/devices/import');
    (globalThis as Record<string, unknown>).ndToken = password;
  });

  it('refuses a second start on the same data dir with a clear message, leaving the first untouched', async () => {
    const second = ServerProcess.start(await env());
    const { code } = await second.waitExit();
    expect(code).not.toBe(0);
    expect(fatalLines(second.output)).toEqual([
      expect.stringMatching(/data dir .* is in use by another NetDesk process \(pid \d+\): stop it first/),
    ]);
    expect(stackTraceLines(second.output)).toEqual([]);
    expect((await fetch(`${server!.url}/health`)).status).toBe(200);
  });

  it('stops on SIGTERM within 10 s, embedded PostgreSQL included', async () => {
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    const pgPid = Number(fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const { code, ms } = await server!.stop('SIGTERM');
    console.info(`SIGTERM to exit: ${ms} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(() => process.kill(pgPid, 0)).toThrow();
    expect(fs.existsSync(path.join(dataDir, 'netdesk.lock'))).toBe(false);
  });

  it('keeps its data across a restart, and never prints a new admin password', async () => {
    server = ServerProcess.start(await env());
    const ms = await server.waitHealthy();
    console.info(`restart on existing data dir healthy after ${ms} ms`);
    expect(server.output.join('\n')).not.toMatch(/created the first admin/);
    expect(printedAdminPassword(server.output)).toBeUndefined();
    const password = (globalThis as Record<string, unknown>).ndToken as string;
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const devices = (await (
      await fetch(`${server.url}/api/devices`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as { name: string; snmp: unknown }[];
    expect(devices).toEqual([
      expect.objectContaining({ name: 'persisted-router', snmp: { version: '2c', port: 161, configured: true } }),
    ]);
    expect(server.output.join('\n')).not.toMatch(/persist-secret/);
  });

  it('recovers after SIGKILL: the orphaned embedded PostgreSQL is stopped and the data is still there', async () => {
    await server!.stop('SIGKILL');
    server = ServerProcess.start(await env());
    await server.waitHealthy();
    expect(server.output.join('\n')).toMatch(/left running by a previous NetDesk process/);
    await server.stop('SIGTERM');
    server = undefined;
  });
});

describe('configuration errors', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT: .*"eighty"/],
    [{ DATABASE_URL: 'mysql://localhost/x' }, /DATABASE_URL: must start with postgres/],
    [{ NETDESK_ADMIN_EMAIL: 'a@b.co' }, /NETDESK_ADMIN_PASSWORD: .*set together/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
  ])('stops start-up on %j naming the variable', async (bad, message) => {
    const proc = ServerProcess.start({ PORT: '3000', NETDESK_DATA_DIR: os.tmpdir(), ...bad });
    const { code } = await proc.waitExit();
    expect(code).toBe(2);
    expect(proc.output.join('\n')).toMatch(message);
  });
});

const asRoot = process.getuid?.() === 0;

/** Signs in with the printed password and checks the API answers: the proof a start is usable. */
async function signInWorks(server: ServerProcess): Promise<void> {
  const password = printedAdminPassword(server.output);
  expect(password).toBeDefined();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password }),
  });
  expect(login.status).toBe(200);
}

/**
 * Where a new user puts it: a clone in root's 0700 home, the default data dir below it, or a private
 * data dir from mktemp. As root, PostgreSQL runs as `postgres`, who can reach none of those.
 */
(asRoot ? describe : describe.skip)('starts anywhere (as root)', () => {
  const cleanup: string[] = [];
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop('SIGTERM');
    server = undefined;
  });
  afterAll(() => cleanup.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  /** Removes the data dir and, if it was kept elsewhere, its cluster. */
  const forget = (dataDir: string) => {
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    if (!cluster.startsWith(dataDir)) cleanup.push(path.dirname(cluster));
  };

  it('from a copy in a fresh 0700 directory under /root, with the default data dir', async () => {
    const home = fs.mkdtempSync(path.join(os.homedir(), 'netdesk-anywhere-'));
    cleanup.push(home);
    fs.chmodSync(home, 0o700);
    expect(fs.statSync(os.homedir()).mode & 0o077).toBe(0); // /root itself is private too
    const main = copyBuiltService(home);
    server = ServerProcess.start(
      { PORT: String(await freePort()), NETDESK_POLLER: 'false', LOG_LEVEL: 'info' },
      { main, cwd: home },
    );
    await server.waitHealthy();
    await signInWorks(server);
    const dataDir = path.join(home, 'data');
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    forget(dataDir);
    // the cluster is kept where postgres can reach it, private to postgres, and start-up says where
    expect(cluster).toMatch(/^\/var\/lib\/netdesk\/clusters\/[0-9a-f]{16}\/postgres$/);
    const st = fs.statSync(cluster);
    expect(st.mode & 0o777).toBe(0o700);
    expect(st.uid).not.toBe(0);
    expect(server.output.join('\n')).toContain(`cluster in ${cluster}`);
    expect(server.output.join('\n')).toMatch(/the user postgres cannot reach .*node_modules/);
    expect(stackTraceLines(server.output)).toEqual([]);
    // and it comes back on the same cluster after a restart
    await server.stop('SIGTERM');
    server = ServerProcess.start(
      { PORT: String(await freePort()), NETDESK_POLLER: 'false', LOG_LEVEL: 'info' },
      { main, cwd: home },
    );
    await server.waitHealthy();
    expect(server.output.join('\n')).toMatch(/"firstRun":false/);
  });

  it('with a private (0700) NETDESK_DATA_DIR made by mktemp -d', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-private-'));
    cleanup.push(dataDir);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    server = ServerProcess.start({
      PORT: String(await freePort()),
      NETDESK_DATA_DIR: dataDir,
      NETDESK_POLLER: 'false',
      LOG_LEVEL: 'info',
    });
    await server.waitHealthy();
    await signInWorks(server);
    forget(dataDir);
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    expect(fs.statSync(cluster).mode & 0o777).toBe(0o700);
    // the data dir can be searched, not listed, by others; the password file stays root's
    expect(fs.statSync(dataDir).mode & 0o007).toBe(0o001);
    expect(fs.statSync(path.join(dataDir, 'postgres.password')).mode & 0o777).toBe(0o600);
  });
});

/** Every start-up failure: a non-zero exit with one fatal line naming the cause and the fix, no stack. */
describe('start-up failures', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-fail-'));
    dirs.push(d);
    return d;
  };
  const failsWith = async (env: Record<string, string>, message: RegExp) => {
    const proc = ServerProcess.start({ NETDESK_POLLER: 'false', LOG_LEVEL: 'info', ...env });
    const { code } = await proc.waitExit();
    expect(code).toBe(1);
    expect(fatalLines(proc.output)).toEqual([expect.stringMatching(message)]);
    expect(stackTraceLines(proc.output)).toEqual([]);
    return proc;
  };

  it('port in use: names the port and the fix, before starting the database', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const dataDir = tmp();
      await failsWith(
        { PORT: String(port), NETDESK_DATA_DIR: dataDir },
        new RegExp(`Port ${port} on 0\\.0\\.0\\.0 is already in use \\(EADDRINUSE\\): .*set PORT to a free port`),
      );
      expect(fs.existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'netdesk.lock'))).toBe(false);
    } finally {
      busy.close();
    }
  });

  it('database unreachable (DATABASE_URL): names the database, not its password, and the fix', async () => {
    const port = await freePort(); // nothing listens there
    const proc = await failsWith(
      {
        PORT: String(await freePort()),
        NETDESK_DATA_DIR: tmp(),
        DATABASE_URL: `postgres://netdesk:hunter2secret@127.0.0.1:${port}/netdesk`,
      },
      new RegExp(
        `Cannot use the database at netdesk@127\\.0\\.0\\.1:${port}/netdesk \\(ECONNREFUSED.*check DATABASE_URL`,
      ),
    );
    expect(proc.output.join('\n')).not.toContain('hunter2secret');
  }, 30_000);

  it('data dir not writable: names the path and the fix', async () => {
    const parent = tmp();
    fs.writeFileSync(path.join(parent, 'file'), 'not a directory');
    await failsWith(
      { PORT: String(await freePort()), NETDESK_DATA_DIR: path.join(parent, 'file', 'data') },
      /data dir .*\/file\/data is not a directory .*point NETDESK_DATA_DIR at another directory/,
    );
  });

  (asRoot ? it : it.skip)('disk full while creating the database: says so, with the path', async () => {
    const mount = tmp();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
    try {
      await failsWith(
        { PORT: String(await freePort()), NETDESK_DATA_DIR: path.join(mount, 'data') },
        /could not create the PostgreSQL cluster in .*\/data\/postgres: .*No space left on device; free disk space/,
      );
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});
