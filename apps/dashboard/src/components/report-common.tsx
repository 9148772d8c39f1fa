/** What the report pages share: the window in the URL, the header, sections, tickets and episodes. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { get } from '../api';
import { downloadWithToken } from '../download';
import { date, dateTime, seconds } from '../format';
import { useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import type { Interface, Ticket } from '../types';
import type { Episode, ProblemStatus, RecurringFault, ReportRules } from '../report-types';
import { TicketStatusBadge } from './status';

export const DAY = 86_400_000;
const PRESETS = [7, 30, 90];

/** The report window, kept in the URL: `?days=30`, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (local days, both inclusive). */
export interface ReportWindow {
  from: string;
  to: string;
  days?: number;
  fromDate: string;
  toDate: string;
  search: string;
}

const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** A `YYYY-MM-DD` day's local midnight. */
export const localMidnight = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
};

function windowOf(query: URLSearchParams): ReportWindow {
  const f = query.get('from');
  const t = query.get('to');
  if (isDate(f) && isDate(t) && f <= t) {
    const to = localMidnight(t);
    to.setDate(to.getDate() + 1);
    return {
      from: localMidnight(f).toISOString(),
      to: to.toISOString(),
      fromDate: f,
      toDate: t,
      search: `?from=${f}&to=${t}`,
    };
  }
  const days = PRESETS.includes(Number(query.get('days'))) ? Number(query.get('days')) : 7;
  // up to the next whole minute, so what happened in the last seconds is inside the window
  const to = new Date(Math.ceil((Date.now() + 1) / 60_000) * 60_000);
  const from = new Date(to.getTime() - days * DAY);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    days,
    fromDate: localDate(from),
    toDate: localDate(to),
    search: `?days=${days}`,
  };
}

export function useReportWindow(): ReportWindow {
  const { query } = useLocation();
  const key = query.toString();
  return useMemo(() => windowOf(query), [key]);
}

export const range = (w: ReportWindow) => `from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}`;
export const windowLabel = (w: ReportWindow) =>
  w.days
    ? `Last ${w.days} days: ${dateTime(w.from, { seconds: false })} – ${dateTime(w.to, { seconds: false })}`
    : `${date(w.from)} – ${date(new Date(new Date(w.to).getTime() - 1).toISOString())}`;
/** "interface down (ge-0/0/1 — uplink)": interfaces by name and alias, never by index when the name is known. */
export const faultLabel = (faultType: string, ifIndex?: number, ifName?: string) =>
  `${faultType.replace(/_/g, ' ')}${ifIndex != null ? ` (${ifName ?? `interface ${ifIndex}`})` : ''}`;

const interfaceLists = new Map<string, Promise<Interface[]>>();

/** Interface names of some devices, read once per page load: `deviceId:ifIndex` → "ge-0/0/1 — uplink". */
export function useInterfaceNames(deviceIds: string[]): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  const key = [...new Set(deviceIds)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    const ids = key.split(',');
    Promise.all(
      ids.map((id) => {
        let p = interfaceLists.get(id);
        if (!p) {
          p = get<Interface[]>(`/api/devices/${id}/interfaces`).catch(() => []);
          interfaceLists.set(id, p);
        }
        return p.then((list) => list.map((i) => [`${id}:${i.ifIndex}`, i.alias ? `${i.name} — ${i.alias}` : i.name]));
      }),
    ).then((pairs) => !cancelled && setNames(new Map(pairs.flat() as [string, string][])));
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}

/** Server titles say `interface_down (ifIndex 62)`; people read "interface down (ge-0/0/1 — uplink)". */
export const humanTitle = (
  p: { title: string; deviceId: string | null; ifIndex?: number },
  names: Map<string, string>,
) =>
  p.title
    .replace(/\b([a-z]+(?:_[a-z]+)+)\b/g, (m) => m.replace(/_/g, ' '))
    .replace(/\(ifIndex (\d+)\)/, (_m, n: string) => `(${names.get(`${p.deviceId}:${n}`) ?? `interface ${n}`})`);

/** The recurrence rules, stated on the page (from the server's configuration). */
export function RulesNote() {
  const { data } = useAsync(() => get<ReportRules>('/api/reports/rules'), []);
  if (!data) return null;
  return (
    <p class="rules" data-testid="rules">
      <strong>Rules:</strong> a fault is listed here when it happened at least {data.recurringMin} times in the chosen
      window; a problem opens when a fault happens {data.recurringMin} times within {data.problemWindowDays} days. Time
      in maintenance windows is left out.
    </p>
  );
}

/** Title, window picker, tabs and the Print button shared by the report pages. */
export function ReportHeader({ title, w, path }: { title: string; w: ReportWindow; path: string }) {
  const [from, setFrom] = useState(w.fromDate);
  const [to, setTo] = useState(w.toDate);
  const apply = (e: Event) => {
    e.preventDefault();
    if (isDate(from) && isDate(to) && from <= to) navigate(`${path}?from=${from}&to=${to}`);
  };
  return (
    <>
      <div class="toolbar report-head">
        <h1 id="report-title">{title}</h1>
        <p class="muted report-window" data-testid="report-window">
          {windowLabel(w)}
        </p>
        <button type="button" class="no-print print-btn" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <nav class="report-tabs no-print" aria-label="Reports">
        <a href={`/reports${w.search}`} aria-current={path === '/reports' ? 'page' : undefined}>
          Recurring faults &amp; problems
        </a>
        <a href={`/reports/activity${w.search}`} aria-current={path === '/reports/activity' ? 'page' : undefined}>
          Availability &amp; activity
        </a>
      </nav>
      <div class="window-picker no-print" role="group" aria-label="Report window">
        <span class="seg">
          {PRESETS.map((d) => (
            <button
              type="button"
              key={d}
              class={w.days === d ? 'active' : ''}
              aria-pressed={w.days === d}
              onClick={() => navigate(`${path}?days=${d}`)}
            >
              {d} days
            </button>
          ))}
        </span>
        <form class="action-form" onSubmit={apply}>
          <label>
            From
            <input type="date" value={from} max={to} onInput={(e) => setFrom(e.currentTarget.value)} required />
          </label>
          <label>
            To
            <input type="date" value={to} min={from} onInput={(e) => setTo(e.currentTarget.value)} required />
          </label>
          <button type="submit">Apply</button>
        </form>
      </div>
    </>
  );
}

export function CsvButton({ path, name, label }: { path: string; name: string; label: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const click = () => {
    setState('busy');
    downloadWithToken(path, `${name}.csv`).then(
      () => setState('idle'),
      () => setState('error'),
    );
  };
  return (
    <span class="no-print csv">
      <button type="button" onClick={click} disabled={state === 'busy'} aria-label={`Download ${label} as CSV`}>
        <span aria-hidden="true">⤓</span> CSV
      </button>
      {state === 'error' && (
        <span class="error small" role="alert">
          Download failed
        </span>
      )}
    </span>
  );
}

export function Section(props: {
  id: string;
  title: string;
  csv?: { path: string; name: string };
  children: ComponentChildren;
}) {
  return (
    <section class="report-section" aria-labelledby={props.id}>
      <div class="section-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.csv && <CsvButton path={props.csv.path} name={props.csv.name} label={props.title} />}
      </div>
      {props.children}
    </section>
  );
}

export function Loading({ what, error }: { what: string; error?: string }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

const ticketCache = new Map<string, Promise<Ticket>>();
/** A ticket by number and status, linking to its view. */
export function TicketLink({ id }: { id: string }) {
  const { data } = useAsync(() => {
    let p = ticketCache.get(id);
    if (!p) {
      p = get<Ticket>(`/api/tickets/${id}`);
      p.catch(() => ticketCache.delete(id));
      ticketCache.set(id, p);
    }
    return p;
  }, [id]);
  return (
    <span class="ticket-link">
      <a href={`/tickets/${id}`} data-ticket-link={id}>
        {data ? `#${data.number}` : `ticket ${id.slice(0, 8)}`}
      </a>
      {data && (
        <>
          {' '}
          <TicketStatusBadge status={data.status} />
        </>
      )}
    </span>
  );
}

/** A report table's column; `{ num }` is a right-aligned number column; `false` leaves the column out. */
export type ReportColumn = string | { num: string } | false | undefined;

/** A report table's header row. */
export function ReportHead({ cols }: { cols: ReportColumn[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) =>
          !c ? null : typeof c === 'string' ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" class="num">
              {c.num}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

export function EpisodesTable({ episodes, showDevice }: { episodes: Episode[]; showDevice?: boolean }) {
  const names = useInterfaceNames(episodes.filter((e) => e.ifIndex != null).map((e) => e.deviceId));
  if (episodes.length === 0) return <p class="muted">No episodes.</p>;
  return (
    <table class="report-table episodes">
      <ReportHead
        cols={[
          showDevice && 'Device',
          showDevice && 'Fault',
          'Started',
          'Ended',
          { num: 'Duration' },
          'Maintenance',
          'Ticket',
        ]}
      />
      <tbody>
        {episodes.map((e) => (
          <tr key={e.id} data-episode={e.id}>
            {showDevice && (
              <td>
                <a href={`/devices/${e.deviceId}`}>{e.deviceName}</a>
              </td>
            )}
            {showDevice && <td>{faultLabel(e.faultType, e.ifIndex, names.get(`${e.deviceId}:${e.ifIndex}`))}</td>}
            <td>{dateTime(e.startedAt)}</td>
            <td>{e.ongoing ? <strong>ongoing</strong> : dateTime(e.endedAt ?? undefined)}</td>
            <td class="num">{seconds(e.durationSec)}</td>
            <td>{e.inMaintenance ? 'planned' : e.maintenanceSec > 0 ? seconds(e.maintenanceSec) : '—'}</td>
            <td>{e.ticketId ? <TicketLink id={e.ticketId} /> : <span class="muted">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FaultEpisodes({ fault, w, ifName }: { fault: RecurringFault; w: ReportWindow; ifName?: string }) {
  const path = `/api/reports/episodes?deviceId=${fault.deviceId}&faultType=${fault.faultType}&${range(w)}`;
  const { data, error } = useAsync(() => get<Episode[]>(path), [path]);
  const episodes = (data ?? []).filter((e) => fault.ifIndex == null || e.ifIndex === fault.ifIndex);
  return (
    <div class="drill" data-testid="episodes">
      <div class="section-head">
        <h3>
          Episodes of {faultLabel(fault.faultType, fault.ifIndex, ifName)} on {fault.deviceName}
        </h3>
        <CsvButton path={`${path}&format=csv`} name="episodes" label={`episodes of ${fault.deviceName}`} />
      </div>
      {data ? <EpisodesTable episodes={episodes} /> : <Loading what="episodes" error={error} />}
    </div>
  );
}

const PROBLEM_STATUS_ICON: Record<ProblemStatus, string> = { open: '●', known_error: '◆', resolved: '✔' };
export function ProblemStatusBadge({ status }: { status: ProblemStatus }) {
  return (
    <span class={`badge pst-${status}`}>
      <span aria-hidden="true">{PROBLEM_STATUS_ICON[status]}</span> {status.replace('_', ' ')}
    </span>
  );
}
