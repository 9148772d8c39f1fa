import { isFenced, ownerOf } from './assignment';

const ids = Array.from({ length: 3000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('ownerOf', () => {
  it('spreads devices evenly over the members', () => {
    const members = [
      { name: 'a', epoch: 1 },
      { name: 'b', epoch: 2 },
      { name: 'c', epoch: 3 },
    ];
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(ownerOf(id, members)!, (counts.get(ownerOf(id, members)!) ?? 0) + 1);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(120);
  });

  it('moves only the leaving member’s devices, and agrees whatever the order of members', () => {
    const three = [
      { name: 'a', epoch: 1 },
      { name: 'b', epoch: 2 },
      { name: 'c', epoch: 3 },
    ];
    const two = three.filter((m) => m.name !== 'b');
    for (const id of ids) {
      const before = ownerOf(id, three);
      expect(ownerOf(id, [...three].reverse())).toBe(before);
      if (before !== 'b') expect(ownerOf(id, two)).toBe(before);
    }
  });

  it('has no owner without members', () => expect(ownerOf(ids[0], [])).toBeNull());
});

describe('isFenced', () => {
  it('refuses results from an older epoch than the device has seen', () => {
    expect(isFenced(5, 7)).toBe(true);
    expect(isFenced(7, 7)).toBe(false);
    expect(isFenced(9, 7)).toBe(false);
    expect(isFenced(1, undefined)).toBe(false);
  });
});
