/**
 * A FIFO queue of at most `capacity` items, as a ring buffer: when full, adding drops the oldest.
 * Every operation reports how many items it dropped so the caller can count them. O(1) per item.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds at the back; returns 1 if the oldest item was dropped to make room, else 0. */
  push(item: T): number {
    if (this.count === this.capacity) {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
      return 1;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return 0;
  }

  /** Removes and returns up to `n` items from the front, oldest first. */
  take(n: number): T[] {
    const taken: T[] = [];
    const k = Math.min(n, this.count);
    for (let i = 0; i < k; i++) {
      taken.push(this.items[this.head] as T);
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= k;
    return taken;
  }

  /**
   * Puts items taken earlier back at the front (they are older than everything queued). What does
   * not fit is dropped, oldest first; returns how many were dropped.
   */
  restore(items: T[]): number {
    const room = this.capacity - this.count;
    const dropped = Math.max(0, items.length - room);
    for (let i = items.length - 1; i >= dropped; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.items[this.head] = items[i];
      this.count += 1;
    }
    return dropped;
  }
}
