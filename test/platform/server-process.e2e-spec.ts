import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, ServerProcess } from './server-process';

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
    const line = server.output.find((l) => l.includes('created the first admin'));
    const password = line?.match(/with password (\S+)/)?.[1];
    expect(password).toBeDefined();
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
    expect(second.output.join('\n')).toMatch(/data dir .* is in use by another NetDesk process \(pid \d+\)/);
    expect((await fetch(`${server!.url}/health`)).status).toBe(200);
  });

  it('stops on SIGTERM within 10 s, embedded PostgreSQL included', async () => {
    const pgPid = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
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
