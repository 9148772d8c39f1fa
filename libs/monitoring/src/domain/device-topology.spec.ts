import { DeviceTopology, hasDownAncestor, hasSuspectAncestor } from './device-topology';

/** core ← dist ← access ← phone, and a second branch core ← wan. */
function lab(): DeviceTopology {
  const t = new DeviceTopology();
  t.set('core', null);
  t.set('dist', 'core');
  t.set('access', 'dist');
  t.set('phone', 'access');
  t.set('wan', 'core');
  return t;
}

describe('DeviceTopology', () => {
  it('lists the path above a device, nearest first', () => {
    const t = lab();
    expect(t.ancestorIds('phone')).toEqual(['access', 'dist', 'core']);
    expect(t.ancestorIds('core')).toEqual([]);
  });

  it('lists every device behind a device, and none beside it', () => {
    const t = lab();
    expect(t.descendantIds('dist').sort()).toEqual(['access', 'phone']);
    expect(t.descendantIds('core').sort()).toEqual(['access', 'dist', 'phone', 'wan']);
    expect(t.descendantIds('phone')).toEqual([]);
  });

  it('stops the path at a parent that is not watched', () => {
    const t = lab();
    t.delete('dist');
    expect(t.ancestorIds('phone')).toEqual(['access']);
    expect(t.descendantIds('core')).toEqual(['wan']);
  });

  it('follows a device moved under another parent', () => {
    const t = lab();
    t.set('access', 'wan');
    expect(t.ancestorIds('phone')).toEqual(['access', 'wan', 'core']);
    expect(t.descendantIds('dist')).toEqual([]);
    expect(t.descendantIds('wan').sort()).toEqual(['access', 'phone']);
  });

  it('does not hang on a cycle in stored data', () => {
    const t = new DeviceTopology();
    t.set('a', 'b');
    t.set('b', 'c');
    t.set('c', 'a');
    expect(t.ancestorIds('a')).toEqual(['b', 'c']);
    expect(t.descendantIds('a').sort()).toEqual(['b', 'c']);
  });

  it('ignores a device naming itself as its parent', () => {
    const t = new DeviceTopology();
    t.set('a', 'a');
    expect(t.ancestorIds('a')).toEqual([]);
    expect(t.descendantIds('a')).toEqual([]);
  });
});

describe('root cause', () => {
  it('blames a confirmed down ancestor', () => {
    expect(
      hasDownAncestor([
        { status: 'up', consecutiveFailures: 0 },
        { status: 'down', consecutiveFailures: 3 },
      ]),
    ).toBe(true);
    expect(hasDownAncestor([{ status: 'unreachable', consecutiveFailures: 3 }])).toBe(false);
    expect(hasDownAncestor([])).toBe(false);
  });

  it('suspects an ancestor failing but not yet confirmed, not one already judged', () => {
    expect(hasSuspectAncestor([{ status: 'up', consecutiveFailures: 1 }])).toBe(true);
    expect(hasSuspectAncestor([{ status: 'degraded', consecutiveFailures: 2 }])).toBe(true);
    expect(hasSuspectAncestor([{ status: 'up', consecutiveFailures: 0 }])).toBe(false);
    expect(hasSuspectAncestor([{ status: 'down', consecutiveFailures: 3 }])).toBe(false);
    expect(hasSuspectAncestor([{ status: 'unreachable', consecutiveFailures: 3 }])).toBe(false);
  });
});
