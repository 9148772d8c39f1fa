/**
 * The built service as a real process reading a real Dovecot mailbox, killed with SIGKILL while it
 * reads: after a restart every message is a ticket exactly once and every message is flagged done.
 */
import * as fs from 'node:fs';
import { Client } from 'pg';
import { freePort, SERVER_MAIN, ServerProcess } from '../platform/server-process';
import { createTestDatabase } from '../support/test-database';
import { Dovecot } from './dovecot';
import { rawMail, waitFor } from './mail-fixtures';

jest.setTimeout(180_000);

const COUNT = 150;

describe('the mailbox reader killed with -9', () => {
  let dovecot: Dovecot;
  let db: { url: string; drop(): Promise<void> };
  let server: ServerProcess | undefined;
  let pg: Client;
  const dataDir = fs.mkdtempSync('/tmp/netdesk-mailcrash-');

  beforeAll(async () => {
    if (!fs.existsSync(SERVER_MAIN))
      throw new Error(`build the service first (npm run build): ${SERVER_MAIN} is missing`);
    dovecot = await Dovecot.start({ helpdesk: 'crash-pass-1' });
    db = await createTestDatabase('mailcrash');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await pg?.end();
    await db?.drop();
    await dovecot?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () =>
    ServerProcess.start({
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      NETDESK_DATA_DIR: dataDir,
      NETDESK_POLLER: 'false',
      LOG_LEVEL: 'info',
      NETDESK_ADMIN_EMAIL: 'admin@crash.test',
      NETDESK_ADMIN_PASSWORD: 'crash-admin-1',
      NETDESK_IMAP_URL: dovecot.url('helpdesk'),
      NETDESK_IMAP_POLL_MS: '200',
    });
  const count = async (sql: string): Promise<number> => Number((await pg.query(sql)).rows[0].n);
  const emailTickets = () => count(`SELECT count(*) AS n FROM tickets WHERE source = 'email'`).catch(() => 0); // before migrations: no table

  it('loses and doubles nothing', async () => {
    const subjects = Array.from({ length: COUNT }, (_, i) => `crash-${String(i).padStart(3, '0')}`);
    for (const subject of subjects)
      dovecot.deliverToMaildir('helpdesk', Buffer.from(rawMail({ from: `p${subject}@people.test`, subject }).raw));

    server = await start();
    await server.waitHealthy();
    const before = await waitFor(
      'the reader to be part-way',
      async () => {
        const n = await emailTickets();
        return n >= 5 && n;
      },
      60_000,
    );
    server.child.kill('SIGKILL');
    await server.waitExit();
    const atKill = await emailTickets();
    expect(atKill).toBeLessThan(COUNT); // it really was killed while reading
    console.info(`killed with ${atKill} of ${COUNT} mails stored (${before} seen before the kill)`);

    server = await start();
    await server.waitHealthy();
    await waitFor('every mail stored', async () => (await emailTickets()) >= COUNT, 120_000);
    await waitFor(
      'every mail flagged',
      async () => {
        const flags = await dovecot.flags('helpdesk');
        return flags.size === COUNT && [...flags.values()].every((f) => f.has('$NetDeskDone'));
      },
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // one more pass would double anything not recorded

    const rows = (await pg.query(`SELECT title, count(*)::int AS n FROM tickets WHERE source = 'email' GROUP BY title`))
      .rows as {
      title: string;
      n: number;
    }[];
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.map((r) => r.title).sort()).toEqual(subjects);
    expect(await count(`SELECT count(*) AS n FROM mail_messages WHERE direction = 'in'`)).toBe(COUNT);
    expect(await count(`SELECT count(*) AS n FROM mailbox_receipts`)).toBe(COUNT);
    expect(server.output.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
  });
});
