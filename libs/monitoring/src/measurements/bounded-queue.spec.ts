import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('returns items oldest first, in chunks', () => {
    const q = new BoundedQueue<number>(10);
    for (let i = 1; i <= 5; i++) expect(q.push(i)).toBe(0);
    expect(q.take(2)).toEqual([1, 2]);
    expect(q.take(10)).toEqual([3, 4, 5]);
    expect(q.size).toBe(0);
    expect(q.take(1)).toEqual([]);
  });

  it('drops the oldest item when full and says so', () => {
    const q = new BoundedQueue<number>(3);
    expect([1, 2, 3, 4, 5].map((i) => q.push(i))).toEqual([0, 0, 0, 1, 1]);
    expect(q.take(5)).toEqual([3, 4, 5]);
  });

  it('wraps around the ring', () => {
    const q = new BoundedQueue<number>(3);
    for (let round = 0; round < 5; round++) {
      q.push(round * 2);
      q.push(round * 2 + 1);
      expect(q.take(2)).toEqual([round * 2, round * 2 + 1]);
    }
  });

  it('restores taken items at the front, before newer ones', () => {
    const q = new BoundedQueue<number>(5);
    [1, 2, 3].forEach((i) => q.push(i));
    const batch = q.take(2);
    q.push(4);
    expect(q.restore(batch)).toBe(0);
    expect(q.take(5)).toEqual([1, 2, 3, 4]);
  });

  it('drops the oldest restored items when they no longer fit', () => {
    const q = new BoundedQueue<number>(4);
    [1, 2, 3].forEach((i) => q.push(i));
    const batch = q.take(3);
    [4, 5].forEach((i) => q.push(i));
    expect(q.restore(batch)).toBe(1);
    expect(q.size).toBe(4);
    expect(q.take(4)).toEqual([2, 3, 4, 5]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
