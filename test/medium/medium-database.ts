import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@netdesk/database';
import { createTestDatabase } from '../support/test-database';
import { unique, uniqueHost } from '../factories/unique';

/**
 * Medium tests: one repository against real PostgreSQL with the real migrations, without booting the app
 * (immich's test/medium is the model). Each file gets its own database; rows are inserted with plain SQL so
 * a test states exactly the rows a query sees.
 */

/** Every entity class under libs/, as the app registers them (relations need the whole graph). */
type EntityClass = new (...args: never[]) => object;

function entities(): EntityClass[] {
  const found: EntityClass[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.entity.ts')) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(full) as Record<string, unknown>;
        for (const value of Object.values(exported)) if (typeof value === 'function') found.push(value as EntityClass);
      }
    }
  };
  walk(path.join(__dirname, '../../libs'));
  return found;
}

export interface MediumDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function mediumDatabase(label: string): Promise<MediumDatabase> {
  const db = await createTestDatabase(`medium_${label}`);
  const dataSource = new DataSource({ ...dataSourceOptions(db.url, 4), entities: entities(), logging: ['error'] });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

export type Rows = ReturnType<typeof rows>;

/**
 * Gives a spec file its own migrated database for all its tests (opened before, dropped after), the
 * repository under test built on it, and the row builders. The fields are set once `beforeAll` has run.
 */
export function mediumSuite<R>(label: string, make: (ds: DataSource) => R): { db: MediumDatabase; repo: R; r: Rows } {
  const suite = {} as { db: MediumDatabase; repo: R; r: Rows };
  beforeAll(async () => {
    suite.db = await mediumDatabase(label);
    suite.repo = make(suite.db.dataSource);
    suite.r = rows(suite.db.dataSource);
  });
  afterAll(() => suite.db?.close());
  return suite;
}

/** Row builders: plain INSERTs with only the columns a test cares about (the rest take their defaults). */
export function rows(ds: DataSource) {
  return {
    async site(overrides: { name?: string } = {}): Promise<{ id: string; name: string }> {
      const name = overrides.name ?? unique('site');
      const [row] = await ds.query(`INSERT INTO sites (name) VALUES ($1) RETURNING id`, [name]);
      return { id: row.id, name };
    },

    async device(
      overrides: { name?: string; siteId?: string | null; kind?: string; status?: string } = {},
    ): Promise<{ id: string; name: string; siteId: string | null }> {
      const name = overrides.name ?? unique('dev');
      const [row] = await ds.query(
        `INSERT INTO devices (name, host, site_id, kind, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [name, uniqueHost(), overrides.siteId ?? null, overrides.kind ?? 'switch', overrides.status ?? 'unknown'],
      );
      return { id: row.id, name, siteId: overrides.siteId ?? null };
    },

    async history(h: {
      deviceId: string;
      at: Date;
      kind?: string;
      toStatus?: string | null;
      ifIndex?: number | null;
    }): Promise<string> {
      const [row] = await ds.query(
        `INSERT INTO status_history (device_id, kind, if_index, to_status, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [h.deviceId, h.kind ?? 'device_status', h.ifIndex ?? null, h.toStatus ?? 'down', h.at],
      );
      return String(row.id);
    },

    async ticket(t: {
      deviceId?: string | null;
      openedAt: Date;
      status?: string;
      priority?: string;
      team?: string | null;
      faultKey?: string | null;
      source?: string;
    }): Promise<string> {
      const [row] = await ds.query(
        `INSERT INTO tickets (title, priority, source, device_id, fault_type, fault_key, status, team, opened_at, escalation_anchor_at)
         VALUES ($1, $2, $3, $4, 'device_down', $5, $6, $7, $8, $8) RETURNING id`,
        [
          unique('ticket'),
          t.priority ?? 'P2',
          t.source ?? 'auto',
          t.deviceId ?? null,
          t.faultKey ?? null,
          t.status ?? 'open',
          t.team ?? null,
          t.openedAt,
        ],
      );
      return row.id;
    },

    async ticketEvent(ticketId: string, type: string, at: Date): Promise<void> {
      await ds.query(
        `INSERT INTO ticket_events (ticket_id, at, type, actor, message) VALUES ($1, $2, $3, 'system', $4)`,
        [ticketId, at, type, type],
      );
    },

    async episode(e: {
      deviceId: string;
      startedAt: Date;
      endedAt?: Date | null;
      faultType?: string;
      ifIndex?: number | null;
      ticketId?: string | null;
      inMaintenance?: boolean;
      faultKey?: string;
    }): Promise<string> {
      const faultType = e.faultType ?? 'device_down';
      const [row] = await ds.query(
        `INSERT INTO fault_episodes (device_id, fault_type, if_index, fault_key, started_at, ended_at, ticket_id, in_maintenance, start_history_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          e.deviceId,
          faultType,
          e.ifIndex ?? null,
          e.faultKey ?? `${e.deviceId}:${faultType}:${e.ifIndex ?? ''}:${randomUUID()}`,
          e.startedAt,
          e.endedAt ?? null,
          e.ticketId ?? null,
          e.inMaintenance ?? false,
          1,
        ],
      );
      return String(row.id);
    },
  };
}

export const at = (iso: string) => new Date(iso);
