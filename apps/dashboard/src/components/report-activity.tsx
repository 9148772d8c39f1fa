import { useMemo, useState } from 'preact/hooks';
import { get } from '../api';
import { useAsync } from '../hooks';
import { seconds } from '../format';
import type { ActivityDay, ActivityFigures, ActivityReport, Availability, SiteAvailability } from '../report-types';
import { Chart } from './chart';
import {
  DAY,
  localMidnight,
  useReportWindow,
  range,
  ReportHeader,
  Section,
  Loading,
  ReportHead,
} from './report-common';
import type { ReportWindow } from './report-common';

/** The browser's time zone: the chart's days are its calendar days. */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Tickets opened/resolved and outages started per day, in one call, as at most 31 points (a day each up to a
 * month, then several days added up).
 */
async function perDay(w: ReportWindow) {
  const days = await get<ActivityDay[]>(`/api/reports/activity/series?${range(w)}&tz=${encodeURIComponent(TIME_ZONE)}`);
  const size = Math.max(1, Math.ceil((new Date(w.to).getTime() - new Date(w.from).getTime()) / DAY / 31));
  const buckets: ActivityDay[][] = [];
  for (let i = 0; i < days.length; i += size) buckets.push(days.slice(i, i + size));
  const sum = (key: 'opened' | 'resolved' | 'outagesStarted') => buckets.map((b) => b.reduce((n, d) => n + d[key], 0));
  return {
    bucketDays: size,
    times: buckets.map((b) => localMidnight(b[0].date).getTime() / 1000),
    series: [
      { label: 'Tickets opened', values: sum('opened'), color: '#4ea1ff', scale: 'n' },
      { label: 'Tickets resolved', values: sum('resolved'), color: '#2ea043', scale: 'n' },
      { label: 'Outages started', values: sum('outagesStarted'), color: '#f85149', scale: 'n', dash: [6, 4] },
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
            <td class="num">{seconds(r.meanTimeToAcknowledgeSec)}</td>
            <td class="num">{seconds(r.meanTimeToResolveSec)}</td>
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
              ['MTTA', seconds(a.totals.meanTimeToAcknowledgeSec)],
              ['MTTR', seconds(a.totals.meanTimeToResolveSec)],
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
            <ReportHead
              cols={['Site', { num: 'Devices' }, { num: 'Availability' }, { num: 'Down time' }, { num: 'Outages' }]}
            />
            <tbody>
              {sites.data.map((r) => (
                <tr key={r.siteId ?? 'none'} data-site-availability={r.siteId ?? 'none'}>
                  <td>{r.siteName ?? 'No site'}</td>
                  <td class="num">{r.devices}</td>
                  <td class="num">{r.availabilityPct.toFixed(3)} %</td>
                  <td class="num">{seconds(r.downtimeSec)}</td>
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
                    <td class="num">{seconds(r.downtimeSec)}</td>
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
                <ReportHead
                  cols={['Device', { num: 'Outages' }, { num: 'Episodes' }, { num: 'Tickets' }, { num: 'Down time' }]}
                />
                <tbody>
                  {a.topOffenders.map((o) => (
                    <tr key={o.deviceId}>
                      <td>
                        <a href={`/devices/${o.deviceId}`}>{o.deviceName}</a>
                      </td>
                      <td class="num">{o.outages}</td>
                      <td class="num">{o.episodes}</td>
                      <td class="num">{o.tickets}</td>
                      <td class="num">{seconds(o.downtimeSec)}</td>
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
