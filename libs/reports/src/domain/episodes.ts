/**
 * Fault episodes: each occurrence of a fault, from the status change that started it to the one that
 * ended it. Pure: the recorder applies these effects to the `fault_episodes` table, the unit specs and
 * the benchmark seeder fold them over a list of history rows with `buildEpisodes`.
 */
import { MONITORED_FAULT_TYPES, type MonitoredFaultType } from '@netdesk/ticketing';

/** An episode is of a fault monitoring raises: ticketing's list, so the two never disagree. */
export const EPISODE_FAULT_TYPES = MONITORED_FAULT_TYPES;
export type EpisodeFaultType = MonitoredFaultType;

export interface EpisodeFault {
  faultType: EpisodeFaultType;
  /** Set for interface faults only. */
  ifIndex: number | null;
}

/** A status_history row as far as episodes care (the shape of `StatusHistoryEntity`). */
export interface HistoryChange {
  kind: 'device_status' | 'interface_status' | 'device_rebooted' | 'flapping' | 'threshold';
  toStatus: string | null;
  ifIndex: number | null;
  detail?: { causes?: string[]; monitored?: boolean; faultType?: string } | null;
}

/**
 * What one change does: `starts` are faults that are present from now on (a no-op when an episode of
 * that fault is already open), `ends` are faults that are gone (a no-op when none is open), `instants`
 * are zero-length episodes (a reboot is an event, not a state).
 */
export interface EpisodeEffects {
  starts: EpisodeFault[];
  ends: EpisodeFault[];
  instants: EpisodeFault[];
}

const DEVICE_LEVEL: readonly EpisodeFaultType[] = ['device_down', 'high_latency', 'packet_loss'];
const CAUSE_FAULTS: Readonly<Record<string, EpisodeFaultType>> = { latency: 'high_latency', loss: 'packet_loss' };
const INTERFACE_FAULT_STATUSES: ReadonlySet<string> = new Set(['down', 'lowerLayerDown', 'notPresent']);
const NONE: EpisodeEffects = { starts: [], ends: [], instants: [] };

/**
 * Decisions (documented in docs/decisions.md):
 * - A device status is the device's whole state: `down` is device_down only; `degraded` is one fault per
 *   latency/loss cause (snmp/interface causes are not device-level faults); `up` is none.
 * - `unreachable` ends every device-level episode: the device is cut off by an upstream failure, which
 *   is the upstream device's own outage, so time spent unreachable is not the device's down time.
 *   `unknown` (never polled) starts and ends nothing.
 * - An interface episode starts when a monitored interface goes down/lowerLayerDown/notPresent and ends
 *   when it is `up` again; other states (testing, dormant) change nothing. Same rule as the tickets.
 * - A reboot is a zero-length device_rebooted episode.
 */
export function episodeEffects(change: HistoryChange): EpisodeEffects {
  switch (change.kind) {
    case 'device_status': {
      const to = change.toStatus;
      if (to === 'unreachable') return { starts: [], ends: DEVICE_LEVEL.map(deviceFault), instants: [] };
      if (to !== 'up' && to !== 'down' && to !== 'degraded') return NONE;
      const active: EpisodeFaultType[] =
        to === 'down'
          ? ['device_down']
          : to === 'up'
            ? []
            : [...new Set((change.detail?.causes ?? []).flatMap((c) => CAUSE_FAULTS[c] ?? []))];
      return {
        starts: active.map(deviceFault),
        ends: DEVICE_LEVEL.filter((f) => !active.includes(f)).map(deviceFault),
        instants: [],
      };
    }
    case 'interface_status': {
      if (change.ifIndex == null) return NONE;
      const fault: EpisodeFault = { faultType: 'interface_down', ifIndex: change.ifIndex };
      if (INTERFACE_FAULT_STATUSES.has(change.toStatus ?? ''))
        return change.detail?.monitored === false ? NONE : { starts: [fault], ends: [], instants: [] };
      return change.toStatus === 'up' ? { starts: [], ends: [fault], instants: [] } : NONE;
    }
    case 'device_rebooted':
      return { starts: [], ends: [], instants: [deviceFault('device_rebooted')] };
    case 'flapping':
      return NONE;
    case 'threshold': {
      // A threshold breach is an episode of its fault, from the poll that breached to the one that cleared.
      const faultType = change.detail?.faultType as EpisodeFaultType | undefined;
      if (!faultType || !EPISODE_FAULT_TYPES.includes(faultType)) return NONE;
      const fault: EpisodeFault = { faultType, ifIndex: change.ifIndex ?? null };
      return change.toStatus === 'breached'
        ? { starts: [fault], ends: [], instants: [] }
        : { starts: [], ends: [fault], instants: [] };
    }
  }
}

/** The same key tickets use: `<device>:<fault>:<ifIndex or ->`. */
export function episodeKey(deviceId: string, fault: EpisodeFault): string {
  return `${deviceId}:${fault.faultType}:${fault.ifIndex ?? '-'}`;
}

export interface Episode extends EpisodeFault {
  deviceId: string;
  startedAt: Date;
  /** null while the fault lasts. */
  endedAt: Date | null;
}

/** Folds history rows (in id order) into episodes, the way the recorder does it row by row. */
export function buildEpisodes(rows: readonly (HistoryChange & { deviceId: string; at: Date })[]): Episode[] {
  const open = new Map<string, Episode>();
  const done: Episode[] = [];
  for (const row of rows) {
    const { starts, ends, instants } = episodeEffects(row);
    for (const fault of starts) {
      const key = episodeKey(row.deviceId, fault);
      if (!open.has(key)) open.set(key, { deviceId: row.deviceId, ...fault, startedAt: row.at, endedAt: null });
    }
    for (const fault of ends) {
      const key = episodeKey(row.deviceId, fault);
      const episode = open.get(key);
      if (!episode) continue;
      episode.endedAt = row.at;
      open.delete(key);
      done.push(episode);
    }
    for (const fault of instants) done.push({ deviceId: row.deviceId, ...fault, startedAt: row.at, endedAt: row.at });
  }
  return [...done, ...open.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

function deviceFault(faultType: EpisodeFaultType): EpisodeFault {
  return { faultType, ifIndex: null };
}
