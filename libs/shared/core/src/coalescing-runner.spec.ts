import { CoalescingRunner } from './coalescing-runner';

describe('CoalescingRunner', () => {
  it('runs until the step reports no more, and folds kicks during a run into one more run', async () => {
    let pending = 3;
    let steps = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runner = new CoalescingRunner(async () => {
      steps++;
      if (steps === 1) await gate;
      return --pending > 0;
    }, fail);
    const first = runner.kick();
    void runner.kick();
    void runner.kick();
    release();
    await first;
    await runner.idle();
    // 3 steps to drain, then one extra run (one step) for the folded kicks
    expect(steps).toBe(4);
  });

  it('reports a failing step and stays usable', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new CoalescingRunner(
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return false;
      },
      (e) => errors.push(e),
    );
    await runner.kick();
    await runner.kick();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
  });
});

function fail(err: unknown): never {
  throw err;
}
