// How trend figures read in English, shared by the prompt and the offline drafts.

const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** "February 7, 2021". */
export function formatDay(iso: string): string {
  return longDate.format(new Date(iso));
}

/** "2021-02-07". */
export function isoDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** "between January 2021 and December 2021", or "in March 2021" within one month. */
export function describePeriod(start: string, end: string): string {
  const from = monthYear.format(new Date(start));
  const to = monthYear.format(new Date(end));
  return from === to ? `in ${from}` : `between ${from} and ${to}`;
}

/** "the United States" for US, "US-NY" stays as it is; empty geo is worldwide. */
export function describeGeo(geo: string): string {
  if (!geo) return 'worldwide';
  if (/^[A-Z]{2}$/u.test(geo)) {
    const name = regionNames.of(geo);
    if (name) return /^(United|Netherlands|Philippines|Czech|Dominican|Bahamas|Gambia|Maldives)/u.test(name) ? `the ${name}` : name;
  }
  return geo;
}

/** A rising query's growth as words: "Breakout" → "breaking out", "+350%" → "up 350%". */
export function describeGrowth(value: string): string {
  const trimmed = value.trim();
  if (/^breakout$/iu.test(trimmed)) return 'breaking out';
  const percent = /^\+?([\d,]+)\s*%$/u.exec(trimmed);
  if (percent) return `up ${percent[1]}%`;
  return `rising (${trimmed})`;
}

/** How strong a rising query's growth is, to list the strongest first ("Breakout" beats any percentage). */
export function growthStrength(value: string): number {
  if (/^breakout$/iu.test(value.trim())) return Number.POSITIVE_INFINITY;
  const percent = /^\+?([\d,]+)\s*%$/u.exec(value.trim());
  return percent ? Number(percent[1]?.replaceAll(',', '')) : 0;
}
