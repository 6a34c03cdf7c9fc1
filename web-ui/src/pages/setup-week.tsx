// A week of hours, one row per weekday: open or closed, from and to (the spa's opening hours, a
// provider's working hours).
import { WEEKDAYS, type DayRow } from '../lib/setup-model.js';

export function WeekEditor({ rows, onChange, prefix, legend }: { rows: DayRow[]; onChange: (rows: DayRow[]) => void; prefix: string; legend: string }) {
  const set = (i: number, patch: Partial<DayRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset class="week">
      <legend>{legend}</legend>
      {rows.map((r, i) => {
        const day = WEEKDAYS[r.weekday - 1] ?? '';
        return (
          <div class="week-row" key={r.weekday}>
            <label class="check">
              <input type="checkbox" checked={r.open} onChange={(e) => set(i, { open: (e.currentTarget).checked })} /> {day}
            </label>
            <label class="visually-hidden" for={`${prefix}-${r.weekday}-start`}>
              {day} from
            </label>
            <input id={`${prefix}-${r.weekday}-start`} type="time" value={r.start} disabled={!r.open} onInput={(e) => set(i, { start: (e.currentTarget).value })} />
            <span aria-hidden="true">to</span>
            <label class="visually-hidden" for={`${prefix}-${r.weekday}-end`}>
              {day} to
            </label>
            <input id={`${prefix}-${r.weekday}-end`} type="time" value={r.end} disabled={!r.open} onInput={(e) => set(i, { end: (e.currentTarget).value })} />
          </div>
        );
      })}
    </fieldset>
  );
}
