// Download progress for people: a redrawn bar on a terminal, a few plain lines otherwise
// (setup logs, CI). Pure formatting is separate from the writer so it can be tested.
import type { Clock } from '../shared/clock.js';
import type { DownloadProgress } from './http-download.js';

export interface ProgressSink {
  start(label: string, p: DownloadProgress): void;
  update(p: DownloadProgress): void;
  finish(): void;
}

export interface ProgressDeps {
  write: (text: string) => void;
  isTTY: boolean;
  /** Rates and redraw spacing on its monotonic time. */
  clock: Clock;
  /** Bar width in characters. */
  width?: number;
}

const MB = 1e6;

export function formatBar(label: string, p: DownloadProgress, bytesPerSecond: number, width = 24): string {
  const rate = `${(bytesPerSecond / MB).toFixed(1)} MB/s`;
  if (p.total === null || p.total === 0) return `${label} ${(p.received / MB).toFixed(1)} MB ${rate}`;
  const fraction = Math.min(1, p.received / p.total);
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${label} [${bar}] ${pct} ${(p.received / MB).toFixed(1)}/${(p.total / MB).toFixed(1)} MB ${rate}`;
}

export function createProgress(deps: ProgressDeps): ProgressSink {
  let label = '';
  let startedAt = 0;
  let startBytes = 0;
  let lastDraw = 0;
  let lastQuarter = -1;
  let last: DownloadProgress | null = null;

  const rate = (p: DownloadProgress): number => {
    const seconds = (deps.clock.monotonic() - startedAt) / 1000;
    return seconds > 0 ? (p.received - startBytes) / seconds : 0;
  };
  const draw = (p: DownloadProgress): void => {
    if (deps.isTTY) {
      deps.write(`\r${formatBar(label, p, rate(p), deps.width)}\x1b[K`);
      return;
    }
    if (p.total === null) return;
    const quarter = Math.floor((p.received / p.total) * 4);
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      deps.write(`${formatBar(label, p, rate(p), 0).replace(' [] ', ' ')}\n`);
    }
  };

  return {
    start(name, p) {
      label = name;
      startedAt = deps.clock.monotonic();
      startBytes = p.received;
      lastDraw = 0;
      lastQuarter = p.total === null ? -1 : Math.floor((p.received / p.total) * 4) - 1;
      last = p;
      if (p.resumedFrom > 0) deps.write(`${name}: resuming at ${(p.resumedFrom / MB).toFixed(1)} MB\n`);
      draw(p);
    },
    update(p) {
      last = p;
      const t = deps.clock.monotonic();
      if (deps.isTTY && t - lastDraw < 100) return;
      lastDraw = t;
      draw(p);
    },
    finish() {
      if (last !== null && deps.isTTY) {
        draw(last);
        deps.write('\n');
      }
      last = null;
    },
  };
}

export const silentProgress: ProgressSink = { start() {}, update() {}, finish() {} };
