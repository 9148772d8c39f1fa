interface Slot {
  at: number;
  id: string;
  version: number;
}

/**
 * A min-heap of (time, id): which device is due next. Rescheduling an id bumps its version; older
 * slots of that id are skipped when they surface, so updates are O(log n) without a search.
 */
export class DueQueue {
  private readonly heap: Slot[] = [];
  private readonly versions = new Map<string, number>();

  get size(): number {
    return this.versions.size;
  }

  schedule(id: string, at: number): void {
    const version = (this.versions.get(id) ?? 0) + 1;
    this.versions.set(id, version);
    this.push({ at, id, version });
  }

  remove(id: string): void {
    this.versions.delete(id);
  }

  /** When `id` is next due, if it is queued. */
  dueAt(id: string): number | undefined {
    const version = this.versions.get(id);
    return version === undefined ? undefined : this.heap.find((s) => s.id === id && s.version === version)?.at;
  }

  /** Removes and returns every id due at or before `now`, earliest first. */
  popDue(now: number, limit = Infinity): { id: string; at: number }[] {
    const due: { id: string; at: number }[] = [];
    while (this.heap.length && this.heap[0].at <= now && due.length < limit) {
      const slot = this.pop()!;
      if (this.versions.get(slot.id) !== slot.version) continue;
      this.versions.delete(slot.id);
      due.push({ id: slot.id, at: slot.at });
    }
    return due;
  }

  private push(slot: Slot): void {
    const h = this.heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): Slot | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < h.length && h[l].at < h[smallest].at) smallest = l;
        if (r < h.length && h[r].at < h[smallest].at) smallest = r;
        if (smallest === i) break;
        [h[smallest], h[i]] = [h[i], h[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
