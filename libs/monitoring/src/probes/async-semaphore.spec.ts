import { AsyncSemaphore } from './async-semaphore';

describe('AsyncSemaphore', () => {
  it('never lets more than `permits` holders run at once and serves waiters in order', async () => {
    const sem = new AsyncSemaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await sem.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        order.push(i);
        running--;
        release();
        release(); // double release is harmless
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sem.inUse).toBe(0);
  });
});
