import cronParser from 'cron-parser';

/** How often a watch runs: a fixed interval, or a cron pattern (5 or 6 fields, UTC unless a time zone is given). */
export type Schedule = { kind: 'interval'; everyMs: number } | { kind: 'cron'; pattern: string; timezone: string };

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class ScheduleError extends Error {}

/** Reads "15m", "6h", "1d", "90s" or a cron pattern such as "0 9 * * 1-5"; refuses anything more often than `minIntervalMs`. */
export function parseSchedule(every: string, minIntervalMs: number, timezone = 'UTC'): Schedule {
  const text = every.trim();
  const interval = /^(\d{1,7})\s*([smhd])$/i.exec(text);
  if (interval) {
    const everyMs = Number(interval[1]) * (units[(interval[2] ?? '').toLowerCase()] ?? 0);
    if (everyMs < minIntervalMs) throw new ScheduleError(`runs more often than allowed (at least ${describeMs(minIntervalMs)} apart)`);
    return { kind: 'interval', everyMs };
  }
  const fields = text.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    throw new ScheduleError('must be an interval such as "30m", "6h", "1d" or a cron pattern such as "0 9 * * *"');
  }
  let expression: ReturnType<typeof cronParser.parseExpression>;
  try {
    expression = cronParser.parseExpression(text, { tz: timezone, currentDate: new Date() });
  } catch (error) {
    throw new ScheduleError(`is not a valid cron pattern (${(error as Error).message})`);
  }
  // The shortest gap among the next runs tells how often a pattern like "*/5 * * * *" fires.
  let previous = (expression.next() as { getTime(): number }).getTime();
  for (let i = 0; i < 24; i += 1) {
    const next = (expression.next() as { getTime(): number }).getTime();
    if (next - previous < minIntervalMs) throw new ScheduleError(`runs more often than allowed (at least ${describeMs(minIntervalMs)} apart)`);
    previous = next;
  }
  return { kind: 'cron', pattern: text, timezone };
}

export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function describeMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
