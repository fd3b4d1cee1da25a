import { safeText } from '@trendcast/service-kit';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Whether `code` is an ISO 3166-1 alpha-2 region this runtime knows (ICU's region list). */
export function isKnownCountry(code: string): boolean {
  const name = regionNames.of(code);
  return name !== undefined && name !== code && name !== 'Unknown Region';
}

/**
 * Google Trends' geo: '' (worldwide), a country (US) or a country subdivision (US-NY, GB-ENG).
 * Case-insensitive on input, upper case once parsed.
 */
export const geoSchema = safeText()
  .trim()
  .max(10)
  .transform((geo) => geo.toUpperCase())
  .refine((geo) => /^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?)?$/.test(geo), {
    error: 'must be empty (worldwide), a country code (US) or a country subdivision (US-NY)',
  })
  .refine((geo) => geo === '' || isKnownCountry(geo.slice(0, 2)), { error: 'is not a known country code' });

/** The trending feed only exists per country. */
export const countrySchema = safeText()
  .trim()
  .transform((geo) => geo.toUpperCase())
  .refine((geo) => /^[A-Z]{2}$/.test(geo) && isKnownCountry(geo), { error: 'must be a country code such as US or GB' });
