import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DatabaseHealth } from '@netdesk/database';

/**
 * How often the event loop delay is sampled (`nodejs_eventloop_lag_*`). prom-client's 10 ms default
 * wakes the loop 100 times a second, which cost 6 ms of CPU a second on an idle 2-core server, a fifth
 * of all it did; at 100 ms a stall is still seen (the sample comes late), at a tenth of the cost.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The Prometheus registry: process metrics, HTTP latency, and the database pool. Other libs add
 * their own metrics through `registry`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(db: DatabaseHealth) {
    this.registry.setDefaultLabels({ service: 'netdesk' });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.httpDuration = new Histogram({
      name: 'netdesk_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const pool = new Gauge({
      name: 'netdesk_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const stats = db.poolStats();
        pool.set({ state: 'total' }, stats.total);
        pool.set({ state: 'idle' }, stats.idle);
        pool.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }
}
