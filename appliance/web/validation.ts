// Request validation with zod; failures become 400s that name every bad field.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : what;
    fields[key] ??= issue.message;
  }
  throw new InvalidInputError(`invalid ${what}: ${Object.keys(fields).join(', ')}`, fields);
}

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((s) => DateTime.fromISO(s).isValid, 'not a real date');

/** A date-time with an offset (2026-12-01T15:00:00-05:00, ...Z) or a wall-clock time in the spa's zone (2026-12-01T15:00). */
export const dateTimeText = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/, 'expected a date-time like 2026-12-01T15:00 or 2026-12-01T15:00:00-05:00');

export function toInstant(text: string, zone: string): number {
  const dt = DateTime.fromISO(text, { zone, setZone: false });
  if (!dt.isValid) throw new InvalidInputError(`not a valid date-time: ${text}`, { start: 'not a real date-time' });
  return dt.toMillis();
}

export function toIso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

export function localDayStart(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).startOf('day').toMillis();
}
