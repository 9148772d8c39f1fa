import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** Liveness of the database and the state of the connection pool, for /health and /metrics. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  async check(timeoutMs = 2000): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const started = process.hrtime.bigint();
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
        ),
      ]);
      return { ok: true, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 };
    } catch (e) {
      return { ok: false, latencyMs: Number(process.hrtime.bigint() - started) / 1e6, error: (e as Error).message };
    }
  }

  poolStats(): PoolStats {
    const pool = (
      this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }
    ).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  }
}
