/**
 * Quiet time for channel posts, as pure functions of a time and an IANA zone. The syntax is
 * TEAMMATE_QUIET_HOURS's: `HH-HH` (from HH:00 until HH:00, wrapping midnight when the end is
 * earlier: `19-08`) and/or `weekends` (all of Saturday and Sunday), comma-separated; empty or
 * `off` means never quiet. (src/proposals/quiet-hours.ts reads the same syntax for the config;
 * this adds `nextAllowed`, when a held-back post may go out.)
 */
export interface QuietRule {
  /** Local hour (0-23) the nightly window starts (inclusive) and ends (exclusive); absent: none. */
  readonly hours?: { readonly start: number; readonly end: number };
  readonly weekends: boolean;
}

export const NEVER_QUIET: QuietRule = { weekends: false };

const RANGE = /^(\d{1,2})(?::00)?-(\d{1,2})(?::00)?$/;

/** The rule, or why the text is not one (for the config error list). */
export function parseQuietRule(text: string): QuietRule | string {
  const tokens = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0 || (tokens.length === 1 && (tokens[0] === 'off' || tokens[0] === 'none'))) return NEVER_QUIET;
  let hours: QuietRule['hours'];
  let weekends = false;
  for (const t of tokens) {
    if (t === 'weekends' || t === 'weekend') {
      weekends = true;
      continue;
    }
    const m = RANGE.exec(t);
    if (!m || hours) return `expected hours such as "19-08" (19:00 to 08:00) and/or "weekends", comma-separated, or off; got "${text}"`;
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (start > 23 || end > 23) return `hours must be between 0 and 23; got "${t}"`;
    if (start !== end) hours = { start, end };
  }
  return { hours, weekends };
}

interface LocalTime {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

function localTime(date: Date, tz: string): LocalTime {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? 'Mon'),
  };
}

function quietAt(t: LocalTime, rule: QuietRule): boolean {
  if (rule.weekends && (t.weekday === 0 || t.weekday === 6)) return true;
  const h = rule.hours;
  if (!h) return false;
  return h.start < h.end ? t.hour >= h.start && t.hour < h.end : t.hour >= h.start || t.hour < h.end;
}

/** Whether a channel post at `date` would fall in quiet time, read in zone `tz`. */
export function isQuiet(date: Date, tz: string, rule: QuietRule): boolean {
  return quietAt(localTime(date, tz), rule);
}

/**
 * The first instant at or after `date` that is not quiet: `date` itself when posting is fine,
 * else the local hour the quiet time ends (Monday morning after a quiet weekend night). Walks
 * local hour boundaries, so it stays right across DST changes.
 */
export function nextAllowed(date: Date, tz: string, rule: QuietRule): Date {
  let at = date.getTime();
  // A week of hours is more than any rule can keep quiet; the bound guards a rule that is always quiet.
  for (let step = 0; step <= 24 * 7; step++) {
    const t = localTime(new Date(at), tz);
    if (!quietAt(t, rule)) return new Date(at);
    at = at - (at % 1000) - t.second * 1000 - t.minute * 60_000 + 3_600_000; // the next local HH:00
  }
  return new Date(at);
}
