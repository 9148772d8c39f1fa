import type { EntityManager } from 'typeorm';
import type { MonitoringChange } from './poll-engine.types';

/**
 * Where poll results from another process (scale-out's ingest) are stored: the changes and the state they
 * lead to, in the caller's transaction; returns their history ids.
 */
export abstract class IngestSink {
  abstract commit(changes: MonitoringChange[], manager?: EntityManager): Promise<number[]>;
}
