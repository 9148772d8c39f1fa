import { roleAtLeast } from './role';

describe('roleAtLeast', () => {
  it.each([
    ['viewer', 'viewer', true],
    ['viewer', 'agent', false],
    ['agent', 'viewer', true],
    ['manager', 'agent', true],
    ['manager', 'admin', false],
    ['admin', 'manager', true],
  ] as const)('%s ≥ %s is %s', (role, required, expected) => {
    expect(roleAtLeast(role, required)).toBe(expected);
  });
});
