// Bar charts with uPlot (canvas, ~50 KB minified: the smallest maintained chart library that
// draws time and count series well): over named categories or dates, and calls by hour of day.
// The numbers are also in a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface BarChartProps {
  labels: string[];
  values: number[];
  label: string;
  unit: string;
  format?: (n: number) => string;
  /** Bars to put a tick label under (default: at most ~5, evenly spread). */
  ticks?: number[];
  height?: number;
  /** The screen-reader table's first column (default: Day for dates, else Kind). */
  column?: string;
}

export function BarChart({ labels, values, label, unit, format = String, ticks, height = 180, column }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const key = `${labels.join('|')}:${values.join(',')}:${height}`;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars?.({ size: [0.7, 60] });
    // At most ~5 tick labels, whatever the number of bars (a card is ~300 px wide on the tablet).
    const every = Math.max(1, Math.ceil(labels.length / 5));
    const splits = ticks ?? xs.filter((i) => i % every === 0);
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth || 320),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
        axes: [
          { splits: () => splits, values: (_u, t) => t.map((i) => labels[i] ?? ''), stroke: '#333', grid: { show: false } },
          { stroke: '#333', grid: { stroke: '#e4e4e4' }, values: (_u, t) => t.map(format), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], size: 60 },
        ],
        // Empty bars draw nothing (null), not a flat line.
        series: [{}, { label: unit, fill: '#0f5c55', stroke: '#0f5c55', ...(bars ? { paths: bars } : {}), points: { show: false } }],
      },
      [xs, values.map((n) => (n > 0 ? n : null))],
      el,
    );
    // Follow the card's width (the tablet turned, the window resized).
    const resize = new ResizeObserver(() => {
      const width = Math.max(240, el.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [key]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={label} />
      <table class="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">{column ?? (labels.length > 0 && /^\d{4}-/.test(labels[0] ?? '') ? 'Day' : 'Kind')}</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {labels.map((l, i) =>
            (values[i] ?? 0) > 0 ? (
              <tr key={l}>
                <td>{l}</td>
                <td>{format(values[i] ?? 0)}</td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
    </figure>
  );
}

const hourName = (h: number): string => `${h % 12 === 0 ? 12 : h % 12} ${h < 12 ? 'am' : 'pm'}`;
const HOURS = Array.from({ length: 24 }, (_, h) => hourName(h));

/** Calls by hour of day (24 counts), ticked every six hours. */
export function HourChart({ counts, label }: { counts: number[]; label: string }) {
  return <BarChart labels={HOURS.slice(0, counts.length)} values={counts} label={label} unit="Calls" ticks={[0, 6, 12, 18]} height={160} column="Hour" />;
}
