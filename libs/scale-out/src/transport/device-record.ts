import type { MonitoredDevice } from '@netdesk/monitoring';

/** What the core publishes for each device in the devices bucket (key: the device id). */
export interface DeviceRecord {
  device: MonitoredDevice;
  group: string;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

export const encodeRecord = (r: DeviceRecord): string => JSON.stringify(r);

export function decodeRecord(text: string): DeviceRecord {
  const r = JSON.parse(text, (_k, v: unknown) =>
    typeof v === 'string' && ISO.test(v) ? new Date(v) : v,
  ) as DeviceRecord;
  if (!r?.device?.id || typeof r.group !== 'string') throw new Error('not a device record');
  return r;
}
