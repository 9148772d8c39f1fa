import type { DevicePollReport, MonitoringChange } from '@netdesk/monitoring';

/** Streams: status changes and traps never wait behind a backlog of measurements. */
export const STREAMS = {
  events: { name: 'NETDESK_EVENTS', subjects: ['netdesk.events.>'] },
  observations: { name: 'NETDESK_OBS', subjects: ['netdesk.obs.>'] },
} as const;

/** Key-value buckets: devices the core hands to pollers, and the pollers' leases. */
export const BUCKETS = { devices: 'netdesk_devices', leases: 'netdesk_pollers' } as const;

/**
 * The core's durable consumers. Observations have two, so that a branch's backlog after a WAN cut (paced)
 * never delays the hub's own live results: `observations` takes `netdesk.obs.>`, `branchObservations` the
 * branch streams the hub sources (`netdesk.branch.>`). `legacyObservations` is the single consumer of
 * earlier versions, replaced at start-up where it left off.
 */
export const CORE_CONSUMERS = {
  events: 'netdesk-core-events',
  observations: 'netdesk-core-obs-local',
  branchObservations: 'netdesk-core-obs-branch',
  legacyObservations: 'netdesk-core-obs',
} as const;

/** The filter subject of each observations consumer on NETDESK_OBS. */
export const OBSERVATION_FILTERS = {
  [CORE_CONSUMERS.observations]: 'netdesk.obs.>',
  [CORE_CONSUMERS.branchObservations]: 'netdesk.branch.>',
} as const;

/** Who sent a result, under which lease epoch (the fencing token). */
export interface Origin {
  poller: string;
  group: string;
  epoch: number;
}

export type ResultMessage =
  | (Origin & { kind: 'changes'; deviceId: string; at: Date; changes: MonitoringChange[] })
  | (Origin & { kind: 'report'; deviceId: string; at: Date; report: DevicePollReport })
  | (Origin & { kind: 'trap'; deviceId: string; at: Date; trap: { kind: string; ifIndex: number | null } });

/**
 * Core NATS (not JetStream) subject on which the core asks a device's poller to poll it now: a trap from the
 * device reached another poller. Missing one only delays the device to its next slot.
 */
export const pollNowSubject = (group: string, poller: string): string => `netdesk.pollnow.${group}.${poller}`;

/** `prefix` is `netdesk.branch.<domain>.` for a branch poller publishing into its leaf node's own JetStream. */
export const subjectOf = (m: ResultMessage, prefix = 'netdesk.'): string =>
  `${prefix}${m.kind === 'report' ? 'obs' : 'events'}.${m.group}.${m.deviceId}`;

/** The branch's own streams in its leaf node's JetStream domain, which the hub's streams source from. */
export function branchStreams(domain: string) {
  const tag = domain.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
  return {
    prefix: `netdesk.branch.${domain}.`,
    events: { name: `NETDESK_EVENTS_${tag}`, subjects: [`netdesk.branch.${domain}.events.>`] },
    observations: { name: `NETDESK_OBS_${tag}`, subjects: [`netdesk.branch.${domain}.obs.>`] },
  };
}

/** The JetStream domain of the hub (config/nats/hub.conf). */
export const HUB_DOMAIN = 'hub';

/**
 * The idempotency key, by device, time and kind: JetStream drops a repeat publish inside its duplicate
 * window, and the core stores the key in the same transaction as the change, so a redelivery is a no-op.
 */
export function messageIdOf(m: ResultMessage): string {
  const at = m.at.toISOString();
  if (m.kind === 'changes') return `chg:${m.deviceId}:${at}:${m.changes.map((c) => c.kind).join(',')}`;
  if (m.kind === 'trap') return `trap:${m.deviceId}:${at}:${m.trap.kind}:${m.trap.ifIndex ?? ''}`;
  return `${m.kind}:${m.deviceId}:${at}`;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

export function encodeResult(m: ResultMessage): string {
  return JSON.stringify({ v: 1, ...m });
}

/** Parses a result; throws naming what is wrong so a malformed message is dropped, not retried forever. */
export function decodeResult(text: string): ResultMessage {
  const raw = JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && ISO.test(v) ? new Date(v) : v)) as
    (ResultMessage & { v?: number }) | null;
  if (!raw || raw.v !== 1) throw new Error('not a version 1 result');
  if (typeof raw.poller !== 'string' || typeof raw.group !== 'string') throw new Error('result without its poller');
  if (typeof raw.epoch !== 'number' || !Number.isSafeInteger(raw.epoch)) throw new Error('result without an epoch');
  if (typeof raw.deviceId !== 'string' || !(raw.at instanceof Date)) throw new Error('result without device or time');
  if (raw.kind === 'changes' && !Array.isArray(raw.changes)) throw new Error('changes missing');
  if (raw.kind === 'report' && (typeof raw.report !== 'object' || raw.report === null))
    throw new Error('report missing');
  if (raw.kind === 'trap' && (typeof raw.trap?.kind !== 'string' || String(raw.trap.kind).length > 32))
    throw new Error('trap missing');
  if (!['changes', 'report', 'trap'].includes(raw.kind)) throw new Error(`unknown kind ${String(raw.kind)}`);
  return raw;
}
