import type { DeviceStatus } from './device-state-machine';
import { ancestorsOf, descendantsOf, hasDownAncestor, ParentMap, wouldCreateCycle } from './dependency';

//        core
//       /    \
//   dist-a   dist-b
//    /  \        \
// sw-1  sw-2    sw-3
//   |
//  ap-1
const topology: ParentMap = new Map<string, string | null>([
  ['core', null],
  ['dist-a', 'core'],
  ['dist-b', 'core'],
  ['sw-1', 'dist-a'],
  ['sw-2', 'dist-a'],
  ['sw-3', 'dist-b'],
  ['ap-1', 'sw-1'],
]);

describe('ancestorsOf', () => {
  it.each([
    ['ap-1', ['sw-1', 'dist-a', 'core']],
    ['dist-b', ['core']],
    ['core', []],
    ['not-in-map', []],
  ])('%s → %j', (id, expected) => {
    expect(ancestorsOf(topology, id)).toEqual(expected);
  });

  it('terminates on a cycle already present in stored data', () => {
    const broken: ParentMap = new Map([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ]);
    expect(ancestorsOf(broken, 'a')).toEqual(['b', 'c']);
  });
});

describe('wouldCreateCycle', () => {
  it.each([
    ['device as its own parent', 'sw-1', 'sw-1', true],
    ['parent is a direct child', 'sw-1', 'ap-1', true],
    ['parent is a deeper descendant', 'core', 'ap-1', true],
    ['moving to a sibling branch', 'sw-1', 'dist-b', false],
    ['moving under a cousin', 'sw-2', 'sw-3', false],
    ['clearing the parent', 'sw-1', null, false],
    ['parent not yet in the map', 'sw-1', 'new-router', false],
  ])('%s', (_case, child, newParent, expected) => {
    expect(wouldCreateCycle(topology, child, newParent)).toBe(expected);
  });
});

describe('descendantsOf', () => {
  it.each([
    ['core', ['ap-1', 'dist-a', 'dist-b', 'sw-1', 'sw-2', 'sw-3']],
    ['dist-a', ['ap-1', 'sw-1', 'sw-2']],
    ['sw-3', []],
  ])('%s has %j behind it', (id, expected) => {
    expect([...descendantsOf(topology, id)].sort()).toEqual(expected);
  });

  it('counts the 40 devices behind a router', () => {
    const map = new Map<string, string | null>([['router', null]]);
    for (let i = 0; i < 40; i++) map.set(`host-${i}`, 'router');
    expect(descendantsOf(map, 'router').size).toBe(40);
  });

  it('terminates on a cycle and never counts the device itself', () => {
    const broken: ParentMap = new Map([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect([...descendantsOf(broken, 'a')]).toEqual(['b']);
  });
});

describe('hasDownAncestor', () => {
  const statuses = (entries: Record<string, DeviceStatus>) => (id: string) => entries[id];

  it.each<[string, Record<string, DeviceStatus>, boolean]>([
    ['grandparent down', { core: 'up', 'dist-a': 'down', 'sw-1': 'up' }, true],
    ['root down', { core: 'down', 'dist-a': 'unreachable', 'sw-1': 'unreachable' }, true],
    ['ancestors only unreachable or degraded', { core: 'up', 'dist-a': 'degraded', 'sw-1': 'unreachable' }, false],
    ['ancestor statuses unknown', {}, false],
    ['only the device itself down', { core: 'up', 'dist-a': 'up', 'sw-1': 'up', 'ap-1': 'down' }, false],
  ])('%s → %s', (_case, entries, expected) => {
    expect(hasDownAncestor(topology, statuses(entries), 'ap-1')).toBe(expected);
  });
});
