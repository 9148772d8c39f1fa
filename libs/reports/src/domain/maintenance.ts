/**
 * Maintenance windows as ticketing defines them. The rule (`isInMaintenance`) and the conversion of a stored
 * window (`toMaintenanceWindow`) are ticketing's pure domain functions, reused so that reports and tickets
 * never disagree on what counts as maintenance.
 */
import {
  isInMaintenance,
  toMaintenanceWindow,
  type MaintenanceWindow,
  type MaintenanceWindowRecord,
} from '@netdesk/ticketing';

export type { MaintenanceWindow };

/** A stored window: one-off (`startsAt`/`endsAt`) or weekly, for a device or a site. */
export interface StoredMaintenanceWindow extends MaintenanceWindowRecord {
  deviceId: string | null;
  siteId: string | null;
}

/** The windows that apply to a device: its own and its site's. */
export function windowsFor(
  windows: readonly StoredMaintenanceWindow[],
  device: { id: string; siteId: string | null },
): MaintenanceWindow[] {
  return windows
    .filter((w) => w.deviceId === device.id || (device.siteId !== null && w.siteId === device.siteId))
    .map(toMaintenanceWindow);
}

export function inAnyWindow(windows: readonly MaintenanceWindow[], at: Date): boolean {
  return windows.some((w) => isInMaintenance(w, at));
}

/** The exact edges of one-off windows (weekly ones start and end on whole minutes). */
export function oneOffEdges(windows: readonly MaintenanceWindow[]): Date[] {
  return windows.flatMap((w) => ('startsAt' in w ? [w.startsAt, w.endsAt] : []));
}
