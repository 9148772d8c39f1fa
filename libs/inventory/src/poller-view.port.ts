/** Which poller polls a device and whether its status is stale (no live poller in its group). */
export interface DevicePollerView {
  pollerName: string | null;
  stale: boolean;
}

/**
 * How the device representation learns its poller without inventory knowing scale-out: scale-out provides
 * this (globally) when NATS_URL is set; without it, no device has a poller name and none is stale.
 */
export abstract class DevicePollerViewSource {
  abstract viewOf(deviceId: string): DevicePollerView;
}

/**
 * Published (with `DeviceChangedEvent`'s `{deviceIds}`) when the poller or the staleness of devices changed,
 * so the live feed can push their new view.
 */
export const POLLER_VIEW_CHANGED = 'inventory.device.poller-view.changed';

export const NO_POLLER_VIEW: DevicePollerView = { pollerName: null, stale: false };
