import { useMemo, useState } from 'preact/hooks';
import { get, post, roleAtLeast, session } from '../api';
import { ago, bps, clock, dateTime, ms } from '../format';
import { useAsync, useLive, useNow } from '../hooks';
import { NO_SITE, rootCauses } from '../live';
import type { Device, DeviceSummary, HistoryEntry, Interface, MetricSeries, Ticket } from '../types';
import { Chart, ChartSeries } from './chart';
import { align } from '../chart-data';
import { CircuitEditor, DeviceThresholdsEditor, useResolvedThresholds } from './device-thresholds';
import { DeviceStateBadge, PriorityBadge, StatusBadge, TicketStatusBadge } from './status';
import { NewTicket } from './new-ticket';
import { InterfaceTable, useWatchToggle, watched } from './device-interfaces';
import { DeviceProblems, PastTickets, StatusHistory } from './device-records';
import { PollerStaleNote, PollFacts } from './device-poller';

const WINDOWS = [
  { label: '1 hour', ms: 3600_000 },
  { label: '6 hours', ms: 6 * 3600_000 },
  { label: '24 hours', ms: 24 * 3600_000 },
  { label: '7 days', ms: 7 * 24 * 3600_000 },
];

/** The down device an unreachable one is hidden behind. */
function downAncestor(d: { parentId: string | null }, devices: Map<string, DeviceSummary>): DeviceSummary | undefined {
  let p = d.parentId ? devices.get(d.parentId) : undefined;
  for (let hops = 0; p && hops < 64; hops++) {
    if (p.status === 'down') return p;
    p = p.parentId ? devices.get(p.parentId) : undefined;
  }
  return undefined;
}

function metricsUrl(id: string, metric: string, windowMs: number, ifIndex?: number): string {
  const to = new Date();
  const from = new Date(to.getTime() - windowMs);
  const q = new URLSearchParams({ metric, from: from.toISOString(), to: to.toISOString() });
  if (ifIndex != null) q.set('ifIndex', String(ifIndex));
  return `/api/devices/${id}/metrics?${q}`;
}

export function DeviceView({ id }: { id: string }) {
  const store = useLive();
  const now = useNow(5000);
  const [windowMs, setWindowMs] = useState(WINDOWS[0].ms);
  const [ifIndex, setIfIndex] = useState<number | null>(null);
  const [pinging, setPinging] = useState(false);
  const [pingResult, setPingResult] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const admin = roleAtLeast(session.user(), 'admin');
  const liveStatus = store.devices.get(id)?.status;
  const past = useAsync(
    () => get<Ticket[]>(`/api/tickets?deviceId=${id}&status=resolved,closed&limit=10`),
    [id, store.tickets.size],
  );
  // the REST representation has what the live deltas don't carry (reason, last poll); refetched on a change
  const fetched = useAsync(() => get<Device>(`/api/devices/${id}`), [id, liveStatus, store.devices.get(id)?.stale]);
  const interfaces = useAsync(() => get<Interface[]>(`/api/devices/${id}/interfaces`), [id]);
  const limits = useResolvedThresholds(fetched.data);
  const history = useAsync(() => get<HistoryEntry[]>(`/api/devices/${id}/history?limit=20`), [id, liveStatus]);
  const health = useAsync(
    () => Promise.all(['rttMs', 'lossPct'].map((m) => get<MetricSeries>(metricsUrl(id, m, windowMs)))),
    [id, windowMs],
  );
  const { ifs, watch, watchError } = useWatchToggle(id, interfaces);
  // open on what is wrong: an interface a ticket names, a watched one that is down, else a working uplink
  const ticketIf = [...store.tickets.values()].find((t) => t.deviceId === id && t.ifIndex != null)?.ifIndex;
  const failedIf = ifs.find((i) => i.adminStatus === 'up' && i.operStatus !== 'up' && watched(i))?.ifIndex;
  const chosenIf =
    ifIndex ??
    (ticketIf != null && ifs.some((i) => i.ifIndex === ticketIf) ? ticketIf : undefined) ??
    failedIf ??
    ifs.find((i) => i.operStatus === 'up' && i.alias)?.ifIndex ??
    ifs[0]?.ifIndex ??
    null;
  const traffic = useAsync(
    () =>
      chosenIf == null
        ? Promise.resolve(null)
        : Promise.all(['inBps', 'outBps'].map((m) => get<MetricSeries>(metricsUrl(id, m, windowMs, chosenIf)))),
    [id, windowMs, chosenIf],
  );

  const healthChart = useMemo(() => {
    if (!health.data) return null;
    const { times, values, gaps } = align(health.data);
    const series: ChartSeries[] = [
      { label: 'RTT', values: values[0], color: '#4ea1ff', scale: 'ms', format: (v) => ms(v) },
      {
        label: 'Loss',
        values: values[1],
        color: '#ff6b6b',
        scale: '%',
        dash: [4, 3],
        format: (v) => `${v.toFixed(0)} %`,
      },
    ];
    if (limits?.rttMs !== undefined)
      series.push(thresholdLine('RTT threshold', times, limits.rttMs, 'ms', (v) => ms(v)));
    return { times, series, gaps };
  }, [health.data, limits?.rttMs]);
  const trafficChart = useMemo(() => {
    if (!traffic.data) return null;
    const { times, values } = align(traffic.data);
    const series: ChartSeries[] = [
      { label: 'In', values: values[0], color: '#3ecf8e', scale: 'bps', format: bps },
      { label: 'Out', values: values[1], color: '#c79bff', scale: 'bps', dash: [4, 3], format: bps },
    ];
    const chosen = ifs.find((i) => i.ifIndex === chosenIf);
    const base = chosen?.capacityBps ?? chosen?.speedBps;
    const pct = chosen?.utilisationPct ?? limits?.utilisationPct;
    if (base && pct) series.push(thresholdLine(`Threshold (${pct} %)`, times, (base * pct) / 100, 'bps', bps));
    return { times, series };
  }, [traffic.data, chosenIf, limits?.utilisationPct, interfaces.data]);

  // the live feed knows a newer status while the refetch it triggered is in flight
  const liveDevice = store.devices.get(id);
  const d: Device | undefined =
    fetched.data && liveDevice && liveDevice.status !== fetched.data.status
      ? {
          ...fetched.data,
          status: liveDevice.status,
          statusSince: liveDevice.statusSince,
          statusReason: liveDevice.statusReason,
          flapping: liveDevice.flapping,
        }
      : fetched.data;
  if (d && liveDevice) {
    d.inMaintenance = liveDevice.inMaintenance ?? d.inMaintenance;
    d.maintenanceUntil = liveDevice.maintenanceUntil ?? d.maintenanceUntil;
    d.flapping = liveDevice.flapping ?? d.flapping;
  }
  if (fetched.error && !d)
    return (
      <main>
        <p class="error" role="alert">
          {fetched.error}
        </p>
        <a href="/">Back to the board</a>
      </main>
    );
  if (!d)
    return (
      <main>
        <p class="muted" role="status">
          Loading device…
        </p>
      </main>
    );
  const behind = d.status === 'down' ? (rootCauses(store.devices).get(d.id) ?? []) : [];
  const parent = d.parentId ? store.devices.get(d.parentId) : undefined;
  const tickets = [...store.tickets.values()].filter((t) => t.deviceId === d.id);
  // unreachable: the ticket that covers it is its down ancestor's
  const cause = d.status === 'unreachable' ? downAncestor(d, store.devices) : undefined;
  const causeTicket = cause ? [...store.tickets.values()].find((t) => t.deviceId === cause.id) : undefined;
  // nothing measured while it does not answer: what is shown is from the last poll that worked
  const stale = d.status === 'down' || d.status === 'unreachable';
  const lastGood = d.lastPoll?.at;

  const ping = async () => {
    setPinging(true);
    setPingResult(null);
    try {
      const r = await post<{ received: number; sent: number; lossPct: number; rttMs: number | null; error?: string }>(
        `/api/devices/${id}/ping`,
      );
      setPingResult(r.error ?? `${r.received}/${r.sent} replies, ${r.lossPct}% loss, RTT ${ms(r.rttMs)}`);
    } catch (e) {
      setPingResult(e instanceof Error ? e.message : String(e));
    } finally {
      setPinging(false);
    }
  };

  return (
    <main class="device-view" aria-labelledby="device-title">
      <p class="crumbs">
        <a href="/">← Board</a> · {store.siteName(d.siteId ?? NO_SITE)}
      </p>
      <h1 id="device-title">
        {d.name} <DeviceStateBadge device={d} large />
      </h1>
      {d.inMaintenance && (
        <p class="maint-note st-maintenance" data-testid="maintenance-note">
          In planned maintenance{d.maintenanceUntil ? ` until ${clock(d.maintenanceUntil)}` : ''}: faults open no ticket
          and notify nobody.
        </p>
      )}
      {cause && (
        <p class="cause-note" data-testid="covering-ticket">
          Unreachable because <a href={`/devices/${cause.id}`}>{cause.name}</a> is down
          {causeTicket ? (
            <>
              {' '}
              — covered by{' '}
              <a href={`/tickets/${causeTicket.id}`}>
                ticket #{causeTicket.number} {causeTicket.title}
              </a>
            </>
          ) : (
            '.'
          )}
        </p>
      )}
      {stale && (
        <p class="stale-note" data-testid="stale-note">
          <span aria-hidden="true">⚠</span> Not answering since {dateTime(d.statusSince)}: interface states and rates
          below are the last known, not current.
        </p>
      )}
      <PollerStaleNote d={d} current={liveDevice} />
      <div class="facts">
        <div>
          <span class="k">Address</span> {d.host}
        </div>
        <div>
          <span class="k">Kind</span> {d.kind} · {d.criticality}
        </div>
        <div>
          <span class="k">Since</span> {dateTime(d.statusSince)} ({ago(d.statusSince, now)})
        </div>
        {d.statusReason && (
          <div>
            <span class="k">Why</span> {d.statusReason}
          </div>
        )}
        <PollFacts d={d} current={liveDevice} now={now} />
        {parent && (
          <div>
            <span class="k">Reached through</span> <a href={`/devices/${parent.id}`}>{parent.name}</a>{' '}
            <StatusBadge status={parent.status} />
          </div>
        )}
        {d.sysDescr && (
          <div>
            <span class="k">System</span> {d.sysName ? `${d.sysName} — ` : ''}
            {d.sysDescr}
          </div>
        )}
        {roleAtLeast(session.user(), 'agent') && (
          <div>
            <button type="button" onClick={() => void ping()} disabled={pinging}>
              {pinging ? 'Pinging…' : 'Ping now'}
            </button>{' '}
            <button type="button" aria-expanded={creating} onClick={() => setCreating(!creating)}>
              + New ticket
            </button>{' '}
            {pingResult && <span role="status">{pingResult}</span>}
          </div>
        )}
      </div>
      {creating && <NewTicket deviceId={d.id} onCancel={() => setCreating(false)} />}
      {behind.length > 0 && (
        <section class="root-causes" aria-label="Unreachable behind this device">
          <h2>{behind.length} unreachable behind it</h2>
          <ul class="inline-list">
            {behind.map((u) => (
              <li key={u.id}>
                <a href={`/devices/${u.id}`}>{u.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {tickets.length > 0 && (
        <section aria-label="Open tickets">
          <h2>Open tickets</h2>
          <ul class="plain">
            {tickets.map((t) => (
              <li key={t.id}>
                <PriorityBadge priority={t.priority} />{' '}
                <a href={`/tickets/${t.id}`}>
                  #{t.number} {t.title}
                </a>{' '}
                <TicketStatusBadge status={t.status} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="chart-head">
        <h2>Latency and loss</h2>
        <label>
          Window{' '}
          <select value={windowMs} onChange={(e) => setWindowMs(Number(e.currentTarget.value))}>
            {WINDOWS.map((w) => (
              <option key={w.ms} value={w.ms}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {health.error ? (
        <p class="error">{health.error}</p>
      ) : healthChart && healthChart.times.length > 0 ? (
        <div data-testid="health-chart" data-gaps={healthChart.gaps}>
          <Chart
            title={`Round-trip time and packet loss of ${d.name}`}
            times={healthChart.times}
            series={healthChart.series}
            axes={[
              { scale: 'ms', label: 'RTT (ms)' },
              { scale: '%', label: 'loss (%)', side: 'right' },
            ]}
          />
          {healthChart.gaps > 0 && (
            <p class="muted small">Breaks in the lines are times without measurements (the device did not answer).</p>
          )}
        </div>
      ) : (
        <p class="muted">{health.loading ? 'Loading…' : 'No measurements in this window.'}</p>
      )}
      <div class="chart-head">
        <h2>Interface traffic</h2>
        {ifs.length > 0 && (
          <label>
            Interface{' '}
            <select value={chosenIf ?? ''} onChange={(e) => setIfIndex(Number(e.currentTarget.value))}>
              {ifs.map((i) => (
                <option key={i.ifIndex} value={i.ifIndex}>
                  {i.name}
                  {i.alias ? ` — ${i.alias}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {chosenIf == null ? (
        <p class="muted">No interfaces known (SNMP not configured or not polled yet).</p>
      ) : traffic.error ? (
        <p class="error">{traffic.error}</p>
      ) : trafficChart && trafficChart.times.length > 0 ? (
        <Chart
          title={`Traffic on ${ifs.find((i) => i.ifIndex === chosenIf)?.name ?? `interface ${chosenIf}`} of ${d.name}`}
          times={trafficChart.times}
          series={trafficChart.series}
          axes={[{ scale: 'bps', label: 'bit/s', format: bps }]}
        />
      ) : (
        <p class="muted">{traffic.loading ? 'Loading…' : 'No traffic measurements in this window.'}</p>
      )}
      <h2>Interfaces</h2>
      {watchError && (
        <p class="error" role="alert">
          {watchError}
        </p>
      )}
      {ifs.length === 0 ? (
        <p class="muted">{interfaces.loading ? 'Loading…' : 'None.'}</p>
      ) : (
        <InterfaceTable
          ifs={ifs}
          chosenIf={chosenIf}
          stale={stale}
          lastGood={lastGood}
          admin={admin}
          onWatch={(i, monitored) => void watch(i, monitored)}
          onChoose={setIfIndex}
        />
      )}
      {roleAtLeast(session.user(), 'admin') && (
        <>
          {chosenIf != null && ifs.find((i) => i.ifIndex === chosenIf) && (
            <CircuitEditor deviceId={id} iface={ifs.find((i) => i.ifIndex === chosenIf)!} onSaved={interfaces.reload} />
          )}
          <DeviceThresholdsEditor deviceId={id} own={d.thresholds ?? {}} inherited={limits} onSaved={fetched.reload} />
        </>
      )}
      <PastTickets past={past} />
      {roleAtLeast(session.user(), 'manager') && <DeviceProblems deviceId={d.id} />}
      <StatusHistory history={history} ifs={ifs} />
    </main>
  );
}

/** A flat dashed line at a threshold, drawn on the metric's own scale. */
function thresholdLine(
  label: string,
  times: number[],
  value: number,
  scale: string,
  format: (v: number) => string,
): ChartSeries {
  return { label, values: times.map(() => value), color: '#f5a524', scale, dash: [2, 4], format };
}
