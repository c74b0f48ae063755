/**
 * Cron expressions → fire times ("slots"), in a time zone. cron-parser enumerates both directions;
 * node-cron 4 only knows the next run, and its matcher ANDs day-of-month with day-of-week where
 * cron (and cron-parser) ORs them, so one parser defines every slot: the ones we back-fill and the
 * next one we wait for.
 */
import { CronExpressionParser } from 'cron-parser';

/** True when `tz` is an IANA zone name the runtime knows (`Europe/Berlin`, `UTC`). */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `expression` is not a usable cron expression, or undefined when it is. Five fields
 * (minute hour day-of-month month day-of-week) or six with seconds first.
 */
export function explainCronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  // cron-parser reads an empty string as "every minute": never what an operator meant.
  if (fields.length !== 5 && fields.length !== 6) return `expected 5 fields (minute hour day month weekday), or 6 with seconds first; got ${fields.length}`;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function parse(expression: string, tz: string, currentDate: number) {
  return CronExpressionParser.parse(expression, { tz, currentDate: new Date(currentDate) });
}

/** The latest fire time at or before `at` (unix ms), or undefined if the expression never fired. */
export function latestSlot(expression: string, tz: string, at: number): Date | undefined {
  // prev() is strictly before currentDate; one ms later makes a slot at exactly `at` count.
  const it = parse(expression, tz, at + 1);
  return it.hasPrev() ? it.prev().toDate() : undefined;
}

/** The first fire time strictly after `after` (unix ms). */
export function nextSlot(expression: string, tz: string, after: number): Date | undefined {
  const it = parse(expression, tz, after);
  return it.hasNext() ? it.next().toDate() : undefined;
}

/** The slot's key in job_slots: its UTC instant, so every process and time zone agrees on it. */
export function slotKey(slot: Date): string {
  return slot.toISOString();
}
