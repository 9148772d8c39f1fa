import type { EntityManager } from 'typeorm';
import { HistoryCursor } from './history-cursor';
import type { CursorPosition, HistoryCursorOptions } from './history-cursor';

interface Row {
  id: string;
  at: Date;
}

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** A table of rows and a cursor row, read through a fake transaction that may hold the lock or not. */
function setup(
  rows: Row[],
  over: Partial<HistoryCursorOptions<Row>> & { upTo?: string | null; locked?: boolean } = {},
) {
  const state = { last: '0', moves: [] as string[], handled: [] as string[], committed: [] as string[][] };
  const m = { query: async () => [{ locked: over.locked ?? true }] } as unknown as EntityManager;
  const cursor = new HistoryCursor<Row>(
    {
      lock: 1,
      batch: 3,
      transaction: (work) => work(m),
      source: {
        position: async (): Promise<CursorPosition> => ({ last: state.last, upTo: over.upTo ?? null }),
        rowsAfter: async (_m, after, upTo, limit) =>
          rows
            .filter((r) => BigInt(r.id) > BigInt(after) && (upTo === null || BigInt(r.id) <= BigInt(upTo)))
            .slice(0, limit),
        move: async (_m, last) => {
          state.last = last;
          state.moves.push(last);
        },
      },
      onError: () => undefined,
      ...over,
    },
    () => {
      const batch: string[] = [];
      return {
        handle: async (row) => {
          batch.push(row.id);
          state.handled.push(row.id);
        },
        afterCommit: () => void state.committed.push(batch),
      };
    },
  );
  return { cursor, state };
}

describe('HistoryCursor', () => {
  it('handles a batch, moves the cursor to the last row, and runs the after-commit work once per batch', async () => {
    const rows = ['1', '2', '3', '4'].map((id) => ({ id, at: ago(60_000) }));
    const { cursor, state } = setup(rows);
    expect(await cursor.processBatch()).toBe(3);
    expect(state.last).toBe('3');
    expect(await cursor.processBatch()).toBe(1);
    expect(state.committed).toEqual([['1', '2', '3'], ['4']]);
  });

  it('kick runs full batches again until the table is caught up', async () => {
    const rows = ['1', '2', '3', '4', '5', '6', '7'].map((id) => ({ id, at: ago(60_000) }));
    const { cursor, state } = setup(rows);
    await cursor.kick();
    expect(state.handled).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(state.last).toBe('7');
  });

  it('skips the batch when another instance holds the lock', async () => {
    const { cursor, state } = setup([{ id: '1', at: ago(60_000) }], { locked: false });
    expect(await cursor.processBatch()).toBe(0);
    expect(state.handled).toEqual([]);
    expect(state.moves).toEqual([]);
  });

  it('stops before a recent gap (an insert may still commit) and passes an old one (rolled back)', async () => {
    const gaps = { patienceMs: 10_000, now: () => NOW };
    // [age of row 3 after the gap, rows handled, cursor after the batch]
    const cases: [number, number, string][] = [
      [1_000, 1, '1'],
      [20_000, 2, '3'],
    ];
    for (const [age, handled, last] of cases) {
      const { cursor, state } = setup(
        [
          { id: '1', at: ago(60_000) },
          { id: '3', at: ago(age) },
        ],
        { gaps },
      );
      expect(await cursor.processBatch()).toBe(handled);
      expect(state.last).toBe(last);
    }
  });

  it('never reads past its bound, and moves to the bound when the rows below it are done', async () => {
    const rows = ['1', '2', '5', '6'].map((id) => ({ id, at: NOW }));
    const { cursor, state } = setup(rows, { upTo: '4', gaps: { patienceMs: 10_000, now: () => NOW } });
    expect(await cursor.processBatch()).toBe(2);
    expect(state.handled).toEqual(['1', '2']);
    expect(state.last).toBe('4');
    expect(await cursor.processBatch()).toBe(0);
    expect(state.moves).toEqual(['4']);
  });

  describe('without an event to wake it (the safety-net sweep is long)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const bus = { subscribe: () => () => undefined } as never;
    /** Lets the runner's promise chain settle between fake timer steps. */
    const settle = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };

    it('looks again when a recent gap becomes old enough to be a rolled-back insert', async () => {
      let now = NOW.getTime();
      const rows = [
        { id: '1', at: ago(60_000) },
        { id: '3', at: ago(1_000) },
      ];
      const { cursor, state } = setup(rows, { gaps: { patienceMs: 10_000, now: () => new Date(now) } });
      cursor.start(bus, [], 3_600_000);
      await settle();
      expect(state.handled).toEqual(['1']);
      now += 8_000;
      await jest.advanceTimersByTimeAsync(8_000);
      expect(state.handled).toEqual(['1']);
      now += 2_000;
      await jest.advanceTimersByTimeAsync(2_000);
      await settle();
      expect(state.handled).toEqual(['1', '3']);
      await cursor.stop();
    });

    it('looks again a second after finding another instance holding the lock', async () => {
      const over = { locked: false };
      const { cursor, state } = setup([{ id: '1', at: ago(60_000) }], over);
      cursor.start(bus, [], 3_600_000);
      await settle();
      expect(state.handled).toEqual([]);
      over.locked = true;
      await jest.advanceTimersByTimeAsync(1_000);
      await settle();
      expect(state.handled).toEqual(['1']);
      await cursor.stop();
    });
  });

  it('reports a failed batch and keeps the cursor', async () => {
    const errors: unknown[] = [];
    const { cursor, state } = setup([{ id: '1', at: ago(60_000) }], {
      transaction: async () => {
        throw new Error('boom');
      },
      onError: (err) => void errors.push(err),
    });
    await cursor.kick();
    expect(errors).toEqual([new Error('boom')]);
    expect(state.last).toBe('0');
    expect(state.committed).toEqual([]);
  });
});
