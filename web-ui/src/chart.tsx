// Bar charts with uPlot (canvas, ~50 KB minified: the smallest maintained chart library that
// draws time and count series well). The numbers are also in a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const hourName = (h: number): string => `${h % 12 === 0 ? 12 : h % 12} ${h < 12 ? 'am' : 'pm'}`;
const HOUR_TICKS = [0, 6, 12, 18];

export function HourChart({ counts, label }: { counts: number[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const hours = counts.map((_, h) => h);
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth || 320),
        height: 160,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, 23.5] }, y: { range: (_u, _min, max) => [0, Math.max(2, max)] } },
        axes: [
          { splits: () => HOUR_TICKS, values: (_u, ticks) => ticks.map(hourName), stroke: '#333', grid: { show: false } },
          { stroke: '#333', grid: { stroke: '#e4e4e4' }, incrs: [1, 2, 5, 10, 20, 50, 100] },
        ],
        // Empty hours draw nothing (null), not a flat line.
        series: [{}, { label: 'Calls', fill: '#0f5c55', stroke: '#0f5c55', ...(bars ? { paths: bars } : {}), points: { show: false } }],
      },
      [hours, counts.map((n) => (n > 0 ? n : null))],
      el,
    );
    // Follow the card's width (the tablet turned, the window resized).
    const resize = new ResizeObserver(() => {
      const width = Math.max(240, el.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: 160 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [counts.join(',')]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={label} />
      <table class="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            <th scope="col">Calls</th>
          </tr>
        </thead>
        <tbody>
          {counts.map((n, h) =>
            n > 0 ? (
              <tr key={h}>
                <td>{hourName(h)}</td>
                <td>{n}</td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
    </figure>
  );
}
