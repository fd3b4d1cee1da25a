/** The timeframes Google Trends offers in its own menu, named as this API names them. */
export const namedTimeframes = [
  'past-hour',
  'past-4-hours',
  'past-day',
  'past-7-days',
  'past-30-days',
  'past-90-days',
  'past-12-months',
  'past-5-years',
  'all-time',
] as const;
export type NamedTimeframe = (typeof namedTimeframes)[number];

export const defaultTimeframe: NamedTimeframe = 'past-12-months';

/** Google Trends has data from 2004 on. */
export const earliestTrendsData = new Date('2004-01-01T00:00:00Z');

const hour = 3_600_000;
const day = 24 * hour;

/** The period a named timeframe covers when asked at `now`. */
export function resolveTimeframe(timeframe: NamedTimeframe, now: Date): { startTime: Date; endTime: Date } {
  const back = (ms: number) => new Date(now.getTime() - ms);
  const yearsBack = (years: number) => {
    const start = new Date(now);
    start.setUTCFullYear(start.getUTCFullYear() - years);
    return start;
  };
  const startTime = {
    'past-hour': () => back(hour),
    'past-4-hours': () => back(4 * hour),
    'past-day': () => back(day),
    'past-7-days': () => back(7 * day),
    'past-30-days': () => back(30 * day),
    'past-90-days': () => back(90 * day),
    'past-12-months': () => yearsBack(1),
    'past-5-years': () => yearsBack(5),
    'all-time': () => earliestTrendsData,
  }[timeframe]();
  return { startTime, endTime: now };
}
