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

export const NO_POLLER_VIEW: DevicePollerView = { pollerName: null, stale: false };
