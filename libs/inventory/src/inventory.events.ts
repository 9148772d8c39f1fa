/** What inventory publishes on the EventBus after a change committed. */
export const INVENTORY_EVENTS = {
  deviceSaved: 'inventory.device.saved',
  deviceRemoved: 'inventory.device.removed',
} as const;

export interface DeviceChangedEvent {
  deviceIds: string[];
}
