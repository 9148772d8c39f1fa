import { useEffect, useRef, useState } from 'preact/hooks';
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

/** Width of a chart on an A4 page (portrait, ~14 mm margins) at 96 dpi. */
const PRINT_WIDTH = 680;

/** True while the page is being printed (print dialog, or print media emulated). */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(() => window.matchMedia('print').matches);
  useEffect(() => {
    const mq = window.matchMedia('print');
    const on = () => setPrinting(true);
    const off = () => setPrinting(mq.matches);
    const change = () => setPrinting(mq.matches);
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    mq.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', on);
      window.removeEventListener('afterprint', off);
      mq.removeEventListener('change', change);
    };
  }, []);
  return printing;
}

/** A uPlot line chart sized to its container; rebuilt when the data change, and for print (A4 width, dark on white). */
export function Chart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  axes: { scale: string; label: string; side?: 'left' | 'right'; format?: (v: number) => string }[];
  height?: number;
  /** One point per day: the time axis shows dates ("2 Dec"), never hours. */
  daily?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const printing = usePrinting();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const widthOf = () =>
      printing ? Math.min(PRINT_WIDTH, el.clientWidth || PRINT_WIDTH) : Math.max(300, el.clientWidth);
    const styles = getComputedStyle(document.documentElement);
    const fg = printing ? '#333' : styles.getPropertyValue('--fg-muted').trim() || '#999';
    const grid = printing ? '#ddd' : styles.getPropertyValue('--grid').trim() || '#333';
    const opts: uPlot.Options = {
      width: widthOf(),
      height: props.height ?? 220,
      // printed, the legend names the series; live values only make sense under a cursor
      legend: { show: true, live: !printing },
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
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          ...(props.daily && {
            // ticks on whole days only, labelled as dates
            splits: (_u: uPlot, _i: number, min: number, max: number) => {
              const out: number[] = [];
              const span = Math.max(1, Math.ceil((max - min) / 86_400 / 8));
              for (let i = 0; i < props.times.length; i += span) if (props.times[i] >= min) out.push(props.times[i]);
              return out;
            },
            values: (_u: uPlot, vals: number[]) =>
              vals.map((v) => new Date(v * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })),
          }),
        },
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
    const ro = new ResizeObserver(() => plot.setSize({ width: widthOf(), height: opts.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, printing, props.daily]);
  return <div class="chart" ref={ref} role="img" aria-label={props.title} />;
}
