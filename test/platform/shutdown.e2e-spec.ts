import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '@netdesk/database';
import { freePort, ServerProcess, stackTraceLines } from './server-process';

const ADMIN = { email: 'admin@shutdown.test', password: 'shutdown-pass-1' };
const DEVICES = 120;

/**
 * SIGTERM under load, on the embedded database: the service stops accepting, stops the poller, drains
 * the requests in flight, flushes observations, closes the pool and only then stops PostgreSQL. No
 * acknowledged write is lost, nothing in flight gets a 5xx, no observation is dropped, and the last
 * line says it stopped.
 */
describe('ordered shutdown under polling and write load', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-shutdown-'));
  fs.chmodSync(dataDir, 0o755);
  let server: ServerProcess | undefined;
  const env = async (poller: boolean) => ({
    PORT: String(await freePort()),
    NETDESK_DATA_DIR: dataDir,
    NETDESK_POLLER: String(poller),
    NETDESK_ADMIN_EMAIL: ADMIN.email,
    NETDESK_ADMIN_PASSWORD: ADMIN.password,
    NETDESK_TRAP_PORT: String(await freePort()),
    NETDESK_TRAP_BIND: '127.0.0.1',
    LOG_LEVEL: 'info',
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    const cluster = EmbeddedPostgres.clusterDir(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!cluster.startsWith(dataDir)) fs.rmSync(path.dirname(cluster), { recursive: true, force: true });
  });

  const signIn = async (s: ServerProcess) => {
    const res = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  it('loses no acknowledged write, answers no 5xx, drops no observation, and logs "stopped" last', async () => {
    server = ServerProcess.start(await env(true));
    await server.waitHealthy();
    const token = await signIn(server);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    // devices on loopback addresses: real ICMP polls every second that harm nobody
    for (let i = 0; i < DEVICES; i++) {
      const res = await fetch(`${server.url}/api/devices`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: `lo-${i}`,
          host: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
          pollIntervalSec: 1,
        }),
      });
      expect(res.status).toBe(201);
    }
    // observations are flowing
    const written = async () => {
      const text = await (await fetch(`${server!.url}/metrics`)).text();
      return Number(text.match(/netdesk_measurement_rows_written_total\{kind="device"[^}]*\} (\d+)/)?.[1] ?? 0);
    };
    const deadline = Date.now() + 20_000;
    while ((await written()) < DEVICES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await written()).toBeGreaterThanOrEqual(DEVICES);

    // write load: 8 clients creating sites as fast as they are answered
    const acknowledged: string[] = [];
    const serverErrors: string[] = [];
    let running = true;
    const client = async (c: number) => {
      for (let n = 0; running; n++) {
        const name = `site-${c}-${n}`;
        try {
          const res = await fetch(`${server!.url}/api/sites`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name }),
          });
          if (res.status === 201) acknowledged.push(name);
          else if (res.status >= 500) serverErrors.push(`${res.status} ${await res.text()}`);
          else await res.text();
        } catch {
          return; // refused or reset: the server stopped accepting, which is allowed
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 1500));
    const before = acknowledged.length;
    const { code, ms } = await server.stop('SIGTERM');
    running = false;
    await Promise.all(clients);
    console.info(
      `SIGTERM after ${before} writes under load: exit ${code} in ${ms} ms, ${acknowledged.length} acknowledged`,
    );

    const output = server.output;
    expect(code).toBe(0);
    expect(serverErrors).toEqual([]);
    expect(JSON.parse(output.filter((l) => l.startsWith('{')).at(-1)!)).toMatchObject({ msg: 'stopped' });
    expect(output.filter((l) => /dropped measurement samples|could not write measurements/.test(l))).toEqual([]);
    expect(output.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
    expect(stackTraceLines(output)).toEqual([]);

    // every acknowledged write is there after a restart
    server = ServerProcess.start(await env(false));
    await server.waitHealthy();
    const token2 = await signIn(server);
    const sites = (await (
      await fetch(`${server.url}/api/sites`, { headers: { authorization: `Bearer ${token2}` } })
    ).json()) as { name: string }[];
    const stored = new Set(sites.map((s) => s.name));
    expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
    await server.stop('SIGTERM');
    server = undefined;
  }, 120_000);
});
