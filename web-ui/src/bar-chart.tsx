// A bar chart over named categories or dates with uPlot (as chart.tsx), its numbers also in a
// table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function BarChart({ labels, values, label, unit, format = String }: { labels: string[]; values: number[]; label: string; unit: string; format?: (n: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const key = `${labels.join('|')}:${values.join(',')}`;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars?.({ size: [0.7, 60] });
    // At most ~5 tick labels, whatever the number of bars (a card is ~300 px wide on the tablet).
    const every = Math.max(1, Math.ceil(labels.length / 5));
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth || 320),
        height: 180,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
        axes: [
          { splits: () => xs.filter((i) => i % every === 0), values: (_u, ticks) => ticks.map((t) => labels[t] ?? ''), stroke: '#333', grid: { show: false } },
          { stroke: '#333', grid: { stroke: '#e4e4e4' }, values: (_u, ticks) => ticks.map(format), size: 60 },
        ],
        series: [{}, { label: unit, fill: '#0f5c55', stroke: '#0f5c55', ...(bars ? { paths: bars } : {}), points: { show: false } }],
      },
      [xs, values.map((n) => (n > 0 ? n : null))],
      el,
    );
    const resize = new ResizeObserver(() => {
      const width = Math.max(240, el.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: 180 });
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
            <th scope="col">{labels.length > 0 && /^\d{4}-/.test(labels[0] ?? '') ? 'Day' : 'Kind'}</th>
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
