import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, put, roleAtLeast, session } from '../api';
import { bps, ms } from '../format';
import { useAsync, useLive } from '../hooks';
import type { WanReadingEvent } from '../types';

/** One circuit as `GET /api/wan-links` gives it. */
export interface WanLinkLive {
  deviceId: string;
  deviceName: string;
  status: string;
  ifIndex: number;
  name: string;
  alias: string;
  operStatus: string;
  provider: string | null;
  circuitId: string | null;
  capacityBps: number | null;
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
  inUtilisationPct: number | null;
  outUtilisationPct: number | null;
  utilisationPct: number | null;
  rttMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
}

const worst = (l: WanLinkLive) => Math.max(l.inUtilisationPct ?? -1, l.outUtilisationPct ?? -1);
/** Worst first, as `GET /api/wan-links` orders them. */
const byWorst = (a: WanLinkLive, b: WanLinkLive) => worst(b) - worst(a) || (b.rttMs ?? 0) - (a.rttMs ?? 0);

/** A pushed reading applied to the row of its circuit (the RTT and jitter are the device's: every row of it). */
export function applyWanReading(links: WanLinkLive[], e: WanReadingEvent): WanLinkLive[] {
  if (!links.some((l) => l.deviceId === e.deviceId)) return links;
  return links
    .map((l) => {
      if (l.deviceId !== e.deviceId) return l;
      const device = { ...l, rttMs: e.rttMs, jitterMs: e.jitterMs };
      if (l.ifIndex !== e.ifIndex) return device;
      return {
        ...device,
        inBps: e.inBps,
        outBps: e.outBps,
        inUtilisationPct: e.inUtilisationPct,
        outUtilisationPct: e.outUtilisationPct,
      };
    })
    .sort(byWorst);
}

const pct = (v: number | null) => (v === null ? '—' : `${v} %`);

function Meter({ value, limit, label }: { value: number | null; limit: number; label: string }) {
  const over = value !== null && value > limit;
  return (
    <span class={`meter${over ? ' over' : ''}`} aria-label={`${label} ${pct(value)}`}>
      <span class="meter-bar" style={{ width: `${Math.min(100, value ?? 0)}%` }} />
      <span class="meter-text">{pct(value)}</span>
    </span>
  );
}

/**
 * Every circuit's in/out utilisation, RTT and jitter, worst first: the list from `GET /api/wan-links`,
 * then each pushed `wan.reading` applied to its row in place. The list is read again whenever the live
 * connection (re)starts (a new snapshot), since readings pushed while it was down are lost.
 */
export function WanView() {
  const [links, setLinks] = useState<WanLinkLive[] | null>(null);
  const [error, setError] = useState<string>();
  const thresholds = useAsync(() => get<Thresholds>('/api/thresholds'), []);
  const live = useLive();
  useEffect(() => live.onWanReading((e) => setLinks((l) => (l ? applyWanReading(l, e) : l))), [live]);
  useEffect(() => {
    let alive = true;
    get<WanLinkLive[]>('/api/wan-links').then(
      (l) => alive && (setLinks(l), setError(undefined)),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, [live.epoch]);
  const defaultLimit =
    thresholds.data?.byKind['wan-link']?.utilisationPct ?? thresholds.data?.defaults.utilisationPct ?? 90;
  return (
    <main class="wan">
      <h1>WAN links</h1>
      {roleAtLeast(session.user(), 'manager') && (
        <p>
          <a href="/reports/wan-links">Capacity report</a>
        </p>
      )}
      <p class="muted">
        Utilisation against each circuit's contracted capacity (else the port speed), worst first; live as each circuit
        is polled.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {links && links.length === 0 && (
        <p>No circuits yet: watch an interface of a wan-link device, or give an interface a capacity.</p>
      )}
      {links && links.length > 0 && (
        <table class="wan-links">
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">Circuit</th>
              <th scope="col">Capacity</th>
              <th scope="col">In</th>
              <th scope="col">Out</th>
              <th scope="col">RTT</th>
              <th scope="col">Jitter</th>
            </tr>
          </thead>
          <tbody>
            {links.map((l) => {
              const limit = l.utilisationPct ?? defaultLimit;
              return (
                <tr key={`${l.deviceId}:${l.ifIndex}`} data-link={`${l.deviceName} ${l.name}`}>
                  <th scope="row">
                    <a href={`/devices/${l.deviceId}`}>{l.deviceName}</a> {l.name}
                    {l.alias ? ` (${l.alias})` : ''}
                  </th>
                  <td>{[l.provider, l.circuitId].filter(Boolean).join(' ') || '—'}</td>
                  <td>{bps(l.capacityBps ?? l.speedBps)}</td>
                  <td>
                    <Meter value={l.inUtilisationPct} limit={limit} label="in" /> {bps(l.inBps)}
                  </td>
                  <td>
                    <Meter value={l.outUtilisationPct} limit={limit} label="out" /> {bps(l.outBps)}
                  </td>
                  <td>{ms(l.rttMs)}</td>
                  <td>{ms(l.jitterMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}

export const THRESHOLD_FIELDS = [
  ['utilisationPct', 'Link utilisation (%)'],
  ['errorsPerMin', 'Errors + discards per minute'],
  ['cpuPct', 'CPU (%)'],
  ['memPct', 'Memory (%)'],
  ['rttMs', 'RTT (ms)'],
  ['lossPct', 'Loss (%)'],
  ['jitterMs', 'Jitter (ms)'],
  ['forPolls', 'Consecutive polls'],
] as const;
type ThresholdKey = (typeof THRESHOLD_FIELDS)[number][0];
type Values = Partial<Record<ThresholdKey, number>>;
export interface Thresholds {
  defaults: Required<Values>;
  byKind: Record<string, Values>;
}
const KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'];

/** The threshold defaults (manager): global values, and values per device kind (blank: inherit). */
export function ThresholdSettings() {
  const loaded = useAsync(() => get<Thresholds>('/api/thresholds'), []);
  const [draft, setDraft] = useState<Record<string, Record<string, string>>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    if (!loaded.data) return;
    const rows: Record<string, Record<string, string>> = {
      defaults: Object.fromEntries(THRESHOLD_FIELDS.map(([k]) => [k, String(loaded.data!.defaults[k] ?? '')])),
    };
    for (const kind of KINDS)
      rows[kind] = Object.fromEntries(
        THRESHOLD_FIELDS.map(([k]) => [
          k,
          loaded.data!.byKind[kind]?.[k] !== undefined ? String(loaded.data!.byKind[kind][k]) : '',
        ]),
      );
    setDraft(rows);
  }, [loaded.data]);
  if (loaded.error) return <p class="error">{loaded.error}</p>;
  if (!loaded.data || !draft.defaults) return <p>Loading…</p>;
  const numbers = (row: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([, v]) => v.trim() !== '')
        .map(([k, v]) => [k, Number(v)]),
    );
  const save = async (e: Event) => {
    e.preventDefault();
    const body = {
      defaults: numbers(draft.defaults),
      byKind: Object.fromEntries(KINDS.map((k) => [k, numbers(draft[k])]).filter(([, v]) => Object.keys(v).length)),
    };
    try {
      await put('/api/thresholds', body);
      setMessage({ ok: true, text: 'Saved: the poller applies them from the next poll.' });
      loaded.reload();
    } catch (err) {
      const text =
        err instanceof ApiError ? err.message : err instanceof Error ? err.message : 'could not save the thresholds';
      setMessage({ ok: false, text });
    }
  };
  return (
    <form class="thresholds" onSubmit={save}>
      <h2>Thresholds</h2>
      <p class="muted">
        A fault opens after the value stays over its threshold for the consecutive polls; devices and interfaces can
        override these on their own pages. Blank: inherited from the defaults.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Threshold</th>
            <th scope="col">Defaults</th>
            {KINDS.map((k) => (
              <th scope="col" key={k}>
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {THRESHOLD_FIELDS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {['defaults', ...KINDS].map((row) => (
                <td key={row}>
                  <input
                    type="number"
                    step="any"
                    aria-label={`${label}, ${row}`}
                    value={draft[row]?.[key] ?? ''}
                    onInput={(e) =>
                      setDraft({ ...draft, [row]: { ...draft[row], [key]: (e.target as HTMLInputElement).value } })
                    }
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit">Save thresholds</button>
      {message && (
        <p class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
