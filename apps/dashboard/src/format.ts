import type { DeviceStatus } from './types';

export const STATUS_ICON: Record<DeviceStatus, string> = {
  up: '▲',
  degraded: '◆',
  down: '▼',
  unreachable: '⊘',
  unknown: '?',
};

export const STATUS_LABEL: Record<DeviceStatus, string> = {
  up: 'up',
  degraded: 'degraded',
  down: 'down',
  unreachable: 'unreachable',
  unknown: 'unknown',
};

/** "3m 12s", "2h 5m", "4d 1h". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function ago(iso: string | undefined, now: number): string {
  if (!iso) return '—';
  return `${duration(now - new Date(iso).getTime())} ago`;
}

/** A seconds count as a duration ("4d 1h"); null as a dash. */
export function seconds(s: number | null): string {
  return s == null ? '—' : duration(s * 1000);
}

/** Local date and time to the second ("02 Dec 2026, 14:05:09"); `{ seconds: false }` stops at the minute. */
export function dateTime(iso: string | undefined, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(opts.seconds !== false && { second: '2-digit' }),
  });
}

/** A local date ("02 Dec 2026"). */
export function date(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: '2-digit' });
}

export function bps(v: number | null | undefined): string {
  if (v == null) return '—';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let i = 0;
  let x = v;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x < 10 && i > 0 ? x.toFixed(1) : Math.round(x)} ${units[i]}`;
}

export function ms(v: number | null | undefined): string {
  return v == null ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
}

/** A moment as local clock time ("14:05"), with the date when it is not today ("2 Dec 14:05"). */
export function clock(iso: string | number | undefined | null, now = Date.now()): string {
  if (iso == null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const hm = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (new Date(now).toDateString() === d.toDateString()) return hm;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${hm}`;
}

const ISO_IN_TEXT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)\b/g;

/** Replaces ISO-8601 timestamps inside a message with local time (the server writes UTC). */
export function localizeTimes(text: string): string {
  return text.replace(ISO_IN_TEXT, (iso) => dateTime(iso));
}

/** How a person is named on screen: their name, else the part of the email before the @. */
export function personName(p: { name?: string | null; email?: string | null } | null | undefined): string {
  if (!p) return 'nobody';
  return p.name || p.email?.split('@')[0] || 'someone';
}

/**
 * The state a screen shows for a device: maintenance first (planned, whatever was measured), then
 * flapping, then the measured status. See "States shown everywhere" in docs/decisions.md.
 */
export type ShownState = DeviceStatus | 'maintenance' | 'flapping';

export function shownState(d: { status: DeviceStatus; inMaintenance?: boolean; flapping?: boolean }): ShownState {
  if (d.inMaintenance) return 'maintenance';
  if (d.flapping) return 'flapping';
  return d.status;
}

export const STATE_LABEL: Record<ShownState, string> = {
  ...STATUS_LABEL,
  maintenance: 'maintenance',
  flapping: 'flapping',
};

/** A device needs a look: not up, or flapping, or in maintenance. */
export function isProblem(d: { status: DeviceStatus; inMaintenance?: boolean; flapping?: boolean }): boolean {
  return d.status !== 'up' || !!d.flapping || !!d.inMaintenance;
}
