import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort, ServerProcess } from '../platform/server-process';
import { createTestDatabase } from '../support/test-database';

const ADMIN = { email: 'admin@durability.test', password: 'durability-1' };

/**
 * Ticketing under failure, with the real service processes: SIGKILL between a stored transition and
 * its ticket, and two instances on one database. Status changes are written the way the poller's
 * store writes them (device row and history row in one transaction); the poller itself stays off.
 */
describe('ticketing under failure', () => {
  let db: { url: string; drop(): Promise<void> };
  let sql: Client;
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('durability');
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await sql?.end();
    await db?.drop();
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  const start = async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-dur-'));
    dirs.push(dataDir);
    const server = ServerProcess.start({
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      NETDESK_DATA_DIR: dataDir,
      NETDESK_POLLER: 'false',
      NETDESK_ADMIN_EMAIL: ADMIN.email,
      NETDESK_ADMIN_PASSWORD: ADMIN.password,
      NETDESK_TICKETING_SWEEP_MS: '200',
      LOG_LEVEL: 'warn',
    });
    servers.push(server);
    await server.waitHealthy();
    return server;
  };
  const api = async (server: ServerProcess, method: string, url: string, body?: unknown) => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
  };
  /** What MonitoringStore.commit does for a device going down. */
  const storeDown = async (deviceId: string) => {
    await sql.query('BEGIN');
    await sql.query(`UPDATE devices SET status = 'down', status_since = now() WHERE id = $1`, [deviceId]);
    await sql.query(
      `INSERT INTO status_history (device_id, kind, from_status, to_status, reason, detail, at) VALUES ($1, 'device_status', 'up', 'down', 'no reply to ping', '{"causes":[]}', now())`,
      [deviceId],
    );
    await sql.query('COMMIT');
  };
  const count = async (q: string, params: unknown[]) => Number((await sql.query(q, params)).rows[0].count);
  const waitFor = async (what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) => {
    const started = Date.now();
    while (!(await probe())) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('opens the ticket exactly once when the server is killed between a transition and its ticket', async () => {
    const a = await start();
    const device = (await api(a, 'POST', '/api/devices', { name: 'killed-router', host: '127.0.0.2' })).body as {
      id: string;
    };
    await a.stop('SIGKILL');
    await storeDown(device.id); // the transition is stored; no server saw it
    const restarted = await start();
    await waitFor(
      'the ticket',
      async () => (await count(`SELECT count(*) FROM tickets WHERE device_id = $1`, [device.id])) > 0,
    );
    await restarted.stop('SIGKILL');
    const third = await start();
    // A later fault as a positive signal: history is handled in order, so once its ticket exists the third
    // instance has been past the killed router's transition, and any duplicate would already be there.
    const marker = (await api(third, 'POST', '/api/devices', { name: 'marker-router', host: '127.0.0.4' })).body as {
      id: string;
    };
    await storeDown(marker.id);
    await waitFor(
      'the marker ticket',
      async () => (await count(`SELECT count(*) FROM tickets WHERE device_id = $1`, [marker.id])) > 0,
    );
    expect(await count(`SELECT count(*) FROM tickets WHERE device_id = $1`, [device.id])).toBe(1);
    expect(
      await count(
        `SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.device_id = $1 AND e.type = 'opened'`,
        [device.id],
      ),
    ).toBe(1);
  });

  it('with two instances on one database: one ticket per fault, one escalation per step', async () => {
    const [a, b] =
      servers.length >= 1 && servers.at(-1)!.child.exitCode === null
        ? [servers.at(-1)!, await start()]
        : [await start(), await start()];
    const policy = (
      await api(a, 'POST', '/api/escalation-policies', {
        name: 'fast',
        steps: [{ delaySeconds: 1 }, { delaySeconds: 2 }],
      })
    ).body as { id: string };
    const devices: string[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await api(i % 2 ? a : b, 'POST', '/api/devices', {
        name: `twin-${i}`,
        host: `127.0.3.${i + 1}`,
        escalationPolicyId: policy.id,
      });
      expect(created.status).toBe(201);
      devices.push((created.body as { id: string }).id);
    }
    for (const id of devices) await storeDown(id); // one connection: one transaction at a time
    await waitFor(
      '20 tickets',
      async () => (await count(`SELECT count(*) FROM tickets WHERE device_id = ANY($1)`, [devices])) === 20,
    );
    await waitFor(
      'both escalation steps',
      async () =>
        (await count(`SELECT count(*) FROM tickets WHERE device_id = ANY($1) AND escalation_level = 2`, [devices])) ===
        20,
      30_000,
    );
    // Both instances keep running their timers: a later fault on the same policy reaching its last step
    // shows they did, after every step above was due, so any duplicate escalation would be there by now.
    const marker = (
      await api(b, 'POST', '/api/devices', { name: 'twin-marker', host: '127.0.3.99', escalationPolicyId: policy.id })
    ).body as { id: string };
    await storeDown(marker.id);
    await waitFor(
      'the marker’s last escalation step',
      async () =>
        (await count(`SELECT count(*) FROM tickets WHERE device_id = $1 AND escalation_level = 2`, [marker.id])) === 1,
      30_000,
    );
    expect(await count(`SELECT count(*) FROM tickets WHERE device_id = ANY($1)`, [devices])).toBe(20);
    expect(
      await count(
        `SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.device_id = ANY($1) AND e.type = 'opened'`,
        [devices],
      ),
    ).toBe(20);
    expect(
      await count(
        `SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.device_id = ANY($1) AND e.type = 'escalated'`,
        [devices],
      ),
    ).toBe(40);
    expect((await api(b, 'GET', '/health')).status).toBe(200);
  });
});
