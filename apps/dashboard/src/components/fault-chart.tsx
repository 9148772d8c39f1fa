import { useMemo } from 'preact/hooks';
import { get } from '../api';
import { bps, ms } from '../format';
import { useAsync } from '../hooks';
import type { MetricSeries } from '../types';
import { Chart, ChartSeries } from './chart';

/** The metrics behind each measured fault, with the scale they are drawn on. */
const METRICS_OF: Record<string, { metrics: string[]; scale: string; label: string; format: (v: number) => string }> = {
  link_utilisation: { metrics: ['inBps', 'outBps'], scale: 'bps', label: 'bit/s', format: bps },
  interface_errors: {
    metrics: ['inErrors', 'outErrors', 'inDiscards', 'outDiscards'],
    scale: '/s',
    label: 'per second',
    format: (v) => `${v.toFixed(2)}/s`,
  },
  high_cpu: { metrics: ['cpuPct'], scale: '%', label: '%', format: (v) => `${v.toFixed(0)} %` },
  high_memory: { metrics: ['memPct'], scale: '%', label: '%', format: (v) => `${v.toFixed(0)} %` },
  high_jitter: { metrics: ['jitterMs'], scale: 'ms', label: 'ms', format: (v) => ms(v) },
  high_latency: { metrics: ['rttMs'], scale: 'ms', label: 'ms', format: (v) => ms(v) },
  packet_loss: { metrics: ['lossPct'], scale: '%', label: '%', format: (v) => `${v.toFixed(0)} %` },
};
const COLORS = ['#3ecf8e', '#c79bff', '#ff6b6b', '#4ea1ff'];

/** The last hour of the metric a measured fault is about, on its ticket. */
export function FaultChart(props: { deviceId: string; faultType: string; ifIndex?: number | null }) {
  const spec = METRICS_OF[props.faultType];
  const data = useAsync(() => {
    if (!spec) return Promise.resolve(null);
    const to = new Date();
    const from = new Date(to.getTime() - 3600_000);
    return Promise.all(
      spec.metrics.map((metric) => {
        const q = new URLSearchParams({ metric, from: from.toISOString(), to: to.toISOString() });
        if (props.ifIndex != null) q.set('ifIndex', String(props.ifIndex));
        return get<MetricSeries>(`/api/devices/${props.deviceId}/metrics?${q}`);
      }),
    );
  }, [props.deviceId, props.faultType, props.ifIndex]);
  const chart = useMemo(() => {
    if (!data.data || !spec) return null;
    const times = [...new Set(data.data.flatMap((s) => s.points.map((p) => Date.parse(p.at) / 1000)))].sort(
      (a, b) => a - b,
    );
    const index = new Map(times.map((t, i) => [t, i]));
    const series: ChartSeries[] = data.data.map((s, i) => {
      const values: (number | null)[] = new Array(times.length).fill(null);
      for (const p of s.points) values[index.get(Date.parse(p.at) / 1000)!] = p.avg;
      return {
        label: spec.metrics[i],
        values,
        color: COLORS[i % COLORS.length],
        scale: spec.scale,
        format: spec.format,
      };
    });
    return { times, series };
  }, [data.data]);
  if (!spec) return null;
  return (
    <section class="fault-chart">
      <h2>Last hour</h2>
      {chart && chart.times.length > 0 ? (
        <Chart
          title={`Last hour of ${spec.metrics.join(', ')}`}
          times={chart.times}
          series={chart.series}
          axes={[{ scale: spec.scale, label: spec.label, format: spec.format }]}
        />
      ) : (
        <p class="muted">{data.loading ? 'Loading…' : 'No measurements in the last hour.'}</p>
      )}
    </section>
  );
}
