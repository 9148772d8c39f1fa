import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  scale?: string;
  dash?: number[];
  format?: (v: number) => string;
}

/** A uPlot line chart sized to its container; rebuilt when the data change. */
export function Chart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  axes: { scale: string; label: string; side?: 'left' | 'right'; format?: (v: number) => string }[];
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(300, el.clientWidth);
    const styles = getComputedStyle(document.documentElement);
    const fg = styles.getPropertyValue('--fg-muted').trim() || '#999';
    const grid = styles.getPropertyValue('--grid').trim() || '#333';
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 220,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          scale: s.scale,
          dash: s.dash,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.format ? s.format(v) : String(v)),
        })),
      ],
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        ...props.axes.map((a) => ({
          scale: a.scale,
          label: a.label,
          side: a.side === 'right' ? 1 : 3,
          stroke: fg,
          grid: { show: a.side !== 'right', stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 70,
          values: (_u: uPlot, vals: number[]) => vals.map((v) => (a.format ? a.format(v) : String(v))),
        })),
      ],
    };
    const data = [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: opts.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series]);
  return <div class="chart" ref={ref} role="img" aria-label={props.title} />;
}
