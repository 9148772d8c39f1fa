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

export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
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
