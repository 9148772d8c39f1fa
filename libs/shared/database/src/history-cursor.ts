import type { EntityManager } from 'typeorm';
import { CoalescingRunner } from '@netdesk/core';
import type { EventBus } from '@netdesk/core';
import { quietWhileDatabaseDown } from './pg-errors';

/** How soon a batch that found another instance holding the cursor's lock looks again. */
const LOCK_RETRY_MS = 1000;

/** Where a consumer stands in an append-only table whose ids grow (status history). */
export interface CursorPosition {
  /** The id handled last. */
  last: string;
  /** The highest id it may read: another consumer's cursor it must not overtake; null for no bound. */
  upTo: string | null;
}

/** How one consumer keeps and reads its cursor; every call runs inside the batch's transaction. */
export interface HistoryCursorSource<Row extends { id: string; at: Date }> {
  /** Creates the cursor row when missing and reads it. */
  position(m: EntityManager): Promise<CursorPosition>;
  /** Up to `limit` rows after `after` (and not past `upTo`), by id. */
  rowsAfter(m: EntityManager, after: string, upTo: string | null, limit: number): Promise<Row[]>;
  move(m: EntityManager, last: string): Promise<void>;
}

/** One batch's work: rows inside the transaction, then what must wait for the commit (publish, notify). */
export interface CursorBatch<Row> {
  handle(row: Row, m: EntityManager): Promise<void>;
  afterCommit(): Promise<void> | void;
}

export interface HistoryCursorOptions<Row extends { id: string; at: Date }> {
  /** Advisory lock key: one instance reads this cursor at a time; the others skip the batch. */
  lock: number;
  batch: number;
  transaction: <T>(work: (m: EntityManager) => Promise<T>) => Promise<T>;
  source: HistoryCursorSource<Row>;
  /**
   * Without an `upTo` bound, a gap in ids before a row younger than `patienceMs` ends the batch (an
   * earlier insert may still commit); an older gap is a rolled-back insert. With a bound, ids up to it
   * are settled: the cursor moves to the bound once the rows below it are done.
   */
  gaps?: { patienceMs: number; now: () => Date };
  /** Called for a failed batch; while the database is down, once a minute (with how many were left out). */
  onError: (err: unknown, suppressed: number) => void;
}

/**
 * A consumer that catches up with an append-only table through a cursor row moved in the same
 * transaction as its own writes, under a transaction-level advisory lock: after a crash nothing is lost
 * or done twice, and several instances never race. Batches run one at a time (a wake-up during a run
 * folds into one more run); a full batch runs again at once.
 */
export class HistoryCursor<Row extends { id: string; at: Date }> {
  private readonly runner: CoalescingRunner;
  /** One-shot wake-up for work known to be pending (a gap's patience, another instance's lock). */
  private retry?: { at: number; timer: NodeJS.Timeout };
  private stopped = false;

  constructor(
    private readonly options: HistoryCursorOptions<Row>,
    private readonly newBatch: () => CursorBatch<Row>,
  ) {
    this.runner = new CoalescingRunner(
      async () => (await this.processBatch()) === options.batch,
      quietWhileDatabaseDown(options.onError),
    );
  }

  /**
   * Runs now, on every event of `topics`, and every `intervalMs` as a safety net, until `stop()`. Work
   * that events would not announce again (a batch that ended at a gap, or found another instance
   * holding the lock) is retried by a one-shot timer, so the safety net can be long.
   */
  start(bus: EventBus, topics: readonly string[], intervalMs: number): void {
    this.stopped = false;
    this.runner.start(bus, topics, intervalMs);
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry.timer);
    this.retry = undefined;
    return this.runner.stop();
  }

  /** Processes everything pending; calls while a run is under way fold into one more run. */
  kick(): Promise<void> {
    return this.runner.kick();
  }

  /** One transaction: up to `batch` rows after the cursor, handled, the cursor moved; then the after-commit work. */
  async processBatch(): Promise<number> {
    const work = this.newBatch();
    const processed = await this.options.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [this.options.lock]);
      if (!locked) {
        // Another instance is reading; rows committed after its read would wait for the safety net.
        this.retryIn(LOCK_RETRY_MS);
        return 0;
      }
      return this.read(work, m);
    });
    await work.afterCommit();
    return processed;
  }

  private retryIn(ms: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, ms);
    if (this.retry && this.retry.at <= at) return;
    if (this.retry) clearTimeout(this.retry.timer);
    const timer = setTimeout(() => {
      this.retry = undefined;
      void this.runner.kick();
    }, at - Date.now());
    timer.unref();
    this.retry = { at, timer };
  }

  private async read(work: CursorBatch<Row>, m: EntityManager): Promise<number> {
    const { source, batch, gaps } = this.options;
    const { last, upTo } = await source.position(m);
    if (upTo !== null && BigInt(upTo) <= BigInt(last)) return 0;
    const rows = await source.rowsAfter(m, last, upTo, batch);
    let moved = BigInt(last);
    let count = 0;
    for (const row of rows) {
      const id = BigInt(row.id);
      if (upTo === null && gaps && id !== moved + 1n && gaps.now().getTime() - row.at.getTime() < gaps.patienceMs) {
        // An earlier insert may still commit (its event will wake us) or was rolled back: look again
        // once the gap is old enough to be skipped.
        this.retryIn(row.at.getTime() + gaps.patienceMs - gaps.now().getTime() + 10);
        break;
      }
      await work.handle(row, m);
      moved = id;
      count++;
    }
    // Ids up to the bound that are missing were rolled back: skip past them too.
    if (upTo !== null && rows.length < batch) await source.move(m, upTo);
    else if (count) await source.move(m, moved.toString());
    return count;
  }
}
