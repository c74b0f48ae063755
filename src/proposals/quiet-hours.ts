/**
 * Quiet time for channel posts, from TEAMMATE_QUIET_HOURS: a list of `HH-HH` (from HH:00 until
 * HH:00, wrapping midnight when the end is earlier: `19-08`) and `weekends` (all of Saturday and
 * Sunday), e.g. `19-08,weekends` (the default); `off` means never quiet. During quiet time new
 * proposals wait in the Home deck and the digest instead of pinging a channel.
 */
export interface QuietHours {
  /** Hour (0-23) the nightly window starts (inclusive) and ends (exclusive); absent: none. */
  readonly hours?: { readonly start: number; readonly end: number };
  readonly weekends: boolean;
}

const RANGE = /^(\d{1,2})(?::00)?-(\d{1,2})(?::00)?$/;

/** Parses the setting; returns an error message (for the config error list) when it cannot. */
export function parseQuietHours(text: string): QuietHours | string {
  const tokens = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0 || (tokens.length === 1 && (tokens[0] === 'off' || tokens[0] === 'none'))) return { weekends: false };
  let hours: QuietHours['hours'];
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

/** Local hour and weekday (0 = Sunday) of `now` in `timeZone` (the machine's zone when undefined). */
export function localTime(now: number, timeZone?: string): { hour: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' }).formatToParts(new Date(now));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0') % 24;
  const day = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  return { hour, weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(day) };
}

export function inQuietWindow(hour: number, hours: QuietHours['hours']): boolean {
  if (!hours) return false;
  return hours.start < hours.end ? hour >= hours.start && hour < hours.end : hour >= hours.start || hour < hours.end;
}

/** Why a channel post should wait right now, or undefined when posting is fine. */
export function channelPostsPaused(now: number, quiet: QuietHours | undefined, timeZone?: string): 'quiet-hours' | 'weekend' | undefined {
  if (!quiet) return undefined;
  const t = localTime(now, timeZone);
  if (quiet.weekends && (t.weekday === 0 || t.weekday === 6)) return 'weekend';
  return inQuietWindow(t.hour, quiet.hours) ? 'quiet-hours' : undefined;
}
