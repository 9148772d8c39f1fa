/** The shapes of the reports and problems API (README "Reports"), as the managers' pages read them. */

export interface Episode {
  id: string;
  deviceId: string;
  deviceName: string;
  faultType: string;
  ifIndex?: number;
  startedAt: string;
  endedAt: string | null;
  durationSec: number;
  ongoing: boolean;
  ticketId: string | null;
  inMaintenance: boolean;
  maintenanceSec: number;
}

export interface RecurringFault {
  deviceId: string;
  deviceName: string;
  faultType: string;
  ifIndex?: number;
  occurrences: number;
  firstAt: string;
  lastAt: string;
  downtimeSec: number;
  ticketIds: string[];
}

export interface Availability {
  deviceId: string;
  deviceName: string;
  availabilityPct: number;
  downtimeSec: number;
  outages: number;
}

export interface SiteAvailability {
  siteId: string | null;
  siteName: string | null;
  devices: number;
  availabilityPct: number;
  downtimeSec: number;
  outages: number;
}

export interface ReportRules {
  recurringMin: number;
  problemWindowDays: number;
}

export interface ActivityFigures {
  opened: number;
  resolved: number;
  escalated: number;
  meanTimeToAcknowledgeSec: number | null;
  meanTimeToResolveSec: number | null;
  slaBreaches: number;
}

/** One calendar day of `GET /api/reports/activity/series` (the first and last clipped to the window). */
export interface ActivityDay {
  date: string;
  from: string;
  to: string;
  opened: number;
  resolved: number;
  outagesStarted: number;
}

export interface ActivityReport {
  from: string;
  to: string;
  totals: ActivityFigures;
  byTeam: (ActivityFigures & { team: string | null })[];
  byPriority: (ActivityFigures & { priority: string })[];
  bySite: (ActivityFigures & { siteId: string | null; siteName: string | null })[];
  topOffenders: {
    deviceId: string;
    deviceName: string;
    /** As in availability: device_down episodes with down time outside maintenance. */
    outages: number;
    episodes: number;
    tickets: number;
    downtimeSec: number;
  }[];
}

export type ProblemStatus = 'open' | 'known_error' | 'resolved';
export const PROBLEM_STATUSES: ProblemStatus[] = ['open', 'known_error', 'resolved'];

export interface Problem {
  id: string;
  number: number;
  scope: 'device' | 'site' | 'kind';
  title: string;
  faultType: string;
  deviceId: string | null;
  ifIndex?: number;
  siteId: string | null;
  deviceKind: string | null;
  status: ProblemStatus;
  workaround: string | null;
  openedAt: string;
  resolvedAt: string | null;
  occurrences: number;
  devices: number;
  firstAt: string | null;
  lastAt: string | null;
  ticketIds: string[];
}

export interface ProblemWithEpisodes extends Problem {
  episodes: Episode[];
}
