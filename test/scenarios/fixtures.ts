// Set-up helpers for receptionist scenarios: returning clients, existing appointments, full days.
import type { Appointment } from '../../appliance/booking/types.js';
import { DateTime } from 'luxon';
import { at, SPA_ZONE } from '../helpers/spa.js';
import type { TestWeb } from '../helpers/web.js';

export const CALLER = '+12035550188';

/** A client with one completed visit (not new any more). */
export function returningClient(web: TestWeb, phone = CALLER, name = 'Olivia Grant'): void {
  const b = web.spa.bookings;
  const slot = b.availability({ serviceId: 'free-consultation', from: at('2026-12-20T09:00'), to: at('2026-12-31T18:00'), limit: 1 })[0];
  if (!slot) throw new Error('no slot for the returning client fixture');
  const a = b.book({ serviceId: 'free-consultation', providerId: slot.providerId, start: slot.start, client: { phone, name }, source: 'staff' });
  b.setStatus(a.id, 'completed', 'staff');
}

export function appointment(web: TestWeb, a: { serviceId: string; start: string; phone?: string; name?: string; providerId?: string }): Appointment {
  return web.spa.bookings.book({
    serviceId: a.serviceId,
    start: at(a.start),
    client: { phone: a.phone ?? CALLER, name: a.name ?? 'Olivia Grant' },
    source: 'staff',
    ...(a.providerId ? { providerId: a.providerId } : {}),
  });
}

/** Books every free slot of a service on a local day for other clients, so the day is full. */
export function fillDay(web: TestWeb, serviceId: string, day: string): number {
  const b = web.spa.bookings;
  let n = 0;
  for (;;) {
    const slot = b.availability({ serviceId, from: at(`${day}T00:00`), to: at(`${day}T23:59`), limit: 1 })[0];
    if (!slot) return n;
    b.book({ serviceId, providerId: slot.providerId, start: slot.start, client: { phone: `+1203555${String(1000 + n).slice(-4)}`, name: `Filler ${n}` }, source: 'staff' });
    n++;
  }
}

/** Local wall time of an instant in the spa's zone: 'YYYY-MM-DDTHH:MM'. */
export function local(instant: number): string {
  return DateTime.fromMillis(instant, { zone: SPA_ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
}
