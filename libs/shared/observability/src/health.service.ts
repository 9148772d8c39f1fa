import { Injectable } from '@nestjs/common';
import { DatabaseHealth } from '@netdesk/database';

export type CheckStatus = 'ok' | 'degraded' | 'error';
export interface HealthCheck {
  status: CheckStatus;
  [detail: string]: unknown;
}

/**
 * Aggregates health checks. The database is built in; other libs (the poller's lag, for one)
 * register theirs. Any `error` makes the service unhealthy; `degraded` is reported but still serves.
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, () => Promise<HealthCheck> | HealthCheck>();
  private readonly startedAt = Date.now();

  constructor(db: DatabaseHealth) {
    this.register('database', async () => {
      const r = await db.check();
      return r.ok
        ? { status: 'ok', latencyMs: Math.round(r.latencyMs * 10) / 10 }
        : { status: 'error', error: r.error };
    });
  }

  register(name: string, check: () => Promise<HealthCheck> | HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<{ status: CheckStatus; uptimeSec: number; checks: Record<string, HealthCheck> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (e) {
          return [name, { status: 'error', error: (e as Error).message } as HealthCheck] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const statuses = entries.map(([, c]) => c.status);
    const status: CheckStatus = statuses.includes('error')
      ? 'error'
      : statuses.includes('degraded')
        ? 'degraded'
        : 'ok';
    return { status, uptimeSec: Math.round((Date.now() - this.startedAt) / 1000), checks };
  }
}
