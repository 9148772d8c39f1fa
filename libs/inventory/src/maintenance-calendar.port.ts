/** What a maintenance calendar needs to know of a device. */
export interface DeviceRef {
  id: string;
  siteId: string | null;
}

/** The maintenance windows in force, as a pure lookup (loaded once, asked for many devices). */
export interface MaintenanceCalendar {
  /** When maintenance covering `device` (directly or through its site) ends, or null when none covers it at `at`. */
  until(device: DeviceRef, at: Date): Date | null;
  /** Every device and site some window names: only these can ever be in maintenance. */
  readonly deviceIds: ReadonlySet<string>;
  readonly siteIds: ReadonlySet<string>;
}

export const NO_MAINTENANCE: MaintenanceCalendar = {
  until: () => null,
  deviceIds: new Set(),
  siteIds: new Set(),
};

/**
 * How the device representation learns whether a device is in maintenance without inventory knowing
 * ticketing (where the windows live): ticketing provides this (globally); without it, nothing is in
 * maintenance. Same pattern as `EscalationPolicyLookup`: the dependency stays ticketing → inventory.
 */
export abstract class MaintenanceCalendarSource {
  abstract calendar(): Promise<MaintenanceCalendar>;
}
