// A receptionist over a test spa, with the settings a test names.
import { Receptionist } from '../../appliance/agent/receptionist.js';
import { createLogger } from '../../appliance/log.js';
import type { TestSpa } from './spa.js';

export interface TestReceptionistOptions {
  record?: boolean;
  transferTo?: string | null;
  disclosure?: string;
  recordingNotice?: string;
}

export function testReceptionist(spa: TestSpa, opts: TestReceptionistOptions = {}): Receptionist {
  return new Receptionist({
    db: spa.db,
    clock: spa.clock,
    log: createLogger({ level: 'silent' }),
    catalogue: spa.catalogue,
    bookings: spa.bookings,
    settings: () => ({
      agent: {
        disclosure: opts.disclosure ?? "I'm the spa's virtual receptionist.",
        recordingNotice: opts.recordingNotice ?? 'This call is recorded.',
        greeting: 'Thank you for calling {spa}.',
      },
      record: opts.record ?? false,
      transferTo: opts.transferTo ?? null,
      horizonDays: 90,
    }),
  });
}
