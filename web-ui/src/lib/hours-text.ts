// Weekly hours as staff type them, one span a line: "Mon 09:00-17:00" (several lines for a split
// day). Parsed here for the settings page; the server checks the result again.

export interface WeekSpan {
  weekday: number;
  start: string;
  end: string;
}

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Spans as text, one a line, by weekday then start. */
export function hoursToText(spans: readonly WeekSpan[]): string {
  return [...spans]
    .sort((a, b) => a.weekday - b.weekday || (a.start < b.start ? -1 : 1))
    .map((s) => `${WEEKDAY_SHORT[s.weekday - 1] ?? s.weekday} ${s.start}-${s.end}`)
    .join('\n');
}

const LINE = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/i;

/** The spans of the text, or the first line that is not one ("line 2: ..."). Blank lines are skipped. */
export function textToHours(text: string): { spans: WeekSpan[] } | { error: string } {
  const spans: WeekSpan[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    const day = m ? WEEKDAY_SHORT.findIndex((d) => d.toLowerCase() === (m[1] ?? '').toLowerCase()) + 1 : 0;
    if (!m || day === 0) return { error: `line ${i + 1}: write it like "Mon 09:00-17:00"` };
    const start = `${(m[2] ?? '').padStart(2, '0')}:${m[3] ?? ''}`;
    const end = `${(m[4] ?? '').padStart(2, '0')}:${m[5] ?? ''}`;
    if (start >= end) return { error: `line ${i + 1}: ends before it starts` };
    spans.push({ weekday: day, start, end });
  }
  return { spans };
}
