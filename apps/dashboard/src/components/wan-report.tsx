import { useMemo, useState } from 'preact/hooks';
import { get } from '../api';
import { downloadWithToken } from '../download';
import { bps } from '../format';
import { useAsync } from '../hooks';
import type { MetricSeries } from '../types';
import { Chart, ChartSeries } from './chart';

interface WanLinkRow {
  deviceId: string;
  deviceName: string;
  ifIndex: number;
  name: string;
  provider: string | null;
  circuitId: string | null;
  capacityBps: number | null;
  inP95Bps: number | null;
  outP95Bps: number | null;
  inPeakBps: number | null;
  outPeakBps: number | null;
  inP95Pct: number | null;
  outP95Pct: number | null;
  hoursOverThreshold: number;
}

const DAY = 86_400_000;
const pct = (v: number | null) => (v === null ? '—' : `${v} %`);

/** Capacity planning (manager): every WAN link's 95th percentile, peaks and hours over threshold, and a chart per link. */
export function WanCapacityReport() {
  const [days, setDays] = useState(30);
  const window = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - days * DAY).toISOString(), to: to.toISOString() };
  }, [days]);
  const query = `from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`;
  const rows = useAsync(() => get<WanLinkRow[]>(`/api/reports/wan-links?${query}`), [query]);
  const [chosen, setChosen] = useState<WanLinkRow | null>(null);
  const link = chosen ?? rows.data?.[0] ?? null;
  const series = useAsync(
    () =>
      link
        ? Promise.all(
            ['inBps', 'outBps'].map((metric) =>
              get<MetricSeries>(
                `/api/devices/${link.deviceId}/metrics?metric=${metric}&ifIndex=${link.ifIndex}&${query}`,
              ),
            ),
          )
        : Promise.resolve(null),
    [link?.deviceId, link?.ifIndex, query],
  );
  const chart = useMemo(() => {
    if (!series.data || !link) return null;
    const times = [...new Set(series.data.flatMap((s) => s.points.map((p) => Date.parse(p.at) / 1000)))].sort(
      (a, b) => a - b,
    );
    const index = new Map(times.map((t, i) => [t, i]));
    const values = series.data.map((s) => {
      const v: (number | null)[] = new Array(times.length).fill(null);
      for (const p of s.points) v[index.get(Date.parse(p.at) / 1000)!] = p.avg;
      return v;
    });
    const lines: ChartSeries[] = [
      { label: 'In', values: values[0], color: '#3ecf8e', scale: 'bps', format: bps },
      { label: 'Out', values: values[1], color: '#c79bff', scale: 'bps', dash: [4, 3], format: bps },
    ];
    if (link.capacityBps)
      lines.push({
        label: 'Capacity',
        values: times.map(() => link.capacityBps),
        color: '#f5a524',
        scale: 'bps',
        dash: [2, 4],
        format: bps,
      });
    return { times, lines };
  }, [series.data, link]);
  return (
    <main class="wan-report">
      <p class="crumbs">
        <a href="/reports">← Reports</a>
      </p>
      <h1>WAN capacity</h1>
      <div class="chart-head">
        <label>
          Window{' '}
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {[7, 30, 90].map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void downloadWithToken(`/api/reports/wan-links?${query}&format=csv`, 'wan-links.csv')}
        >
          Download CSV
        </button>
      </div>
      {rows.error && (
        <p class="error" role="alert">
          {rows.error}
        </p>
      )}
      {rows.data && rows.data.length === 0 && (
        <p>No WAN links: watch interfaces of wan-link devices or set a capacity.</p>
      )}
      {rows.data && rows.data.length > 0 && (
        <table class="data" aria-label="WAN links">
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">Circuit</th>
              <th scope="col">Capacity</th>
              <th scope="col">In p95</th>
              <th scope="col">Out p95</th>
              <th scope="col">In peak</th>
              <th scope="col">Out peak</th>
              <th scope="col">Hours over threshold</th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((r) => (
              <tr key={`${r.deviceId}:${r.ifIndex}`} aria-selected={link === r}>
                <th scope="row">
                  <button
                    type="button"
                    class="linkish"
                    onClick={() => setChosen(r)}
                    aria-label={`Chart ${r.deviceName} ${r.name}`}
                  >
                    {r.deviceName} {r.name}
                  </button>
                </th>
                <td>{[r.provider, r.circuitId].filter(Boolean).join(' ') || '—'}</td>
                <td>{bps(r.capacityBps)}</td>
                <td>
                  {bps(r.inP95Bps)} ({pct(r.inP95Pct)})
                </td>
                <td>
                  {bps(r.outP95Bps)} ({pct(r.outP95Pct)})
                </td>
                <td>{bps(r.inPeakBps)}</td>
                <td>{bps(r.outPeakBps)}</td>
                <td>{r.hoursOverThreshold}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {link && (
        <>
          <h2>
            {link.deviceName} {link.name}
          </h2>
          {chart && chart.times.length > 0 ? (
            <Chart
              title={`Traffic of ${link.deviceName} ${link.name} against its capacity`}
              times={chart.times}
              series={chart.lines}
              axes={[{ scale: 'bps', label: 'bit/s', format: bps }]}
            />
          ) : (
            <p class="muted">{series.loading ? 'Loading…' : 'No traffic measurements in this window.'}</p>
          )}
        </>
      )}
    </main>
  );
}
