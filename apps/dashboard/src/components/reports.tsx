import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api, get } from '../api';
import { downloadWithToken } from '../download';
import { dateTime, duration } from '../format';
import { useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import type { Interface, Ticket } from '../types';
import type {
  ActivityFigures,
  ActivityReport,
  Availability,
  Episode,
  Problem,
  ProblemStatus,
  ProblemWithEpisodes,
  RecurringFault,
  ReportRules,
  SiteAvailability,
} from '../report-types';
import { PROBLEM_STATUSES } from '../report-types';
import { Chart } from './chart';
import { TicketStatusBadge } from './status';

const DAY = 86_400_000;
const PRESETS = [7, 30, 90];

/** The report window, kept in the URL: `?days=30`, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (local days, both inclusive). */
interface ReportWindow {
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
const localMidnight = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
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

function useReportWindow(): ReportWindow {
  const { query } = useLocation();
  const key = query.toString();
  return useMemo(() => windowOf(query), [key]);
}

const range = (w: ReportWindow) => `from=${encodeURIComponent(w.from)}&to=${encodeURIComponent(w.to)}`;
const day = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: '2-digit' });
const minute = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
const windowLabel = (w: ReportWindow) =>
  w.days
    ? `Last ${w.days} days: ${minute(w.from)} – ${minute(w.to)}`
    : `${day(w.from)} – ${day(new Date(new Date(w.to).getTime() - 1).toISOString())}`;
const secs = (s: number | null) => (s == null ? '—' : duration(s * 1000));
/** "interface down (ge-0/0/1 — uplink)": interfaces by name and alias, never by index when the name is known. */
const faultLabel = (faultType: string, ifIndex?: number, ifName?: string) =>
  `${faultType.replace(/_/g, ' ')}${ifIndex != null ? ` (${ifName ?? `interface ${ifIndex}`})` : ''}`;

const interfaceLists = new Map<string, Promise<Interface[]>>();

/** Interface names of some devices, read once per page load: `deviceId:ifIndex` → "ge-0/0/1 — uplink". */
function useInterfaceNames(deviceIds: string[]): Map<string, string> {
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
const humanTitle = (p: { title: string; deviceId: string | null; ifIndex?: number }, names: Map<string, string>) =>
  p.title
    .replace(/\b([a-z]+(?:_[a-z]+)+)\b/g, (m) => m.replace(/_/g, ' '))
    .replace(/\(ifIndex (\d+)\)/, (_m, n: string) => `(${names.get(`${p.deviceId}:${n}`) ?? `interface ${n}`})`);

/** The recurrence rules, stated on the page (from the server's configuration). */
function RulesNote() {
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
function ReportHeader({ title, w, path }: { title: string; w: ReportWindow; path: string }) {
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

function CsvButton({ path, name, label }: { path: string; name: string; label: string }) {
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

function Section(props: {
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

function Loading({ what, error }: { what: string; error?: string }) {
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

function EpisodesTable({ episodes, showDevice }: { episodes: Episode[]; showDevice?: boolean }) {
  const names = useInterfaceNames(episodes.filter((e) => e.ifIndex != null).map((e) => e.deviceId));
  if (episodes.length === 0) return <p class="muted">No episodes.</p>;
  return (
    <table class="report-table episodes">
      <thead>
        <tr>
          {showDevice && <th scope="col">Device</th>}
          {showDevice && <th scope="col">Fault</th>}
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
          <th scope="col" class="num">
            Duration
          </th>
          <th scope="col">Maintenance</th>
          <th scope="col">Ticket</th>
        </tr>
      </thead>
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
            <td class="num">{secs(e.durationSec)}</td>
            <td>{e.inMaintenance ? 'planned' : e.maintenanceSec > 0 ? secs(e.maintenanceSec) : '—'}</td>
            <td>{e.ticketId ? <TicketLink id={e.ticketId} /> : <span class="muted">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FaultEpisodes({ fault, w, ifName }: { fault: RecurringFault; w: ReportWindow; ifName?: string }) {
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

/** `/reports`: recurring faults in the window with their episodes and tickets, and the problems. */
export function RecurringReport() {
  const w = useReportWindow();
  const faults = useAsync(() => get<RecurringFault[]>(`/api/reports/recurring-faults?${range(w)}`), [w]);
  // only the problems with a fault in the chosen window
  const problems = useAsync(() => get<Problem[]>(`/api/problems?${range(w)}`), [w]);
  const [open, setOpen] = useState<string | null>(null);
  const keyOf = (f: RecurringFault) => `${f.deviceId}:${f.faultType}:${f.ifIndex ?? ''}`;
  const names = useInterfaceNames([
    ...(faults.data ?? []).filter((f) => f.ifIndex != null).map((f) => f.deviceId),
    ...(problems.data ?? []).filter((p) => p.ifIndex != null && p.deviceId).map((p) => p.deviceId!),
  ]);
  const ifName = (deviceId: string | null, ifIndex?: number) =>
    ifIndex == null ? undefined : names.get(`${deviceId}:${ifIndex}`);

  return (
    <main class="report" aria-labelledby="report-title">
      <ReportHeader key={w.search} title="Recurring faults and problems" w={w} path="/reports" />
      <RulesNote />
      <Section
        id="recurring-title"
        title="Recurring faults"
        csv={{ path: `/api/reports/recurring-faults?${range(w)}&format=csv`, name: 'recurring-faults' }}
      >
        {!faults.data ? (
          <Loading what="recurring faults" error={faults.error} />
        ) : faults.data.length === 0 ? (
          <p class="muted">No fault recurred in this window.</p>
        ) : (
          <table class="report-table recurring">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Fault</th>
                <th scope="col" class="num">
                  Occurrences
                </th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
                <th scope="col" class="num">
                  Down time
                </th>
                <th scope="col">Tickets</th>
                <th scope="col" class="no-print">
                  <span class="sr-only">Episodes</span>
                </th>
              </tr>
            </thead>
            {faults.data.map((f) => {
              const k = keyOf(f);
              const expanded = open === k;
              const panel = `ep-${k.replace(/[^a-z0-9]/gi, '')}`;
              return (
                <tbody key={k} class={expanded ? 'expanded' : ''}>
                  <tr data-fault={`${f.deviceId}:${f.faultType}`}>
                    <td>
                      <a href={`/devices/${f.deviceId}`}>{f.deviceName}</a>
                    </td>
                    <td>{faultLabel(f.faultType, f.ifIndex, ifName(f.deviceId, f.ifIndex))}</td>
                    <td class="num">{f.occurrences}</td>
                    <td>{dateTime(f.firstAt)}</td>
                    <td>{dateTime(f.lastAt)}</td>
                    <td class="num">{secs(f.downtimeSec)}</td>
                    <td>
                      <span class="inline-list">
                        {f.ticketIds.map((id) => (
                          <TicketLink key={id} id={id} />
                        ))}
                      </span>
                    </td>
                    <td class="no-print">
                      <button
                        type="button"
                        aria-expanded={expanded}
                        aria-controls={panel}
                        onClick={() => setOpen(expanded ? null : k)}
                      >
                        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> Episodes
                        <span class="sr-only">
                          {' '}
                          of {f.faultType} on {f.deviceName}
                        </span>
                      </button>
                    </td>
                  </tr>
                  {expanded && (
                    <tr class="drill-row">
                      <td colSpan={8} id={panel}>
                        <FaultEpisodes fault={f} w={w} ifName={ifName(f.deviceId, f.ifIndex)} />
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        )}
      </Section>
      <Section id="problems-title" title="Problems with a fault in this window">
        {!problems.data ? (
          <Loading what="problems" error={problems.error} />
        ) : problems.data.length === 0 ? (
          <p class="muted">No problem had a fault in this window.</p>
        ) : (
          <table class="report-table problems">
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Status</th>
                <th scope="col">Scope</th>
                <th scope="col" class="num">
                  Occurrences
                </th>
                <th scope="col" class="num">
                  Devices
                </th>
                <th scope="col">Last</th>
                <th scope="col" class="num">
                  Tickets
                </th>
              </tr>
            </thead>
            <tbody>
              {problems.data.map((p) => (
                <tr key={p.id} data-problem={p.id}>
                  <td>
                    <a href={`/problems/${p.id}`}>
                      PRB-{p.number} {humanTitle(p, names)}
                    </a>
                  </td>
                  <td>
                    <ProblemStatusBadge status={p.status} />
                  </td>
                  <td>{p.scope}</td>
                  <td class="num">{p.occurrences}</td>
                  <td class="num">{p.devices}</td>
                  <td>{dateTime(p.lastAt ?? undefined)}</td>
                  <td class="num">{p.ticketIds.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </main>
  );
}

/** Buckets of at most 31 points over the window (a day each up to a month, then several days). */
function bucketsOf(w: ReportWindow): { at: number; from: number; to: number; days: number }[] {
  const from = new Date(w.from).getTime();
  const to = new Date(w.to).getTime();
  const days = Math.max(1, Math.ceil((to - from) / DAY / 31));
  const out: { at: number; from: number; to: number; days: number }[] = [];
  // boundaries on local midnights (setDate keeps them there across DST), the ends clipped to the window
  const start = new Date(from);
  start.setHours(0, 0, 0, 0);
  while (start.getTime() < to) {
    const end = new Date(start);
    end.setDate(end.getDate() + days);
    out.push({ at: start.getTime(), from: Math.max(from, start.getTime()), to: Math.min(to, end.getTime()), days });
    start.setTime(end.getTime());
  }
  return out;
}

async function inBatches<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Tickets opened/resolved per bucket (the activity report over each bucket) and outages started per bucket. */
async function perDay(w: ReportWindow) {
  const buckets = bucketsOf(w);
  const [activity, outages] = await Promise.all([
    inBatches(buckets, 4, (b) =>
      get<ActivityReport>(
        `/api/reports/activity?from=${new Date(b.from).toISOString()}&to=${new Date(b.to).toISOString()}`,
      ),
    ),
    get<Episode[]>(`/api/reports/episodes?faultType=device_down&${range(w)}`),
  ]);
  const started = buckets.map(() => 0);
  for (const e of outages) {
    const t = new Date(e.startedAt).getTime();
    const i = buckets.findIndex((b) => t >= b.from && t < b.to);
    if (i >= 0) started[i]++;
  }
  return {
    bucketDays: buckets[0]?.days ?? 1,
    times: buckets.map((b) => b.at / 1000),
    series: [
      { label: 'Tickets opened', values: activity.map((a) => a.totals.opened), color: '#4ea1ff', scale: 'n' },
      { label: 'Tickets resolved', values: activity.map((a) => a.totals.resolved), color: '#2ea043', scale: 'n' },
      { label: 'Outages started', values: started, color: '#f85149', scale: 'n', dash: [6, 4] },
    ],
  };
}

function FiguresTable<T extends ActivityFigures>(props: {
  caption: string;
  rows: T[];
  key0: string;
  name: (r: T) => string;
}) {
  if (props.rows.length === 0) return <p class="muted">No tickets.</p>;
  return (
    <table class="report-table figures">
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.key0}</th>
          <th scope="col" class="num">
            Opened
          </th>
          <th scope="col" class="num">
            Resolved
          </th>
          <th scope="col" class="num">
            Escalated
          </th>
          <th scope="col" class="num">
            <abbr title="Mean time to acknowledge">MTTA</abbr>
          </th>
          <th scope="col" class="num">
            <abbr title="Mean time to resolve">MTTR</abbr>
          </th>
          <th scope="col" class="num">
            SLA breaches
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={props.name(r)}>
            <th scope="row">{props.name(r)}</th>
            <td class="num">{r.opened}</td>
            <td class="num">{r.resolved}</td>
            <td class="num">{r.escalated}</td>
            <td class="num">{secs(r.meanTimeToAcknowledgeSec)}</td>
            <td class="num">{secs(r.meanTimeToResolveSec)}</td>
            <td class={`num${r.slaBreaches > 0 ? ' breach' : ''}`}>{r.slaBreaches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const AVAILABILITY_ROWS = 25;

/** `/reports/activity`: availability (worst first), a per-day chart and the help desk's activity. */
export function ActivityReportPage() {
  const w = useReportWindow();
  const availability = useAsync(() => get<Availability[]>(`/api/reports/availability?${range(w)}`), [w]);
  const activity = useAsync(() => get<ActivityReport>(`/api/reports/activity?${range(w)}`), [w]);
  const chart = useAsync(() => perDay(w), [w]);
  const sites = useAsync(() => get<SiteAvailability[]>(`/api/reports/site-availability?${range(w)}`), [w]);
  const [all, setAll] = useState(false);
  const sorted = useMemo(
    () =>
      [...(availability.data ?? [])].sort(
        (a, b) =>
          a.availabilityPct - b.availabilityPct ||
          b.downtimeSec - a.downtimeSec ||
          b.outages - a.outages ||
          a.deviceName.localeCompare(b.deviceName),
      ),
    [availability.data],
  );
  // every row is rendered (a printout shows them all); on screen the rows past the worst 25 wait for a click
  const worstDown = Math.max(1, ...sorted.map((r) => r.downtimeSec));
  const a = activity.data;

  return (
    <main class="report" aria-labelledby="report-title">
      <ReportHeader key={w.search} title="Availability and activity" w={w} path="/reports/activity" />
      {a && (
        <dl class="totals" aria-label="Totals">
          {(
            [
              ['Opened', a.totals.opened],
              ['Resolved', a.totals.resolved],
              ['Escalated', a.totals.escalated],
              ['MTTA', secs(a.totals.meanTimeToAcknowledgeSec)],
              ['MTTR', secs(a.totals.meanTimeToResolveSec)],
              ['SLA breaches', a.totals.slaBreaches],
            ] as const
          ).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      <Section id="per-day-title" title="Tickets and outages per day">
        {chart.data ? (
          <>
            {chart.data.bucketDays > 1 && <p class="muted small">Each point covers {chart.data.bucketDays} days.</p>}
            <Chart
              title="Tickets opened and resolved, and outages started, per day"
              times={chart.data.times}
              series={chart.data.series}
              axes={[{ scale: 'n', label: 'count', format: (v) => (Number.isInteger(v) ? String(v) : '') }]}
              height={200}
              daily
            />
          </>
        ) : (
          <Loading what="the chart" error={chart.error} />
        )}
      </Section>
      <Section
        id="site-availability-title"
        title="Availability by site"
        csv={{ path: `/api/reports/site-availability?${range(w)}&format=csv`, name: 'site-availability' }}
      >
        {!sites.data ? (
          <Loading what="availability by site" error={sites.error} />
        ) : (
          <table class="report-table site-availability">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col" class="num">
                  Devices
                </th>
                <th scope="col" class="num">
                  Availability
                </th>
                <th scope="col" class="num">
                  Down time
                </th>
                <th scope="col" class="num">
                  Outages
                </th>
              </tr>
            </thead>
            <tbody>
              {sites.data.map((r) => (
                <tr key={r.siteId ?? 'none'} data-site-availability={r.siteId ?? 'none'}>
                  <td>{r.siteName ?? 'No site'}</td>
                  <td class="num">{r.devices}</td>
                  <td class="num">{r.availabilityPct.toFixed(3)} %</td>
                  <td class="num">{secs(r.downtimeSec)}</td>
                  <td class="num">{r.outages}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section
        id="availability-title"
        title="Availability (worst first)"
        csv={{ path: `/api/reports/availability?${range(w)}&format=csv`, name: 'availability' }}
      >
        {!availability.data ? (
          <Loading what="availability" error={availability.error} />
        ) : sorted.length === 0 ? (
          <p class="muted">No devices.</p>
        ) : (
          <>
            <table class="report-table availability">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col" class="num">
                    Availability
                  </th>
                  <th scope="col" class="bar-col" aria-hidden="true">
                    Down time (relative)
                  </th>
                  <th scope="col" class="num">
                    Down time
                  </th>
                  <th scope="col" class="num">
                    Outages
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r, i) => (
                  <tr
                    key={r.deviceId}
                    data-availability={r.deviceId}
                    class={!all && i >= AVAILABILITY_ROWS ? 'extra-row' : undefined}
                  >
                    <td>
                      <a href={`/devices/${r.deviceId}`}>{r.deviceName}</a>
                    </td>
                    <td class="num">{r.availabilityPct.toFixed(3)} %</td>
                    <td class="bar-col" aria-hidden="true">
                      <span class="down-bar" title="Down time, relative to the worst device">
                        <span style={{ width: `${(100 * r.downtimeSec) / worstDown}%` }} />
                      </span>
                    </td>
                    <td class="num">{secs(r.downtimeSec)}</td>
                    <td class="num">{r.outages}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {sorted.length > AVAILABILITY_ROWS && <p class="print-only muted">All {sorted.length} devices.</p>}
            {sorted.length > AVAILABILITY_ROWS && (
              <p class="no-print">
                <button type="button" onClick={() => setAll(!all)}>
                  {all ? `Show the worst ${AVAILABILITY_ROWS}` : `Show all ${sorted.length} devices`}
                </button>
              </p>
            )}
          </>
        )}
      </Section>
      <Section
        id="activity-title"
        title="Help desk activity"
        csv={{ path: `/api/reports/activity?${range(w)}&format=csv`, name: 'activity' }}
      >
        {!a ? (
          <Loading what="activity" error={activity.error} />
        ) : (
          <>
            <h3>By team</h3>
            <FiguresTable caption="By team" rows={a.byTeam} key0="Team" name={(r) => r.team ?? 'no team'} />
            <h3>By priority</h3>
            <FiguresTable caption="By priority" rows={a.byPriority} key0="Priority" name={(r) => r.priority} />
            <h3>By site</h3>
            <FiguresTable caption="By site" rows={a.bySite} key0="Site" name={(r) => r.siteName ?? 'no site'} />
            <h3>Top offending devices</h3>
            {a.topOffenders.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <table class="report-table offenders">
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col" class="num">
                      Outages
                    </th>
                    <th scope="col" class="num">
                      Episodes
                    </th>
                    <th scope="col" class="num">
                      Tickets
                    </th>
                    <th scope="col" class="num">
                      Down time
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {a.topOffenders.map((o) => (
                    <tr key={o.deviceId}>
                      <td>
                        <a href={`/devices/${o.deviceId}`}>{o.deviceName}</a>
                      </td>
                      <td class="num">{o.outages}</td>
                      <td class="num">{o.episodes}</td>
                      <td class="num">{o.tickets}</td>
                      <td class="num">{secs(o.downtimeSec)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Section>
    </main>
  );
}

/** `/problems/:id`: a problem, its episodes and tickets, and setting it known error (with a workaround) or resolved. */
export function ProblemView({ id }: { id: string }) {
  const { data, error, reload } = useAsync(() => get<ProblemWithEpisodes>(`/api/problems/${id}`), [id]);
  const [status, setStatus] = useState<ProblemStatus | null>(null);
  const [workaround, setWorkaround] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (!data) {
    return (
      <main>
        <Loading what="problem" error={error} />
        <a href="/reports">Back to the reports</a>
      </main>
    );
  }
  const st = status ?? data.status;
  const wa = workaround ?? data.workaround ?? '';
  const save = (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setMessage(null);
    api<Problem>('PATCH', `/api/problems/${id}`, { status: st, ...(wa.trim() ? { workaround: wa.trim() } : {}) })
      .then(
        (p) => {
          setMessage({ ok: true, text: `Saved: ${p.status.replace('_', ' ')}` });
          setStatus(null);
          setWorkaround(null);
          reload();
        },
        (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => setSaving(false));
  };

  return (
    <main class="report problem-view" aria-labelledby="problem-title">
      <p class="crumbs no-print">
        <a href="/reports">← Reports</a>
      </p>
      <div class="toolbar report-head">
        <h1 id="problem-title">
          PRB-{data.number} {data.title}
        </h1>
        <ProblemStatusBadge status={data.status} />
        <button type="button" class="no-print print-btn" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <div class="facts">
        <div>
          <span class="k">Fault</span>
          {faultLabel(data.faultType, data.ifIndex)}
        </div>
        <div>
          <span class="k">Scope</span>
          {data.scope}
          {data.deviceKind ? ` (${data.deviceKind})` : ''}
        </div>
        {data.deviceId && (
          <div>
            <span class="k">Device</span>
            <a href={`/devices/${data.deviceId}`}>{data.episodes[0]?.deviceName ?? 'device'}</a>
          </div>
        )}
        <div>
          <span class="k">Occurrences</span>
          {data.occurrences} on {data.devices} device{data.devices === 1 ? '' : 's'}
        </div>
        <div>
          <span class="k">Opened</span>
          {dateTime(data.openedAt)}
        </div>
        <div>
          <span class="k">First / last</span>
          {dateTime(data.firstAt ?? undefined)} – {dateTime(data.lastAt ?? undefined)}
        </div>
        {data.resolvedAt && (
          <div>
            <span class="k">Resolved</span>
            {dateTime(data.resolvedAt)}
          </div>
        )}
        {data.workaround && (
          <div class="wide">
            <span class="k">Workaround</span>
            <span class="ev-msg">{data.workaround}</span>
          </div>
        )}
      </div>

      <section class="report-section no-print" aria-labelledby="problem-update">
        <h2 id="problem-update">Update</h2>
        <form class="problem-form" onSubmit={save}>
          <fieldset>
            <legend>Status</legend>
            {PROBLEM_STATUSES.map((s) => (
              <label key={s} class="radio">
                <input type="radio" name="problem-status" value={s} checked={st === s} onChange={() => setStatus(s)} />
                {s === 'known_error' ? 'known error' : s}
              </label>
            ))}
          </fieldset>
          <label class="block">
            Workaround{st === 'known_error' ? ' (required for a known error)' : ''}
            <textarea
              rows={3}
              maxLength={4000}
              value={wa}
              required={st === 'known_error'}
              onInput={(e) => setWorkaround(e.currentTarget.value)}
            />
          </label>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={saving}>
              Save
            </button>
            {message && (
              <span class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
                {message.text}
              </span>
            )}
          </div>
        </form>
      </section>

      <Section id="problem-tickets" title={`Tickets (${data.ticketIds.length})`}>
        {data.ticketIds.length === 0 ? (
          <p class="muted">No tickets.</p>
        ) : (
          <ul class="plain ticket-list">
            {data.ticketIds.map((t) => (
              <li key={t}>
                <TicketLink id={t} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="problem-episodes" title={`Episodes (${data.episodes.length})`}>
        <EpisodesTable episodes={data.episodes} showDevice={data.scope !== 'device' || data.devices > 1} />
      </Section>
    </main>
  );
}
