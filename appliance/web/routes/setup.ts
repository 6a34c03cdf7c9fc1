// The first-run setup wizard's API (owner only, every read and change audited): the spa's profile,
// opening hours and closures, the services and providers to start from (each one is then edited
// through the catalogue's own routes, catalogue-edit.ts, as in the settings),
// the phone connection, ring timeout and transfer target, what the receptionist says about
// itself, and where the wizard stands (so it resumes where the owner left it). Catalogue changes
// apply at once; phone and greeting settings are written to config.json and apply at the next
// start (the answer says restartRequired).
import type { FastifyPluginAsync } from 'fastify';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ApplianceError, InvalidInputError } from '../../errors.js';
import { startCatalogueFrom, writeHours, writeProfile } from '../../booking/catalogue-writes.js';
import type { Weekday } from '../../booking/types.js';
import { settingsSchema, type Settings } from '../../config/index.js';
import { toE164 } from '../../shared/phone.js';
import type { Db } from '../../store/db.js';
import type { WebDeps } from '../app.js';
import type { SettingsStore } from './settings.js';
import { isoDate, parseInput } from '../validation.js';

/** The wizard's steps, in order (the UI shows them; progress names the last one saved). */
export const SETUP_STEPS = ['spa', 'hours', 'services', 'providers', 'phone', 'voice', 'modem', 'models'] as const;

const wall = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time HH:MM');
const span = z
  .strictObject({ weekday: z.number().int().min(1, 'a weekday 1 (Monday) to 7 (Sunday)').max(7, 'a weekday 1 (Monday) to 7 (Sunday)'), start: wall, end: wall })
  .refine((s) => s.start < s.end, { message: 'ends before it starts', path: ['end'] });
const spans = z.array(span).max(50);

const spaBody = z.strictObject({
  name: z.string().trim().min(1, 'required').max(120),
  address: z.string().trim().max(300),
  phone: z.string().trim().max(40),
  timeZone: z.string().refine((s) => IANAZone.isValidZone(s), 'an IANA time zone such as America/New_York'),
});
const hoursBody = z.strictObject({
  hours: spans,
  closures: z
    .array(z.strictObject({ startDate: isoDate, endDate: isoDate, reason: z.string().trim().max(120) }).refine((c) => c.startDate <= c.endDate, { message: 'ends before it starts', path: ['endDate'] }))
    .max(100),
});
const catalogueBody = z.strictObject({ from: z.enum(['demo', 'empty']) });
const phoneBody = z
  .strictObject({
    mode: z.enum(['direct', 'register']),
    registrar: z.string().trim().max(200).optional(),
    username: z.string().trim().max(100).optional(),
    /** Absent: keep the password already stored. */
    password: z.string().max(200).optional(),
    ringTimeoutS: z.number().int().min(0).max(300),
    transferTo: z.string().trim().max(200).nullable(),
  })
  .refine((b) => b.mode === 'direct' || (b.registrar ?? '') !== '', { message: 'the PBX address is required', path: ['registrar'] })
  .refine((b) => b.mode === 'direct' || (b.username ?? '') !== '', { message: 'the extension user name is required', path: ['username'] });
const voiceBody = z.strictObject({
  greeting: z.string().trim().min(1, 'required').max(300),
  disclosure: z.string().trim().max(300),
  recordingNotice: z.string().trim().max(300),
  record: z.boolean(),
});
const progressBody = z.strictObject({ step: z.enum(SETUP_STEPS), finished: z.boolean().optional() });

class SetupUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_SETTINGS_UNAVAILABLE', 'settings cannot be changed here', { status: 503 });
  }
}

/** The phone and greeting steps as the wizard shows them (the SIP password never leaves the box). */
function phoneView(s: Settings) {
  const r = s.telephony.registration;
  return {
    mode: r.registrar ? 'register' : 'direct',
    registrar: r.registrar ?? '',
    username: r.username,
    passwordSet: r.password !== '',
    ringTimeoutS: s.telephony.ringTimeoutS,
    transferTo: s.telephony.transferTo,
  };
}

export function setupRoutes(deps: WebDeps): FastifyPluginAsync {
  const store = (): SettingsStore => {
    if (!deps.settings) throw new SetupUnavailableError();
    return deps.settings;
  };
  const db = (): Db => {
    if (!deps.db) throw new SetupUnavailableError();
    return deps.db;
  };
  /** Validates the changed settings against the one schema and keeps them; names bad fields as settings paths. */
  const saveSettings = async (change: (s: Settings) => Settings): Promise<Settings> => {
    const next = settingsSchema.safeParse(change(structuredClone(store().current())));
    if (!next.success) {
      const fields: Record<string, string> = {};
      for (const issue of next.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
      throw new InvalidInputError(`invalid settings: ${Object.keys(fields).join(', ')}`, fields);
    }
    await store().save(next.data);
    return next.data;
  };
  const view = () => {
    const s = store().current();
    const c = deps.catalogue;
    return {
      setup: s.setup,
      steps: SETUP_STEPS,
      spa: c.profile(),
      services: c.services(),
      providers: c.providers().filter((p) => p.active),
      phone: phoneView(s),
      voice: { greeting: s.agent.greeting, disclosure: s.agent.disclosure, recordingNotice: s.agent.recordingNotice, record: s.telephony.record },
      health: deps.health(),
    };
  };
  const audit = (action: 'setup.view' | 'setup.change') => ({ access: 'owner' as const, audit: { action, subject: 'setup' } });

  return async (app) => {
    app.get('/api/setup', { config: audit('setup.view') }, () => view());
    // Whether the wizard still opens at sign-in (no personal data: not audited).
    app.get('/api/setup/progress', { config: { access: 'owner' } }, () => ({ setup: store().current().setup }));

    app.put('/api/setup/spa', { config: audit('setup.change') }, async (req) => {
      const b = parseInput(spaBody, req.body);
      const phone = b.phone === '' ? '' : toE164(b.phone);
      if (phone === null) throw new InvalidInputError('phone is not a phone number', { phone: 'not a phone number' });
      writeProfile(db(), { name: b.name, address: b.address, phone, timeZone: b.timeZone });
      // The zone is an appliance setting too (SPA_TIMEZONE, which wins when set, overrides it at start).
      await saveSettings((s) => ({ ...s, timeZone: b.timeZone }));
      req.auditSubject = 'spa';
      req.auditDetail = 'profile';
      return { spa: deps.catalogue.profile() };
    });

    app.put('/api/setup/hours', { config: audit('setup.change') }, (req) => {
      const b = parseInput(hoursBody, req.body);
      writeHours(db(), b.hours.map((h) => ({ ...h, weekday: h.weekday as Weekday })), b.closures);
      req.auditSubject = 'hours';
      req.auditDetail = `${b.hours.length} spans, ${b.closures.length} closures`;
      return { spa: deps.catalogue.profile() };
    });

    app.post('/api/setup/catalogue', { config: audit('setup.change') }, (req) => {
      const b = parseInput(catalogueBody, req.body);
      startCatalogueFrom(db(), b.from);
      req.auditSubject = 'catalogue';
      req.auditDetail = `from ${b.from}`;
      return { services: deps.catalogue.services(), providers: deps.catalogue.providers().filter((p) => p.active) };
    });

    app.put('/api/setup/phone', { config: audit('setup.change') }, async (req) => {
      const b = parseInput(phoneBody, req.body);
      const saved = await saveSettings((s) => {
        const r = s.telephony.registration;
        const registration =
          b.mode === 'direct'
            ? { ...r, registrar: null, username: '', password: '' }
            : { ...r, registrar: b.registrar ?? null, username: b.username ?? '', password: b.password ?? r.password };
        return { ...s, telephony: { ...s.telephony, ringTimeoutS: b.ringTimeoutS, transferTo: b.transferTo === '' ? null : b.transferTo, registration } };
      });
      req.auditSubject = 'phone';
      req.auditDetail = `mode ${b.mode}${b.password === undefined ? '' : ', password changed'}`;
      return { phone: phoneView(saved), restartRequired: true };
    });

    app.put('/api/setup/voice', { config: audit('setup.change') }, async (req) => {
      const b = parseInput(voiceBody, req.body);
      const saved = await saveSettings((s) => ({
        ...s,
        agent: { ...s.agent, greeting: b.greeting, disclosure: b.disclosure, recordingNotice: b.recordingNotice },
        telephony: { ...s.telephony, record: b.record },
      }));
      req.auditSubject = 'voice';
      return { voice: { greeting: saved.agent.greeting, disclosure: saved.agent.disclosure, recordingNotice: saved.agent.recordingNotice, record: saved.telephony.record }, restartRequired: true };
    });

    app.put('/api/setup/progress', { config: audit('setup.change') }, async (req) => {
      const b = parseInput(progressBody, req.body);
      const saved = await saveSettings((s) => ({ ...s, setup: { step: b.step, finished: b.finished ?? s.setup.finished } }));
      req.auditSubject = 'progress';
      req.auditDetail = `${b.step}${saved.setup.finished ? ', finished' : ''}`;
      return { setup: saved.setup };
    });
  };
}
