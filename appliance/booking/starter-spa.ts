// The catalogue of a spa that chose not to load the demo: a profile to fill in, usual hours,
// no services yet (the owner adds them in the web UI).
import type { SpaData } from './catalogue.js';
import type { Weekday } from './types.js';

export function starterSpa(timeZone: string): SpaData {
  return {
    profile: {
      name: 'Our Med Spa',
      address: '',
      phone: '',
      timeZone,
      hours: ([1, 2, 3, 4, 5, 6] as Weekday[]).map((weekday) => ({ weekday, start: '09:00', end: weekday === 6 ? '16:00' : '18:00' })),
      closures: [],
    },
    services: [],
    providers: [],
    knowledge: [],
  };
}
