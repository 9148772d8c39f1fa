import { RoutableDevice, routeTeam, RoutingRule } from './routing';

const rules: RoutingRule[] = [
  { match: { siteId: 'hamburg', kind: 'firewall' }, team: 'security-hh' },
  { match: { tag: 'datacenter' }, team: 'dc-ops' },
  { match: { siteId: 'hamburg' }, team: 'noc-hh' },
  { match: { kind: 'wan-link' }, team: 'carrier' },
];
const device = (overrides: Partial<RoutableDevice>): RoutableDevice => ({
  siteId: null,
  tags: [],
  kind: 'switch',
  ...overrides,
});

describe('routeTeam', () => {
  it.each<[string, Partial<RoutableDevice>, string | null, number | null]>([
    ['all conditions of a rule hold', { siteId: 'hamburg', kind: 'firewall' }, 'security-hh', 0],
    ['one condition of several is not enough', { siteId: 'berlin', kind: 'firewall' }, 'noc-default', null],
    ['first match wins over a later one', { siteId: 'hamburg', tags: ['datacenter'] }, 'dc-ops', 1],
    ['a later rule when earlier ones miss', { siteId: 'hamburg', kind: 'router' }, 'noc-hh', 2],
    ['tag among several', { tags: ['lab', 'datacenter'] }, 'dc-ops', 1],
    ['tags match exactly', { tags: ['DataCenter'] }, 'noc-default', null],
    ['kind only', { kind: 'wan-link' }, 'carrier', 3],
    ['no match: the default', { siteId: 'berlin' }, 'noc-default', null],
  ])('%s', (_case, overrides, team, ruleIndex) => {
    expect(routeTeam(rules, device(overrides), 'noc-default')).toMatchObject({ team, ruleIndex });
  });

  it("prefers the device's own team over every rule", () => {
    expect(routeTeam(rules, device({ siteId: 'hamburg', team: 'core' }), 'noc-default')).toEqual({
      team: 'core',
      ruleIndex: null,
      matchedBy: 'device',
    });
  });

  it('matches everything with an empty rule, and has no team without rules or default', () => {
    expect(routeTeam([{ match: {}, team: 'all' }], device({}), null)).toEqual({
      team: 'all',
      ruleIndex: 0,
      matchedBy: 'rule',
    });
    expect(routeTeam([], device({}), null)).toEqual({ team: null, ruleIndex: null, matchedBy: 'default' });
  });
});
