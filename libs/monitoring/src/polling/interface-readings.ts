import {
  ADMIN_STATUSES,
  OPER_STATUSES,
  type AdminStatus,
  type OperStatus,
  adminStatusFromSnmp,
  EMPTY_FLAP_HISTORY,
  errorsPerMinute,
  FlapHistory,
  FlapThresholds,
  InterfaceSelection,
  InterfaceSnapshot,
  interfaceTransitions,
  monitoredInterfaces,
  octetRate,
  OctetSample,
  operStatusFromSnmp,
  recordFlapState,
} from '../domain';
import type { SnmpInterface } from '../probes';
import type { InterfaceReading, MonitoredDevice, MonitoringChange } from './poll-engine.types';

/** What the engine keeps of one interface between polls: the last reading and the counters behind it. */
export interface InterfaceTrack {
  reading: InterfaceReading;
  snapshot: InterfaceSnapshot;
  flap: FlapHistory;
  in?: OctetSample;
  out?: OctetSample;
  errors?: { inErrors: number | null; outErrors: number | null; inDiscards: number | null; outDiscards: number | null };
}

export type InterfaceTracks = ReadonlyMap<number, InterfaceTrack>;

export interface InterfaceWalk {
  tracks: Map<number, InterfaceTrack>;
  readings: InterfaceReading[];
  /** Interface status changes and interface flapping starts and stops, in table order. */
  changes: MonitoringChange[];
  /** Rows left out because an SNMP status was out of range. */
  skipped: number[];
}

/**
 * One interface table walk read against the previous one: statuses and their changes, which interfaces
 * are watched, traffic rates from the octet counters (wraps handled, resets yield no rate), errors and
 * discards per second, and interface flapping. `uptimeTicks` and `at` date the counters.
 */
export function readInterfaces(
  previous: InterfaceTracks,
  raw: readonly SnmpInterface[],
  sample: { uptimeTicks: number | null; at: Date },
  device: { id: string; interfaceSelection: InterfaceSelection },
  flapThresholds: FlapThresholds,
): InterfaceWalk {
  const { at: now, uptimeTicks } = sample;
  const changes: MonitoringChange[] = [];
  const skipped: number[] = [];
  const snapshots: InterfaceSnapshot[] = [];
  for (const r of raw) {
    try {
      snapshots.push({
        ifIndex: r.ifIndex,
        name: r.ifName || r.ifDescr || `if${r.ifIndex}`,
        alias: r.ifAlias ?? '',
        adminStatus: adminStatusFromSnmp(r.adminStatus ?? 0),
        operStatus: operStatusFromSnmp(r.operStatus ?? 0),
      });
    } catch {
      skipped.push(r.ifIndex);
    }
  }
  const monitored = new Set(monitoredInterfaces(snapshots, device.interfaceSelection).map((s) => s.ifIndex));
  if (previous.size) {
    const before = [...previous.values()].map((i) => i.snapshot);
    for (const t of interfaceTransitions(before, snapshots, now)) {
      const s = snapshots.find((x) => x.ifIndex === t.ifIndex)!;
      changes.push({
        kind: 'interface_status',
        deviceId: device.id,
        ifIndex: t.ifIndex,
        name: s.name,
        alias: s.alias,
        monitored: monitored.has(t.ifIndex),
        from: t.from,
        to: t.to,
        at: now,
      });
    }
  }
  const byIndex = new Map(raw.map((r) => [r.ifIndex, r]));
  const tracks = new Map<number, InterfaceTrack>();
  for (const snapshot of snapshots) {
    const r = byIndex.get(snapshot.ifIndex)!;
    const prev = previous.get(snapshot.ifIndex);
    const inSample =
      r.inOctets !== null && uptimeTicks !== null
        ? { octets: r.inOctets, sysUpTimeTicks: uptimeTicks, at: now }
        : undefined;
    const outSample =
      r.outOctets !== null && uptimeTicks !== null
        ? { octets: r.outOctets, sysUpTimeTicks: uptimeTicks, at: now }
        : undefined;
    const bps = (p: OctetSample | undefined, c: OctetSample | undefined, bits: 64 | 32 | null) =>
      octetBps(p, c, bits, prev?.reading.counterBits, r.speedBps);
    const elapsedSec = prev?.in ? (now.getTime() - prev.in.at.getTime()) / 1000 : 0;
    const isMonitored = monitored.has(snapshot.ifIndex);
    const flap =
      isMonitored && snapshot.adminStatus === 'up'
        ? recordFlapState(prev?.flap ?? EMPTY_FLAP_HISTORY, snapshot.operStatus, flapThresholds)
        : null;
    if (flap && (flap.started || flap.stopped)) {
      changes.push({
        kind: 'flapping',
        deviceId: device.id,
        ifIndex: snapshot.ifIndex,
        flapping: flap.history.isFlapping,
        percentStateChange: flap.percentStateChange,
        at: now,
      });
    }
    tracks.set(snapshot.ifIndex, {
      snapshot,
      flap: flap?.history ?? prev?.flap ?? EMPTY_FLAP_HISTORY,
      in: inSample,
      out: outSample,
      errors: { inErrors: r.inErrors, outErrors: r.outErrors, inDiscards: r.inDiscards, outDiscards: r.outDiscards },
      reading: {
        ifIndex: snapshot.ifIndex,
        name: snapshot.name,
        alias: snapshot.alias,
        ifType: r.ifType,
        adminStatus: snapshot.adminStatus,
        operStatus: snapshot.operStatus,
        speedBps: r.speedBps,
        inBps: bps(prev?.in, inSample, r.inOctetsBits),
        outBps: bps(prev?.out, outSample, r.outOctetsBits),
        inErrors: eventsPerSecond(r.inErrors, prev?.errors?.inErrors, elapsedSec),
        outErrors: eventsPerSecond(r.outErrors, prev?.errors?.outErrors, elapsedSec),
        inDiscards: eventsPerSecond(r.inDiscards, prev?.errors?.inDiscards, elapsedSec),
        outDiscards: eventsPerSecond(r.outDiscards, prev?.errors?.outDiscards, elapsedSec),
        counterBits: r.inOctetsBits,
        monitored: isMonitored,
        flapping: flap?.history.isFlapping ?? prev?.flap.isFlapping ?? false,
      },
    });
  }
  return { tracks, readings: [...tracks.values()].map((i) => i.reading), changes, skipped };
}

/**
 * Traffic in bit/s between two counter readings, rounded; null on the first reading, when the counter
 * width changed (a 64-bit table replaced by a 32-bit one), or when the counter was reset.
 */
export function octetBps(
  previous: OctetSample | undefined,
  current: OctetSample | undefined,
  bits: 64 | 32 | null,
  previousBits: 64 | 32 | null | undefined,
  speedBps: number | null,
): number | null {
  if (!previous || !current || !bits || bits !== previousBits) return null;
  const result = octetRate(previous, current, { width: bits, ifSpeedBps: speedBps ?? undefined });
  return result.kind === 'rate' ? Math.round(result.bitsPerSecond) : null;
}

/** Errors or discards per second since the previous reading; null on the first one, or after a counter reset. */
export function eventsPerSecond(current: number | null, before: number | null | undefined, elapsedSec: number) {
  if (current === null || before === null || before === undefined) return null;
  const perMin = errorsPerMinute(BigInt(Math.trunc(before)), BigInt(Math.trunc(current)), elapsedSec);
  return perMin === null ? null : perMin / 60;
}

/** Errors and discards of one reading together, per minute (null when none of them was measured). */
export function errorsPerMinuteOf(
  r: Pick<InterfaceReading, 'inErrors' | 'outErrors' | 'inDiscards' | 'outDiscards'>,
): number | null {
  const perSec = [r.inErrors, r.outErrors, r.inDiscards, r.outDiscards];
  return perSec.some((v) => v !== null) ? perSec.reduce<number>((sum, v) => sum + (v ?? 0), 0) * 60 : null;
}

/** Interface tracks from the last stored readings (no counters: rates start at the first poll). */
export function seedInterfaces(device: MonitoredDevice): Map<number, InterfaceTrack> {
  const seeded = new Map<number, InterfaceTrack>();
  for (const k of device.knownInterfaces ?? []) {
    if (
      !(ADMIN_STATUSES as readonly string[]).includes(k.adminStatus) ||
      !(OPER_STATUSES as readonly string[]).includes(k.operStatus)
    )
      continue;
    const snapshot = {
      ifIndex: k.ifIndex,
      name: k.name,
      alias: k.alias,
      adminStatus: k.adminStatus as AdminStatus,
      operStatus: k.operStatus as OperStatus,
    };
    seeded.set(k.ifIndex, {
      snapshot,
      flap: EMPTY_FLAP_HISTORY,
      reading: {
        ...snapshot,
        ifType: null,
        speedBps: null,
        inBps: null,
        outBps: null,
        inErrors: null,
        outErrors: null,
        inDiscards: null,
        outDiscards: null,
        counterBits: null,
        monitored: false,
        flapping: false,
      },
    });
  }
  return seeded;
}

/** The readings the WAN view lists: watched interfaces of a `wan-link` device, and circuits with a capacity. */
export function wanLinksOf(
  device: MonitoredDevice,
  readings: InterfaceReading[] | null,
): { ifIndex: number; capacityBps: number | null }[] | undefined {
  if (!readings?.length) return undefined;
  const circuits = device.circuits ?? {};
  const links = readings
    .filter((r) => (device.judgeAllInterfaces && r.monitored) || circuits[r.ifIndex]?.capacityBps != null)
    .map((r) => ({ ifIndex: r.ifIndex, capacityBps: circuits[r.ifIndex]?.capacityBps ?? null }));
  return links.length ? links : undefined;
}
