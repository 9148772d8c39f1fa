import type { DeviceKind } from '@netdesk/inventory';

/** Conditions on a device; every condition given must hold, and a rule with none matches every device. */
export interface RoutingMatch {
  siteId?: string;
  /** The device carries this tag (exact, case-sensitive). */
  tag?: string;
  kind?: DeviceKind;
}

export interface RoutingRule {
  match: RoutingMatch;
  team: string;
}

export interface RoutableDevice {
  siteId: string | null;
  tags: readonly string[];
  kind: DeviceKind;
  /** A team set on the device itself. */
  team?: string | null;
}

export interface RoutedTeam {
  team: string | null;
  /** The index of the rule that matched; null when the device's own team or the default applied. */
  ruleIndex: number | null;
  matchedBy: 'device' | 'rule' | 'default';
}

/**
 * The team a device's tickets go to. A team set on the device is the most specific choice, so it wins;
 * otherwise the first matching rule, in order; otherwise `defaultTeam` (null: no team).
 */
export function routeTeam(
  rules: readonly RoutingRule[],
  device: RoutableDevice,
  defaultTeam: string | null,
): RoutedTeam {
  if (device.team) return { team: device.team, ruleIndex: null, matchedBy: 'device' };
  const ruleIndex = rules.findIndex(({ match }) => matches(match, device));
  return ruleIndex === -1
    ? { team: defaultTeam, ruleIndex: null, matchedBy: 'default' }
    : { team: rules[ruleIndex].team, ruleIndex, matchedBy: 'rule' };
}

function matches(match: RoutingMatch, device: RoutableDevice): boolean {
  return (
    (match.siteId === undefined || match.siteId === device.siteId) &&
    (match.tag === undefined || device.tags.includes(match.tag)) &&
    (match.kind === undefined || match.kind === device.kind)
  );
}
