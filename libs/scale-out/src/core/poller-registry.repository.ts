import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PollerSeen {
  group: string;
  name: string;
  lastSeenAt: Date;
}

@Injectable()
export class PollerRegistryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<PollerSeen[]> {
    const rows = (await this.dataSource.query(`SELECT poller_group, name, last_seen_at FROM poller_registry`)) as {
      poller_group: string;
      name: string;
      last_seen_at: Date;
    }[];
    return rows.map((r) => ({ group: r.poller_group, name: r.name, lastSeenAt: r.last_seen_at }));
  }

  /** Records renewals; last-seen only moves forwards (several core instances write the same pollers). */
  async touch(rows: PollerSeen[]): Promise<void> {
    if (!rows.length) return;
    // one row per poller (a lease listing can name one twice), or the upsert would touch a row twice
    const latest = new Map<string, PollerSeen>();
    for (const r of rows) {
      const key = `${r.group}\u0000${r.name}`;
      const seen = latest.get(key);
      if (!seen || seen.lastSeenAt < r.lastSeenAt) latest.set(key, r);
    }
    rows = [...latest.values()];
    await this.dataSource.query(
      `INSERT INTO poller_registry AS r (poller_group, name, last_seen_at)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[])
       ON CONFLICT (poller_group, name) DO UPDATE SET last_seen_at = GREATEST(r.last_seen_at, EXCLUDED.last_seen_at)`,
      [rows.map((r) => r.group), rows.map((r) => r.name), rows.map((r) => r.lastSeenAt)],
    );
  }
}
