// Phone numbers as the appliance stores them: E.164, for every layer (caller ID, bookings, the
// understanding of what callers say). Callers' numbers arrive in every form ("(555) 123-4567",
// "+1 555 123 4567", "tel:+15551234567", "sip:5551234567@pbx").
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { InvalidInputError } from '../errors.js';

/** Returns the E.164 form, or null when the input is not a possible phone number. */
export function toE164(input: string, defaultCountry: CountryCode = 'US'): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const cleaned = input
    .trim()
    .replace(/^(tel|sips?):/i, '')
    .replace(/@.*$/, '')
    .replace(/;.*$/, '');
  if (!/\d/.test(cleaned) || /[a-z]/i.test(cleaned.replace(/^\+/, ''))) return null;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}

/** Like toE164 but throws a 400-class error naming the field. */
export function requireE164(input: string, field = 'phone', defaultCountry: CountryCode = 'US'): string {
  const e164 = toE164(input, defaultCountry);
  if (!e164) throw new InvalidInputError(`${field} is not a valid phone number`, { [field]: 'not a valid phone number' });
  return e164;
}
